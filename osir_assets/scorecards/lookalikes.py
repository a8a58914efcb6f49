"""Look-alike model ids (typosquatting), found set-based over a month's population, never by comparing all pairs.

A suspect imitates a target when, after folding the visual confusions (``I``/``l``/``1``/``|``, ``0``/``o``,
``rn``/``m``, ``vv``/``w``, ``_``/``.``/``-``, case), their ids are at most one edit apart, they belong to different
organisations (accounts of one registered organisation never squat each other; an unregistered account is its
own organisation), and the target is much more popular (``popularity_ratio`` times the downloads, and at least
``min_target_downloads``).

Blocking: one edit falls either in the owner or in the name. Owner edits: the folded names must be equal and the
folded owners share a one-deletion variant (the owner itself or the owner with one character removed); variants
are made and paired per distinct (name, owner), and only for owners of models whose folded name is also a target's. Name edits: the
folded owners must be equal (only owners that fold together across organisations qualify, a handful), and the
folded names share a one-deletion variant. Every candidate pair is then verified with rapidfuzz's Levenshtein
distance on the folded ids.
"""

from __future__ import annotations

import polars as pl

POPULATION_SCHEMA = {"model": pl.String, "account": pl.String, "name": pl.String, "downloads": pl.Int64, "org_key": pl.String}
LOOKALIKE_SCHEMA = {"model": pl.String, "imitated": pl.String, "imitated_downloads": pl.Int64, "edits": pl.Int64, "part": pl.String}


def fold(column: str) -> pl.Expr:
    """One spelling per look: what a reader cannot tell apart becomes the same text."""
    return (
        pl.col(column)
        .str.replace_all("I", "l", literal=True)  # capital i is the lower-case L of most fonts
        .str.to_lowercase()
        .str.replace_all("rn", "m", literal=True)
        .str.replace_all("vv", "w", literal=True)
        .str.replace_all(r"[1|]", "l")
        .str.replace_all("0", "o", literal=True)
        .str.replace_all(r"[_.]", "-")
    )


def _one_deletion_variants(frame: pl.DataFrame, column: str, within: tuple[str, ...] = ()) -> pl.DataFrame:
    """(*within, column, variant): the text itself and each text with one character removed, per distinct
    (*within, column). A doubled letter gives a variant twice; the joins below do not mind, and a unique() over
    a million strings would cost more memory than the rest of the detection."""
    distinct = frame.select(*within, column).unique()
    length = pl.col(column).str.len_chars()
    positions = distinct.with_columns(pl.int_ranges(0, length).alias("at")).explode("at").drop_nulls("at")
    deleted = positions.select(*within, column, (pl.col(column).str.slice(0, pl.col("at")) + pl.col(column).str.slice(pl.col("at") + 1)).alias("variant"))
    return pl.concat([distinct.with_columns(pl.col(column).alias("variant")), deleted])


def find_lookalikes(population: pl.DataFrame, popularity_ratio: float = 10, min_target_downloads: int = 1000, max_edits: int = 1) -> pl.DataFrame:
    """Look-alike pairs of ``population`` (POPULATION_SCHEMA): one row per suspect and imitated model (LOOKALIKE_SCHEMA)."""
    models = population.lazy().select(
        "model", "org_key", pl.col("downloads").fill_null(0), fold("account").alias("owner"), fold("name").alias("title")
    ).collect()
    targets = models.filter(pl.col("downloads") >= min_target_downloads)
    if targets.is_empty():
        return pl.DataFrame(schema=LOOKALIKE_SCHEMA)
    # Suspects are at least popularity_ratio times less downloaded than the most downloaded target they could imitate.
    suspects = models.filter(pl.col("downloads") * popularity_ratio <= targets["downloads"].max())

    # Owner edits: same folded name, owners within one deletion of each other. Blocked on (name, variant), not on
    # the variant alone: owners such as org-1234 and org-1235 share variants by the thousand, names seldom.
    same_title = suspects.join(targets.select("title").unique(), on="title", how="semi")
    near_owners = (
        _one_deletion_variants(same_title, "owner", within=("title",))
        .join(_one_deletion_variants(targets, "owner", within=("title",)), on=["title", "variant"], suffix="_target")
        .select("title", "owner", "owner_target")
        .unique()
    )
    by_owner = (
        same_title.join(near_owners, on=["title", "owner"])
        .join(targets, left_on=["owner_target", "title"], right_on=["owner", "title"], suffix="_target")
        .with_columns(pl.col("title").alias("title_target"))
        .select("model", "org_key", "downloads", "owner", "title", "model_target", "org_key_target", "downloads_target", "owner_target", "title_target")
    )
    # Name edits: same folded owner (an owner that folds together across organisations), names within one deletion.
    shared = pl.concat([suspects.select("owner", "org_key"), targets.select("owner", "org_key")]).unique().group_by("owner").len().filter(pl.col("len") > 1)
    near_suspects, near_targets = suspects.join(shared, on="owner", how="semi"), targets.join(shared, on="owner", how="semi")
    titles = _one_deletion_variants(pl.concat([near_suspects.select("title"), near_targets.select("title")]), "title")
    by_title = (
        near_suspects.join(titles, on="title")
        .join(near_targets.join(titles, on="title"), on=["owner", "variant"], suffix="_target")
        .with_columns(pl.col("owner").alias("owner_target"))
        .select(by_owner.columns)
    )
    pairs = pl.concat([by_owner, by_title]).unique(["model", "model_target"]).filter(
        (pl.col("org_key") != pl.col("org_key_target"))
        & (pl.col("model") != pl.col("model_target"))
        & (pl.col("downloads") * popularity_ratio <= pl.col("downloads_target"))
    )
    from rapidfuzz.distance import Levenshtein  # here: the commands that never compute look-alikes skip its import
    from rapidfuzz.process import cpdist

    edits = cpdist(
        (pairs["owner"] + "/" + pairs["title"]).to_list(), (pairs["owner_target"] + "/" + pairs["title_target"]).to_list(), scorer=Levenshtein.distance, workers=1
    )
    return (
        pairs.with_columns(pl.Series("edits", edits, dtype=pl.Int64))
        .filter(pl.col("edits") <= max_edits)
        .select(
            "model",
            pl.col("model_target").alias("imitated"),
            pl.col("downloads_target").alias("imitated_downloads"),
            "edits",
            pl.when(pl.col("owner") != pl.col("owner_target")).then(pl.lit("owner")).when(pl.col("title") != pl.col("title_target")).then(pl.lit("name")).otherwise(pl.lit("confusion")).alias("part"),
        )
        .sort("model", "imitated")
    )


POPULATION_SQL = """
SELECT c.model, c.account, c.name, c.downloads, coalesce(a.org, c.account) AS org_key
FROM model_cards AS c
LEFT JOIN (SELECT platform, lower(account) AS account, any_value(org) AS org FROM registry_accounts WHERE month = $month GROUP BY ALL) AS a
  ON a.platform = c.platform AND a.account = lower(c.account)
WHERE c.month = $month
"""


def month_lookalikes(con, month) -> pl.DataFrame:
    """The month's look-alike pairs, from its cards (``model_cards``), registry accounts and typosquat settings."""
    population = con.execute(POPULATION_SQL, {"month": month}).pl()
    rows = con.execute("SELECT key, value FROM scorecard_profile WHERE month = $month AND section = 'typosquat'", {"month": month}).fetchall()
    settings = dict(rows)
    return find_lookalikes(
        population,
        popularity_ratio=settings.get("popularity_ratio", 10),
        min_target_downloads=settings.get("min_target_downloads", 1000),
        max_edits=int(settings.get("max_edits", 1)),
    )
