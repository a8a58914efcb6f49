"""The scorecard section of the monthly HTML report: a view beside the ranking, never part of it.

Three tables: the organisations' model trust (download-weighted mean score, share of downloads in unsafe
formats, models imitated by look-alikes), the month's most downloaded models with the lowest security, and the
look-alikes found. Empty when the database has no scorecards for the month.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from osir_assets.lib.duckdb_store import table_exists
from osir_assets.lib.html_tables import html_table

POPULAR_MODELS = 100  # "popular": the month's most downloaded models, of which the least secure are listed
SHOWN = 10

TRUST_SQL = """
SELECT org, models, printf('%,d', downloads) AS downloads, printf('%.2f', mean_score) AS "trust (download-weighted)",
       printf('%.1f%%', 100 * unsafe_download_share) AS "downloads in unsafe files", imitated_models AS "models imitated"
FROM org_model_trust AS t WHERE month = $month ORDER BY t.mean_score DESC NULLS LAST, t.org
"""
RISKY_SQL = f"""
WITH popular AS (
    SELECT s.*, c.downloads FROM model_scorecards AS s JOIN model_cards AS c ON c.month = s.month AND c.model = s.model
    WHERE s.month = $month ORDER BY c.downloads DESC NULLS LAST LIMIT {POPULAR_MODELS}
)
SELECT p.model, coalesce(p.org, '-') AS org, printf('%,d', p.downloads) AS downloads, printf('%.2f', p.security) AS security,
       printf('%.2f', p.score) AS score, array_to_string(p.flags, ', ') AS flags
FROM popular AS p WHERE p.security IS NOT NULL ORDER BY p.security, p.downloads DESC, p.model LIMIT {SHOWN}
"""
LOOKALIKES_SQL = """
SELECT l.model AS "look-alike", printf('%,d', c.downloads) AS downloads, l.imitated AS imitates, printf('%,d', l.imitated_downloads) AS "its downloads",
       l.edits AS "edits after folding", l.part AS "differs in"
FROM model_lookalikes AS l LEFT JOIN model_cards AS c ON c.month = l.month AND c.model = l.model
WHERE l.month = $month ORDER BY l.imitated_downloads DESC, l.model
"""


def scorecard_section(con: duckdb.DuckDBPyConnection, month: dt.date) -> str:
    if not all(table_exists(con, t) for t in ("org_model_trust", "model_scorecards", "model_lookalikes", "model_cards")):
        return ""
    params = {"month": month}
    trust, risky, lookalikes = (con.execute(sql, params).pl() for sql in (TRUST_SQL, RISKY_SQL, LOOKALIKES_SQL))
    if trust.is_empty() and risky.is_empty():
        return ""
    return f"""
<h2 id="scorecards">Model scorecards</h2>
<p class="note">Can you trust a model? Each model's card scores popularity, activity, operational and security factors 0-10
(<code>osir scorecard MODEL_ID --month {month:%Y-%m}</code> shows every factor, its raw value and its source). A view beside the
ranking: it changes no rank.</p>
<h3 id="scorecards-orgs">Organisations' models</h3>
{html_table(trust)}
<h3 id="scorecards-risky">Lowest security among the {POPULAR_MODELS} most downloaded models</h3>
{html_table(risky, text_columns=("model", "org", "flags"), search_table="scorecards")}
<h3 id="scorecards-lookalikes">Look-alikes</h3>
<p class="note">Model ids one edit or less from a much more popular model of another organisation, after folding visual confusions (I/l/1, 0/o, rn/m, vv/w, _/-).</p>
{html_table(lookalikes, text_columns=("look-alike", "imitates", "differs in"), search_table="scorecards")}
"""
