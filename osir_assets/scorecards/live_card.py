"""The scorecard of a model OSIR has not collected: fetched live from the Hub, scored against a month's population.

Four requests: the model's info with the listing's ``expand`` fields, then the three of ``lib/hub_cards.py``
(discussions, pull requests, file scans). The card is computed by the same SQL files as the monthly assets, in
an in-memory database that reads the OSIR file: the month's cards plus this one make the population (its log
scales, its look-alikes), so the fetched model is scored exactly as if it had been collected that month; only its
own card and factors are then computed.
"""

from __future__ import annotations

import datetime as dt
import json
import os

import duckdb
import polars as pl

from osir_assets.errors import OsirInputError
from osir_assets.lib.duckdb_store import table_exists
from osir_assets.lib.hub_cards import MODEL_EXPAND, card_extras, model_details
from osir_assets.lib.package_files import SQL_ROOT
from osir_assets.scorecards.lookalikes import month_lookalikes

PUBLIC_ENDPOINT = "https://huggingface.co"
READ_FROM_OSIR = ("registry_accounts", "scorecard_profile")


def fetch_model_repo(model_id: str) -> tuple[pl.DataFrame, str]:
    """(one row shaped like ``hf_model_repos`` for ``model_id``, the endpoint read). HF_ENDPOINT and HF_TOKEN from the environment."""
    from huggingface_hub import HfApi
    from huggingface_hub.errors import GatedRepoError, HfHubHTTPError, RepositoryNotFoundError
    from huggingface_hub.utils import build_hf_headers, get_session

    endpoint = (os.environ.get("HF_ENDPOINT") or PUBLIC_ENDPOINT).rstrip("/")
    token = os.environ.get("HF_TOKEN") or False
    headers = build_hf_headers(token=token, library_name="osir")

    def fetch(path: str, params: dict):
        response = get_session().get(f"{endpoint}{path}", params=params, headers=headers)
        if response.status_code in (401, 403, 404, 410):
            return None
        if response.status_code >= 400:
            raise OsirInputError(f"{endpoint} answered HTTP {response.status_code} for {path}")
        return response.json()

    try:
        info = HfApi(endpoint=endpoint, token=token, library_name="osir").model_info(model_id, expand=MODEL_EXPAND)
        details = model_details(info) | {"card_extras": card_extras(fetch, info.id)}
    except (RepositoryNotFoundError, GatedRepoError):
        raise OsirInputError(f"no model '{model_id}' on {endpoint} (or it is private)") from None
    except HfHubHTTPError as exc:
        status = exc.response.status_code if exc.response is not None else "no response"
        if status in (401, 404):  # the Hub answers 401 for a private or missing model to an anonymous caller
            raise OsirInputError(f"no model '{model_id}' on {endpoint} (or it is private)") from None
        raise OsirInputError(f"{endpoint} answered HTTP {status} for {model_id}") from None
    except OSError as exc:  # connection refused, DNS, timeouts (httpx2's errors are OSErrors underneath)
        raise OsirInputError(f"cannot reach {endpoint} ({type(exc).__name__})") from None
    except Exception as exc:
        if type(exc).__module__.startswith("httpx"):
            raise OsirInputError(f"cannot reach {endpoint} ({type(exc).__name__})") from None
        raise
    account, _, name = info.id.partition("/")
    row = {
        "account": account, "name": name, "downloads_last_month": info.downloads, "total_downloads": info.downloads_all_time, "likes": info.likes,
        "community": None, "descendants": info.children_model_count, "details": json.dumps({k: v for k, v in details.items() if v is not None}, default=str),
    }  # fmt: skip
    schema = {"account": pl.String, "name": pl.String, "downloads_last_month": pl.Int64, "total_downloads": pl.Int64, "likes": pl.Int64,
              "community": pl.Int64, "descendants": pl.Int64, "details": pl.String}  # fmt: skip
    return pl.DataFrame([row], schema=schema), endpoint


def _sql(*parts: str) -> str:
    return (SQL_ROOT.joinpath(*parts)).read_text(encoding="utf-8")


def score_fetched(db: str, month: dt.date, fetched: pl.DataFrame) -> duckdb.DuckDBPyConnection:
    """An in-memory database holding the month's scorecard tables recomputed with the fetched model in the population."""
    con = duckdb.connect()
    quoted = db.replace("'", "''")  # ATTACH takes no parameter; the path is the user's own
    con.execute(f"ATTACH '{quoted}' AS osir (READ_ONLY)")
    for table in READ_FROM_OSIR:
        con.execute(f'CREATE VIEW "{table}" AS SELECT * FROM osir."{table}"')
    if table_exists(con, "osir.leaderboard_models"):  # official providers, where the month has a leaderboard
        con.execute('CREATE VIEW leaderboard_models AS SELECT * FROM osir.leaderboard_models')
    else:
        con.execute("CREATE TEMP TABLE leaderboard_models (month DATE, model VARCHAR, official_provider BOOLEAN)")
    params = {"month": month}
    con.register("_fetched", fetched.to_arrow())
    con.execute("CREATE TEMP TABLE hf_model_repos AS SELECT CAST($month AS DATE) AS month, * FROM _fetched", params)
    con.execute(f"CREATE TEMP TABLE _fetched_card AS SELECT CAST($month AS DATE) AS month, * FROM ({_sql('scorecards', 'hf_model_cards.sql')})", params)
    con.execute(
        "CREATE TEMP TABLE model_cards AS SELECT * FROM osir.model_cards WHERE month = $month AND model NOT IN (SELECT model FROM _fetched_card) "
        "UNION ALL BY NAME SELECT * FROM _fetched_card",
        params,
    )
    con.register("_lookalikes", month_lookalikes(con, month).to_arrow())
    con.execute("CREATE TEMP TABLE model_lookalikes AS SELECT CAST($month AS DATE) AS month, * FROM _lookalikes", params)
    # Points need the whole population (log scales); the card and its explanation only the fetched model.
    con.execute(f"CREATE TEMP TABLE _points AS SELECT CAST($month AS DATE) AS month, * FROM ({_sql('scorecards', 'model_scorecard_points.sql')})", params)
    con.execute("CREATE TEMP TABLE model_scorecard_points AS SELECT * FROM _points WHERE model IN (SELECT model FROM _fetched_card)")
    con.execute(f"CREATE TEMP VIEW model_scorecard_factors AS {_sql('scorecards', 'model_scorecard_factors.sql')}")  # a view, as in the graph
    con.execute(f"CREATE TEMP TABLE model_scorecards AS SELECT CAST($month AS DATE) AS month, * FROM ({_sql('scorecards', 'model_scorecards.sql')})", params)
    return con
