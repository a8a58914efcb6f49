"""Which findings block a month, and the thresholds of the month-over-month anomaly checks."""

from pathlib import Path

from dagster import ConfigurableResource
from pydantic import Field

from osir_assets.errors import OsirInputError
from osir_assets.lib.yamlfile import read_yaml
from osir_assets.quality.findings import ERROR, WARN

# Structural faults are ERROR: they block the month. Anomalies and coverage are WARN: they are listed next
# to the month's scores. Any rule can be raised or lowered in configuration.
DEFAULT_SEVERITIES = {
    "schema": ERROR,
    "not_null_keys": ERROR,
    "unique_keys": ERROR,
    "non_negative": ERROR,
    "in_range": ERROR,
    "unresolved_organisations": ERROR,
    "repeated_records": WARN,
    "counter_not_collected": WARN,
    "unmapped_accounts": WARN,
    "label_coverage": WARN,
    "junk_labels": WARN,
    "cumulative_total_decreased": WARN,
    "downloads_collapsed": WARN,
    "downloads_jump": WARN,
    "repo_count_halved": WARN,
    "mostly_flagged": WARN,  # more than half a leaderboard snapshot's rows flagged (osir_assets/leaderboard/assets.py)
}


class QualityConfig(ConfigurableResource):
    """Severities (rule -> WARN or ERROR) and anomaly thresholds; OSIR_QUALITY names a YAML file with them."""

    enabled: bool = Field(default=True, description="false: months publish unaudited (benchmarks and debugging only; the audit check says so)")
    severities: dict[str, str] = Field(default_factory=dict)
    jump_factor: float = 10.0  # a counter more than this many times last month's is a jump...
    jump_min_downloads: int = 10_000  # ...when it reaches at least this much (small counters jump all the time)
    collapse_min_downloads: int = 100  # a counter falling to 0 from at least this much has collapsed
    repo_count_drop_ratio: float = 0.5  # an organisation keeping less than this share of its repositories

    def setup_for_execution(self, context) -> None:
        if self.enabled:  # the validation worker's import overlaps the run's first steps
            from osir_assets.quality.expectations import warm_up

            warm_up()

    def severity_of(self, rule: str, default: str = WARN) -> str:
        return self.severities.get(rule, DEFAULT_SEVERITIES.get(rule, default)).upper()

    @classmethod
    def from_file(cls, path: str | Path) -> "QualityConfig":
        data = read_yaml(Path(path))
        unknown = set(data.get("severities", {})) - set(DEFAULT_SEVERITIES)
        bad = {k: v for k, v in data.get("severities", {}).items() if str(v).upper() not in (ERROR, WARN)}
        if unknown or bad:
            raise OsirInputError(f"unknown rules {sorted(unknown)} or severities {bad} (rules: {', '.join(DEFAULT_SEVERITIES)})", str(path))
        return cls(**data)
