"""How scores are computed, as configuration. The defaults reproduce the published OSIR-LMTS tables."""


import polars as pl
from dagster import AssetExecutionContext, BackfillPolicy, ConfigurableResource, MaterializeResult, asset
from pydantic import Field

from osir_assets.lib.duckdb_store import replace_month_from_frame
from osir_assets.lib.duckdb_resource import DuckDBStore
from osir_assets.partitions import month_of, monthly_partitions

DIMENSIONS = ("data", "model", "infra", "eval")
# Indicators outside the published method: computed every month (indicator_values), scored only when a profile
# names them in optional_indicators. They come from the GitHub activity of the registered repositories and from the
# Open LLM Leaderboard (dbt_like_sql/leaderboard/leaderboard_indicators.sql).
OPTIONAL_INDICATORS = (
    "model/active_contributors", "infra/active_contributors",
    "model/leaderboard_models", "model/leaderboard_best_average", "model/leaderboard_derivatives", "model/leaderboard_improvement",
)


class ScoringProfile(ConfigurableResource):
    """Normalisation, dimension scores and overall weights.

    * ``normalisation``: ``zero`` divides by the column maximum (min-max with the minimum anchored at 0,
      what the published tables use); ``observed_min`` is the literal min-max (v - min) / (max - min).
    * ``dimension_methods``: per dimension ``mean`` (plain mean of the normalised indicators) or
      ``weights`` (weighted mean with ``indicator_weights[dimension]``; an unnamed indicator weighs 0).
    * ``overall_weights``: overall score = sum over dimensions of weight / log2(rank + 1).
    * ``model_download_threshold``: models below this many monthly downloads are not counted.
    * ``optional_indicators``: indicators outside the published method to score too, as "dimension/indicator"
      (known: OPTIONAL_INDICATORS); the published profile scores none of them.
    """

    normalisation: str = "zero"
    dimension_methods: dict[str, str] = Field(default_factory=dict)
    indicator_weights: dict[str, dict[str, float]] = Field(default_factory=dict)
    overall_weights: dict[str, float] = Field(default_factory=lambda: {"data": 0.5 / 3, "model": 0.5, "infra": 0.5 / 3, "eval": 0.5 / 3})
    model_download_threshold: int = 50
    optional_indicators: list[str] = Field(default_factory=list)

    def dimension_table(self) -> pl.DataFrame:
        unknown = set(self.dimension_methods) | set(self.overall_weights) | set(self.indicator_weights)
        unknown -= set(DIMENSIONS)
        if self.normalisation not in ("zero", "observed_min"):
            raise ValueError(f"normalisation must be 'zero' or 'observed_min', not '{self.normalisation}'")
        bad_methods = {d: m for d, m in self.dimension_methods.items() if m not in ("mean", "weights")}
        if bad_methods:
            raise ValueError(f"dimension methods must be 'mean' or 'weights': {bad_methods}")
        if unknown:
            raise ValueError(f"unknown dimensions in the scoring profile: {sorted(unknown)} (known: {', '.join(DIMENSIONS)})")
        unknown_optional = sorted(set(self.optional_indicators) - set(OPTIONAL_INDICATORS))
        if unknown_optional:
            raise ValueError(f"unknown optional indicators: {unknown_optional} (known: {', '.join(OPTIONAL_INDICATORS)})")
        # Per dimension, the optional indicators this profile leaves out of the scores (normalised_indicators skips them).
        unscored = [[o.split("/")[1] for o in OPTIONAL_INDICATORS if o.startswith(f"{d}/") and o not in self.optional_indicators] for d in DIMENSIONS]
        return pl.DataFrame(
            {
                "dimension": list(DIMENSIONS),
                "dimension_position": list(range(1, len(DIMENSIONS) + 1)),
                "method": [self.dimension_methods.get(d, "mean") for d in DIMENSIONS],
                "normalisation": [self.normalisation] * len(DIMENSIONS),
                "overall_weight": [float(self.overall_weights.get(d, 0.0)) for d in DIMENSIONS],
                "model_download_threshold": [self.model_download_threshold] * len(DIMENSIONS),
                "unscored_indicators": unscored,
            },
            schema_overrides={"unscored_indicators": pl.List(pl.String)},
        )

    def weight_table(self) -> pl.DataFrame:
        rows = [{"dimension": d, "indicator": i, "weight": float(w)} for d, ws in self.indicator_weights.items() for i, w in ws.items()]
        return pl.DataFrame(rows, schema={"dimension": pl.String, "indicator": pl.String, "weight": pl.Float64})


@asset(
    group_name="scores",
    partitions_def=monthly_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    description="The scoring profile a month was scored with (tables scoring_profile and scoring_weights).",
    kinds={"duckdb"},
)
def scoring_profile(context: AssetExecutionContext, scoring: ScoringProfile, duckdb: DuckDBStore) -> MaterializeResult:
    dimensions, weights = scoring.dimension_table(), scoring.weight_table()
    with duckdb.connect() as con:
        for key in sorted(context.partition_keys):
            replace_month_from_frame(con, "scoring_profile", month_of(key), dimensions)
            replace_month_from_frame(con, "scoring_weights", month_of(key), weights)
    return MaterializeResult(
        metadata={
            "normalisation": scoring.normalisation,
            "methods": {d: m for d, m in zip(dimensions["dimension"], dimensions["method"])},
            "overall_weights": {d: w for d, w in zip(dimensions["dimension"], dimensions["overall_weight"])},
            "optional_indicators": list(scoring.optional_indicators),
        }
    )
