"""The tables ``osir search --table`` reaches: which DuckDB table, what a row's name is, and what makes the table.

Every column of the table is a field (``@org:``, ``@modality:``, ``@license:`` ...); ``name`` is the row's name
(the model or dataset id, the organisation for rankings) that free text matches. The leaderboard's own fields
(``@architecture``, ``@license``, ``@precision``, ``@type``) are columns of ``leaderboard_models`` by contract.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SearchTable:
    key: str
    table: str
    name_sql: str  # over the table's columns
    order_sql: str  # over the searched rows (name and the table's columns)
    shown: tuple[str, ...]  # columns printed after the name in the terminal; JSON has them all
    made_by: str


CATALOGUE = {
    t.key: t
    for t in (
        SearchTable("models", "merged_model_repos", "account || '/' || name", "downloads_last_month DESC, name",
                    ("org", "platform", "modality", "downloads_last_month", "likes"), "`osir run` or `osir reproduce`"),
        SearchTable("datasets", "merged_dataset_repos", "account || '/' || name", "downloads_last_month DESC, name",
                    ("org", "platform", "modality", "lifecycle", "downloads_last_month"), "`osir run` or `osir reproduce`"),
        SearchTable("rankings", "influence_scores", "org", "view DESC, rank, org_position",
                    ("view", "rank", "score", "delta_rank"), "`osir run` or `osir reproduce`"),
        SearchTable("scorecards", "model_scorecards", "model", "score DESC NULLS LAST, name",
                    ("org", "platform", "score", "coverage", "flags"), "the model scorecard assets (`osir run`, `osir backfill`)"),
        SearchTable("leaderboard", "leaderboard_models", "model", "average DESC NULLS LAST, name",
                    ("type", "architecture", "precision", "license", "params_b", "average"), "`osir analytics --leaderboard PATH`"),
    )
}
