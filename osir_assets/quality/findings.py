"""What an audit says about a month: findings, each with a rule, a severity and a sample of rows."""

from dataclasses import dataclass, field

ERROR, WARN = "ERROR", "WARN"


@dataclass
class Finding:
    rule: str  # e.g. 'unique_keys', 'cumulative_total_decreased'
    severity: str  # ERROR blocks the month; WARN is listed next to its scores
    passed: bool
    message: str
    count: int = 0
    sample: list = field(default_factory=list)  # a few offending rows, as dicts
    subjects: list = field(default_factory=list)  # every offending repository / account / organisation
    waived_by: str | None = None  # the waiver's reason, when a waiver accepts this finding

    @property
    def blocks(self) -> bool:
        return not self.passed and self.severity == ERROR and self.waived_by is None

    def as_row(self, month, asset: str) -> dict:
        return {
            "month": month,
            "asset": asset,
            "rule": self.rule,
            "severity": self.severity,
            "passed": self.passed,
            "message": self.message,
            "failures": self.count,
            "sample": repr(self.sample[:5]) if self.sample else None,
            "waived_by": self.waived_by,
        }
