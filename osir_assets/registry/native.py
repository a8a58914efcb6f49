"""Load OSIR's own organisation registry (``registry/`` at the repository root, or any folder laid out alike).

    organisations.yaml              the organisations, their public accounts per platform, their GitHub
                                    repositories and their constants (see the comments in the file)
    curated/<YYYY-MM>/infra.csv     curated infrastructure figures published for that month: org, indicators...
    curated/<YYYY-MM>/eval.csv      curated evaluation-platform figures, same layout
    labels/models.csv               optional explicit model labels: label_key, modality, is_large_model
    labels/datasets.csv             optional explicit dataset labels: label_key, modality, lifecycle, is_valid
    extra-datasets.csv              optional curated datasets outside the platforms: org, repo, dataset_name, link, modality, lifecycle
    waivers.yaml                    optional known anomalies accepted for a month (osir_assets/quality/waivers.py)

As in the published method, the curated infrastructure table in force for a month (the latest one at or
before it) fixes which organisations that month ranks, in its row order. Repositories without an explicit
label are labelled by the rules of ``sources/live/label_rules.yaml`` when they are collected live.

The result is the same ``Registry`` the OSIR-LMTS layout gives (``osir_lmts.py``), so everything downstream is
indifferent to which layout a registry uses. Every problem is reported as ``file:line: what is wrong``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import yaml

from osir_assets.errors import OsirInputError
from osir_assets.quality.waivers import load_waivers
from osir_assets.registry.model import (
    ACCOUNT_SCHEMA,
    CONSTANT_SCHEMA,
    CURATED_SCHEMA,
    DATASET_LABEL_SCHEMA,
    EXTRA_DATASET_SCHEMA,
    GITHUB_REPO_SCHEMA,
    MODEL_LABEL_SCHEMA,
    Registry,
)
from osir_assets.registry.osir_lmts import _curated_table

REGISTRY_FILE = "organisations.yaml"
# Registry keys -> the platform names source tables use.
PLATFORMS = {"huggingface": "HuggingFace", "modelscope": "ModelScope", "opendatalab": "OpenDataLab", "baai_data": "BAAIData"}
GITHUB = "github"
GITHUB_PURPOSES = ("model", "infra", "eval")  # which dimension's contributor activity a repository counts towards
ACCOUNT_URLS = {
    "HuggingFace": "https://huggingface.co/{}",
    "ModelScope": "https://modelscope.cn/organization/{}",
    "OpenDataLab": "https://opendatalab.com/?createdBy={}",
    "BAAIData": "https://data.baai.ac.cn/{}",
}
ACCOUNT_PATTERNS = {
    "HuggingFace": re.compile(r"^[\w.-]+$"),
    "ModelScope": re.compile(r"^[\w.-]+$"),
    "OpenDataLab": re.compile(r"^\d+$"),  # the creator id of the site's listing (?createdBy=...)
    "BAAIData": re.compile(r"^[\w.-]+$"),
}
GITHUB_REPO = re.compile(r"^[\w.-]+/[\w.-]+$")
CURATED_MONTH = re.compile(r"^\d{4}-\d{2}$")


WAIVERS_FILE = "waivers.yaml"  # known anomalies accepted, month by month (osir_assets/quality/waivers.py)


def registry_files(root: Path) -> list[Path]:
    """Every file the registry is read from (a change to any of them means reloading)."""
    files = [root / REGISTRY_FILE, root / WAIVERS_FILE, root / "labels" / "models.csv", root / "labels" / "datasets.csv", root / "extra-datasets.csv"]
    files += sorted((root / "curated").glob("*/*.csv"))
    return [f for f in files if f.exists()]


def load_native_registry(root: Path) -> Registry:
    root = Path(root)
    path = root / REGISTRY_FILE
    if not path.exists():
        raise OsirInputError(f"not a registry folder (expected {REGISTRY_FILE})", str(root))
    spec = _RegistryFile(path)
    orgs = tuple(spec.organisations)
    return Registry(
        source=str(root),
        organisations=orgs,
        accounts=spec.accounts,
        constants=spec.constants,
        model_labels=_label_file(root / "labels" / "models.csv", MODEL_LABEL_SCHEMA),
        dataset_labels=_label_file(root / "labels" / "datasets.csv", DATASET_LABEL_SCHEMA),
        curated=_curated(root / "curated", set(orgs)),
        extra_datasets=_extra_datasets(root / "extra-datasets.csv", set(orgs)),
        github_repos=spec.github_repos,
        waivers=load_waivers(root / WAIVERS_FILE),
    )


class _RegistryFile:
    """organisations.yaml, read node by node so that every error can name its line."""

    def __init__(self, path: Path):
        self.path = path
        text = path.read_text(encoding="utf-8")
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise OsirInputError(f"malformed YAML ({getattr(exc, 'problem', None) or exc})", str(path), mark.line + 1 if mark else None) from None
        if root is None:
            raise OsirInputError("the registry is empty (expected 'organisations:')", str(path), 1)
        top = dict((key, value) for key, _, value in self._mapping(root, "the registry", allowed=("constants", "organisations")))
        if "organisations" not in top:
            raise OsirInputError("the registry has no 'organisations:' section", str(path), 1)
        self.defaults = self._constant_defaults(top.get("constants"))
        self.organisations: list[str] = []
        accounts, repos, constants = [], [], []
        seen: dict[tuple[str, str], tuple[str, int]] = {}  # (platform, account) -> (org, line)
        for org, _, entry in self._mapping(top["organisations"], "'organisations'"):
            self.organisations.append(org)
            for key, _, value in self._mapping(entry, f"organisation '{org}'", allowed=(*PLATFORMS, GITHUB, "constants"), what="platform"):
                if key == "constants":
                    constants += self._org_constants(org, value)
                elif key == GITHUB:
                    for purpose, _, names in self._mapping(value, f"organisation '{org}': github", allowed=GITHUB_PURPOSES, what="purpose"):
                        for repo, node in self._strings(names, f"organisation '{org}': github {purpose}"):
                            if not GITHUB_REPO.match(repo):
                                self._fail(f"organisation '{org}': GitHub repository '{repo}' is not 'owner/name'", node)
                            self._once(seen, ("GitHub", repo.lower()), org, node, f"GitHub repository '{repo}'")
                            repos.append({"org": org, "repo": repo, "purpose": purpose})
                else:
                    platform = PLATFORMS[key]
                    for account, node in self._strings(value, f"organisation '{org}': {key}"):
                        if not ACCOUNT_PATTERNS[platform].match(account):
                            self._fail(f"organisation '{org}': '{account}' is not a valid {key} account", node)
                        self._once(seen, (platform, account), org, node, f"{key} account '{account}'")
                        accounts.append({"org": org, "platform": platform, "account": account, "url": ACCOUNT_URLS[platform].format(account)})
        self.accounts = pl.DataFrame(accounts, schema={**ACCOUNT_SCHEMA, "url": pl.String})
        self.github_repos = pl.DataFrame(repos, schema=GITHUB_REPO_SCHEMA)
        self.constants = self._constants_table(constants)

    # -- structure helpers ---------------------------------------------------------------------------

    def _fail(self, message: str, node: yaml.Node) -> None:
        raise OsirInputError(message, str(self.path), node.start_mark.line + 1)

    def _mapping(self, node, where: str, allowed: tuple[str, ...] | None = None, what: str = "key"):
        """[(key, key node, value node)] of a mapping; duplicate and (with ``allowed``) unknown keys are errors."""
        if not isinstance(node, yaml.MappingNode):
            self._fail(f"{where} must be a mapping ('name: value' lines)", node)
        entries, lines = [], {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or not key_node.value:
                self._fail(f"{where}: keys must be plain names", key_node)
            key = key_node.value
            if allowed is not None and key not in allowed:
                self._fail(f"{where}: unknown {what} '{key}' (known: {', '.join(allowed)})", key_node)
            if key in lines:
                self._fail(f"{where}: '{key}' appears twice (first on line {lines[key]})", key_node)
            lines[key] = key_node.start_mark.line + 1
            entries.append((key, key_node, value_node))
        return entries

    def _strings(self, node, what: str) -> list[tuple[str, yaml.Node]]:
        if not isinstance(node, yaml.SequenceNode):
            self._fail(f"{what} must be a list, e.g. [name, other-name]", node)
        values = []
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode) or item.tag == "tag:yaml.org,2002:null" or not item.value.strip():
                self._fail(f"{what}: every entry must be a name", item)
            values.append((item.value.strip(), item))
        return values

    def _once(self, seen: dict, key: tuple[str, str], org: str, node: yaml.Node, what: str) -> None:
        if key in seen:
            first_org, first_line = seen[key]
            owner = "it" if first_org == org else f"'{first_org}'"
            self._fail(f"organisation '{org}': {what} is already registered for {owner} on line {first_line}", node)
        seen[key] = (org, node.start_mark.line + 1)

    # -- constants -----------------------------------------------------------------------------------

    def _number(self, node, what: str) -> float:
        try:
            if not isinstance(node, yaml.ScalarNode):
                raise ValueError
            return float(node.value)
        except ValueError:
            self._fail(f"{what} must be a number", node)

    def _constant_defaults(self, node) -> dict[str, float]:
        if node is None:
            return {}
        defaults = {}
        for name, _, spec in self._mapping(node, "'constants'"):
            settings = dict((k, v) for k, _, v in self._mapping(spec, f"constant '{name}'", allowed=("default",), what="setting"))
            defaults[name] = self._number(settings["default"], f"constant '{name}': default") if "default" in settings else 0.0
        return defaults

    def _org_constants(self, org: str, node) -> list[dict]:
        rows = []
        for name, key_node, value in self._mapping(node, f"organisation '{org}': constants"):
            if name not in self.defaults:
                known = ", ".join(self.defaults) or "none declared"
                self._fail(f"organisation '{org}': unknown constant '{name}' (declared under 'constants:': {known})", key_node)
            rows.append({"org": org, "constant": name, "value": self._number(value, f"organisation '{org}': constant '{name}'")})
        return rows

    def _constants_table(self, given: list[dict]) -> pl.DataFrame:
        """One row per (organisation, constant): the organisation's own value, else the default."""
        grid = pl.DataFrame(
            {"org": [o for o in self.organisations for _ in self.defaults], "constant": [c for _ in self.organisations for c in self.defaults]},
            schema={"org": pl.String, "constant": pl.String},
        )
        defaults = pl.DataFrame({"constant": list(self.defaults), "default": list(self.defaults.values())}, schema={"constant": pl.String, "default": pl.Float64})
        own = pl.DataFrame(given, schema=CONSTANT_SCHEMA)
        return (
            grid.join(defaults, on="constant", how="left")
            .join(own, on=["org", "constant"], how="left")
            .select("org", "constant", pl.coalesce("value", "default").alias("value"))
            .select([pl.col(c).cast(t) for c, t in CONSTANT_SCHEMA.items()])
        )


# -- CSV files -----------------------------------------------------------------------------------------


def _read_csv(path: Path, schema: dict[str, pl.DataType], required: list[str]) -> pl.DataFrame:
    try:
        table = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
    except Exception as exc:
        raise OsirInputError(f"unreadable CSV ({exc})", str(path)) from None
    table = table.rename({c: c.lstrip("\ufeff").strip() for c in table.columns})
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise OsirInputError(f"missing column(s) {', '.join(missing)} (expected: {', '.join(schema)})", str(path), 1)
    table = table.with_columns([pl.lit(None, dtype=pl.String).alias(c) for c in schema if c not in table.columns])
    converted = []
    for name, dtype in schema.items():
        text = pl.col(name).str.strip_chars()
        if dtype == pl.Boolean:
            value = text.str.to_lowercase().replace_strict({"true": True, "1": True, "false": False, "0": False, "": None}, default=None, return_dtype=pl.Boolean)
        else:
            value = text.replace("", None).cast(dtype, strict=False)
        converted.append(value.alias(name))
    result = table.select(converted)
    bad = table.select([(result[c].is_null() & pl.col(c).str.strip_chars().ne("").fill_null(False)).alias(c) for c in schema])
    for name in bad.columns:
        if bad[name].any():
            raise OsirInputError(f"column '{name}' must hold {schema[name]} values", str(path), int(bad[name].arg_true()[0]) + 2)
    for name in required:
        if result[name].is_null().any():
            raise OsirInputError(f"column '{name}' is empty", str(path), int(result[name].is_null().arg_true()[0]) + 2)
    return result


def _label_file(path: Path, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    if not path.exists():
        return pl.DataFrame(schema=schema)
    labels = _read_csv(path, schema, ["label_key"])
    repeated = labels.get_column("label_key").is_duplicated()
    if repeated.any():
        row = int(repeated.arg_true()[1]) + 2
        raise OsirInputError(f"label_key '{labels['label_key'][row - 2]}' is labelled twice", str(path), row)
    return labels


def _unknown_org(path: Path, orgs_in_file: pl.Series, orgs: set[str]) -> None:
    """An organisation a curated file names must be registered (line 1 is the header)."""
    unknown = ~orgs_in_file.is_in(list(orgs))
    if unknown.any():
        row = int(unknown.arg_true()[0])
        raise OsirInputError(f"organisation '{orgs_in_file[row]}' is not in {REGISTRY_FILE}", str(path), row + 2)


def _curated(folder: Path, orgs: set[str]) -> pl.DataFrame:
    tables = []
    for month_dir in sorted(p for p in folder.glob("*") if p.is_dir()) if folder.is_dir() else []:
        if not CURATED_MONTH.match(month_dir.name):
            raise OsirInputError("a curated folder is named by its month, YYYY-MM", str(month_dir))
        month = dt.date.fromisoformat(f"{month_dir.name}-01")
        for dimension in ("infra", "eval"):
            path = month_dir / f"{dimension}.csv"
            if path.exists():
                table = _curated_table(path, month, month, dimension)
                _unknown_org(path, table.unique("org_position").sort("org_position").get_column("org"), orgs)
                tables.append(table)
    return pl.concat(tables) if tables else pl.DataFrame(schema=CURATED_SCHEMA)


def _extra_datasets(path: Path, orgs: set[str]) -> pl.DataFrame:
    if not path.exists():
        return pl.DataFrame(schema=EXTRA_DATASET_SCHEMA)
    table = _read_csv(path, EXTRA_DATASET_SCHEMA, ["org", "dataset_name"])
    _unknown_org(path, table.get_column("org"), orgs)
    return table
