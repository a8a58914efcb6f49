"""The factory that turns every ``dbt_like_sql/**/*.sql`` file into a month-partitioned asset.

A SQL file is a SELECT over the month's inputs, with the month bound as ``$month`` (never pasted into
the text). A comment header says what the asset is:

    -- name: merged_model_repos                  (default: the file name)
    -- description: one line for the asset catalogue
    -- deps: stg_model_repos, modelscope_model_repos[-1:0], accumulated_model_repos[-1:-1]
    -- table: indicator_values                   (default: the name)
    -- outputs: indicators/data/num_language, ... (several asset keys written by one statement)
    -- materialized: view                          (default: table)
    -- audit: unique(org, name); not_null(org); minimum(downloads=0); between(normalised=0:1); true(flag=rule)
    -- columns: org VARCHAR, name VARCHAR, ...   (the table's columns, for a file that reads its own earlier months)

``[a:b]`` on a dependency reads months a..b relative to the partition (``[-1:0]``: last month and this
one; ``[:0]``: every month up to this one). A ``view`` is a plain reshaping of other tables across all
months (it selects ``month`` itself and takes no ``$month``): it costs nothing to keep and is filtered
by month where it is read.

A file that reads its own earlier months (``accumulated_model_repos[-1:-1]`` in its own deps: an incremental
table) declares its ``columns``, so that the table exists, empty, before its first month is computed.

``audit`` makes the month write-audit-publish: the new rows are staged, checked with great_expectations
(plus the table's published columns must all still be there), and published only when no ERROR-level
rule fails (osir_assets/quality). A month whose audit failed, or whose input months are blocked, is
skipped and recorded in ``month_blocks`` with the reason; its previously published rows stay. A name ending in ``/*`` depends on every output key under that prefix. With ``outputs``, each row
carries ``dimension`` and ``indicator`` columns naming its key's last two segments, and a month is
replaced per key.
"""


import re
from dataclasses import dataclass
from pathlib import Path

from dagster import (
    AssetDep,
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    BackfillPolicy,
    Failure,
    MaterializeResult,
    TimeWindowPartitionMapping,
    multi_asset,
)

from osir_assets.lib.duckdb_store import create_view, publish_month, replace_month, stage_month, transaction
from osir_assets.lib.duckdb_resource import DuckDBStore
from osir_assets.lib.formatting import count, formatted
from osir_assets.progress import report
from osir_assets.partitions import month_of, monthly_partitions
from osir_assets.quality.config import QualityConfig
from osir_assets.quality.expectations import TableRules
from osir_assets.quality.gate import (
    AUDITED_STEP_TAGS, WAIVERS_TABLE, audit_batch_full, audit_check_specs, audit_staged, check_results, ensure_tables, parse_audits, rule_names, set_block, stored_waivers, upstream_block,
)

HEADER = re.compile(r"^--\s*(name|description|deps|table|outputs|group|materialized|audit|columns)\s*:\s*(.*)$")
DEP = re.compile(r"^(?P<key>[\w/*]+)(\[(?P<start>-?\d*):(?P<end>-?\d+)\])?$")
ALL_EARLIER_MONTHS = -1200  # "[:0]": every month up to this one (a century of months, clipped to the partitions)


@dataclass(frozen=True)
class SqlModel:
    path: Path
    name: str
    group: str
    description: str
    sql: str
    table: str
    deps: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    materialized: str = "table"
    audits: str = ""
    columns: str = ""

    @property
    def rules(self) -> TableRules | None:
        return parse_audits([self.audits]) if self.audits else None

    @property
    def keys(self) -> list[AssetKey]:
        return [AssetKey(k.split("/")) for k in self.outputs] if self.outputs else [AssetKey(self.name)]


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def parse_sql_model(path: Path, root: Path) -> SqlModel:
    header: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = HEADER.match(line.strip())
        if match:
            joiner = "; " if match.group(1) == "audit" else " "
            header[match.group(1)] = (header.get(match.group(1), "") + joiner + match.group(2)).strip("; ").strip()
        elif line.strip() and not line.strip().startswith("--"):
            break
    name = header.get("name", path.stem)
    outputs = tuple(o.replace(" ", "") for o in _split(header.get("outputs", "")))
    return SqlModel(
        path=path,
        name=name,
        group=header.get("group", path.relative_to(root).parts[0]),
        description=header.get("description", ""),
        sql=path.read_text(encoding="utf-8"),
        table=header.get("table", name),
        deps=_split(header.get("deps", "")),
        outputs=outputs,
        materialized=header.get("materialized", "table"),
        audits=header.get("audit", ""),
        columns=header.get("columns", ""),
    )


def load_sql_models(root: Path) -> list[SqlModel]:
    return [parse_sql_model(p, root) for p in sorted(root.rglob("*.sql"))]


def _asset_deps(model: SqlModel, all_keys: list[AssetKey], producers: dict) -> tuple[list[AssetDep], list[tuple[str, int, int]]]:
    """Dagster dependencies, and (producing asset, first month offset, last month offset) for the month gate."""
    deps, gate = [], []
    for spec in model.deps:
        match = DEP.match(spec)
        if not match:
            raise ValueError(f"{model.path}: cannot read dependency '{spec}'")
        key = match.group("key")
        mapping = None
        if match.group("end") is not None:
            mapping = TimeWindowPartitionMapping(
                start_offset=int(match.group("start") or ALL_EARLIER_MONTHS), end_offset=int(match.group("end")), allow_nonexistent_upstream_partitions=True
            )
        if key.endswith("/*"):
            prefix = key[:-2].split("/")
            targets = [k for k in all_keys if k.path[: len(prefix)] == prefix and len(k.path) > len(prefix)]
            if not targets:
                raise ValueError(f"{model.path}: no asset matches '{key}'")
        else:
            targets = [AssetKey(key.split("/"))]
        deps += [AssetDep(t, partition_mapping=mapping) for t in targets]
        start = int(match.group("start") or ALL_EARLIER_MONTHS) if match.group("end") is not None else 0
        end = int(match.group("end")) if match.group("end") is not None else 0
        gate += [(producers[t], start, end) for t in targets if t in producers]
    return deps, list(dict.fromkeys(gate))


def build_sql_asset(model: SqlModel, all_keys: list[AssetKey], producers: dict):
    deps, upstream = _asset_deps(model, all_keys, producers)
    rules = model.rules
    check_names = rule_names(rules) if rules else []
    if rules and not any(d.asset_key == AssetKey(WAIVERS_TABLE) for d in deps):  # an audit reads the month's waivers
        deps.append(AssetDep(WAIVERS_TABLE))
    specs = [
        AssetSpec(
            key=key,
            deps=deps,
            group_name=model.group,
            description=model.description or None,
            metadata={"sql_file": str(model.path.as_posix()), "table": model.table},
            kinds={"duckdb", "sql"},
        )
        for key in model.keys
    ]
    indicator_names = ["/".join(k.path[-2:]) for k in model.keys] if model.outputs else []
    # A file replaces, and may only write, the keys it declares: anything else would be another asset's rows.
    scope = "AND dimension || '/' || indicator IN (SELECT unnest($indicators))" if model.outputs else ""

    @multi_asset(
        name=model.name if not model.outputs else f"{model.name}_sql",
        specs=specs,
        check_specs=audit_check_specs(model.keys, check_names) if rules else [],
        partitions_def=monthly_partitions,
        backfill_policy=BackfillPolicy.single_run(),
        can_subset=False,
        op_tags=AUDITED_STEP_TAGS if rules else None,
    )
    def _sql_asset(context: AssetExecutionContext, duckdb: DuckDBStore, quality: QualityConfig):
        months = sorted(month_of(k) for k in context.partition_keys)
        written, blocked = {}, {}
        audited = rules if quality.enabled else None
        staged = f"_staged_{model.name}"
        if model.materialized == "view":
            with duckdb.connect() as con:
                create_view(con, model.table, model.sql)
                ensure_tables(con)
                for month in months:
                    # A view holds no data of its own, but a blocked input month is blocked here too.
                    set_block(con, month, model.name, upstream_block(con, month, upstream))
                    written[month.isoformat()] = con.execute(f'SELECT count(*) FROM "{model.table}" WHERE month = $m', {"m": month}).fetchone()[0]
            report(context, f"{model.name}: view over all months; {formatted(sum(written.values()), count)} rows in {len(months)} month(s)")
            yield MaterializeResult(asset_key=model.keys[0], metadata={"view": model.table, "rows_by_month": written})
            return
        with duckdb.connect() as con, transaction(con):
            ensure_tables(con)
            if model.columns:
                con.execute(f'CREATE TABLE IF NOT EXISTS "{model.table}" (month DATE, {model.columns})')
            ready = []
            for month in months:
                reason = upstream_block(con, month, upstream)
                if reason:
                    set_block(con, month, model.name, reason)
                    blocked[month.isoformat()] = reason
                    report(context, f"{model.name}: {month:%Y-%m} skipped, {reason}")
                    continue
                ready.append(month)
            params = {"indicators": indicator_names}

            def publish(batch: list, checked: dict) -> None:
                for month in batch:
                    audit = checked.get(month)
                    if audit and audit.blocking:
                        blocked[month.isoformat()] = audit.conclude(con, published=False)
                        report(context, f"{model.name}: {month:%Y-%m} NOT published, {blocked[month.isoformat()]}")
                        continue
                    rows = publish_month(con, model.table, staged, month, params, scope) if audited else replace_month(con, model.table, month, model.sql, params, scope, atomic=False)
                    audit.conclude(con, published=True) if audit else set_block(con, month, model.name, None)
                    written[month.isoformat()] = rows
                    report(context, f"{model.name}: {month:%Y-%m} -> {formatted(rows, count)} rows in {model.table}")

            audits, batch = [], []
            waivers = stored_waivers(con) if audited else None
            for position, month in enumerate(ready):
                if not audited:
                    publish([month], {})
                    continue
                # write-audit-publish: stage, audit the staged months at once (up to AUDIT_BATCH_ROWS rows), publish them
                stage_month(con, staged, month, model.sql, params)
                batch.append(month)
                if position < len(ready) - 1 and not audit_batch_full(con, staged):
                    continue
                checked = audit_staged(con, model.name, model.table, staged, batch, rules, quality, waivers)
                publish(batch, checked)
                audits += checked.values()
                con.execute(f'DROP TABLE "{staged}"')
                batch = []
            if model.outputs and written:
                per_key = dict(
                    con.execute(
                        f"SELECT dimension || '/' || indicator, count(*) FROM \"{model.table}\" WHERE month BETWEEN $a AND $b AND dimension || '/' || indicator IN (SELECT unnest($names)) GROUP BY ALL",
                        {"a": min(written), "b": max(written), "names": indicator_names},
                    ).fetchall()
                )
        results = check_results(model.keys, check_names, audits, quality, blocked) if rules else []
        if blocked and not written:
            yield from results  # the UI shows the failed audit even though nothing was materialised
            raise Failure(description=f"{model.name}: every month of this run is blocked", metadata={"blocked_months": blocked})
        for key in model.keys:
            metadata = {"table": model.table, "rows_by_month": written, "months": len(months), "blocked_months": blocked}
            if model.outputs:
                metadata["rows"] = per_key.get("/".join(key.path[-2:]), 0)
            yield MaterializeResult(asset_key=key, metadata=metadata, check_results=[r for r in results if r.asset_key == key])

    return _sql_asset


def build_sql_assets(root: Path, upstream_keys: list[AssetKey]) -> list:
    models = load_sql_models(root)
    all_keys = upstream_keys + [k for m in models for k in m.keys]
    # Which asset (by name) writes each key: the month gate records blocks per asset.
    producers = {k: k.to_user_string() for k in upstream_keys} | {k: m.name for m in models for k in m.keys}
    return [build_sql_asset(m, all_keys, producers) for m in models]
