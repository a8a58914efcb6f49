"""The factory that turns every ``dbt_like_sql/**/*.sql`` file into a month-partitioned asset.

A SQL file is a SELECT over the month's inputs, with the month bound as ``$month`` (never pasted into
the text). A comment header says what the asset is:

    -- name: merged_model_repos                  (default: the file name)
    -- description: one line for the asset catalogue
    -- deps: stg_model_repos, modelscope_model_repos[-1:0], accumulated_model_repos[-1:-1]
    -- table: indicator_values                   (default: the name)
    -- outputs: indicators/data/num_language, ... (several asset keys written by one statement)
    -- materialized: view                          (default: table)

``[a:b]`` on a dependency reads months a..b relative to the partition (``[-1:0]``: last month and this
one; ``[:0]``: every month up to this one). A ``view`` is a plain reshaping of other tables across all
months (it selects ``month`` itself and takes no ``$month``): it costs nothing to keep and is filtered
by month where it is read. A name ending in ``/*`` depends on every output key under that prefix. With ``outputs``, each row
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
    MaterializeResult,
    TimeWindowPartitionMapping,
    multi_asset,
)

from osir_assets.lib.duckdb_store import DuckDBStore, create_view, replace_month, transaction
from osir_assets.progress import report
from osir_assets.partitions import month_of, monthly_partitions

HEADER = re.compile(r"^--\s*(name|description|deps|table|outputs|group|materialized)\s*:\s*(.*)$")
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
            header[match.group(1)] = (header.get(match.group(1), "") + " " + match.group(2)).strip()
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
    )


def load_sql_models(root: Path) -> list[SqlModel]:
    return [parse_sql_model(p, root) for p in sorted(root.rglob("*.sql"))]


def _asset_deps(model: SqlModel, all_keys: list[AssetKey]) -> list[AssetDep]:
    deps = []
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
    return deps


def build_sql_asset(model: SqlModel, all_keys: list[AssetKey]):
    deps = _asset_deps(model, all_keys)
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
        partitions_def=monthly_partitions,
        backfill_policy=BackfillPolicy.single_run(),
        can_subset=False,
    )
    def _sql_asset(context: AssetExecutionContext, duckdb: DuckDBStore):
        months = sorted(month_of(k) for k in context.partition_keys)
        written = {}
        if model.materialized == "view":
            with duckdb.connect() as con:
                create_view(con, model.table, model.sql)
                for month in months:
                    written[month.isoformat()] = con.execute(f'SELECT count(*) FROM "{model.table}" WHERE month = $m', {"m": month}).fetchone()[0]
            report(context, f"{model.name}: view over all months; {sum(written.values())} rows in {len(months)} month(s)")
            yield MaterializeResult(asset_key=model.keys[0], metadata={"view": model.table, "rows_by_month": written})
            return
        with duckdb.connect() as con, transaction(con):
            for month in months:
                rows = replace_month(con, model.table, month, model.sql, {"indicators": indicator_names}, scope, atomic=False)
                written[month.isoformat()] = rows
                report(context, f"{model.name}: {month:%Y-%m} -> {rows} rows in {model.table}")
            if model.outputs:
                per_key = dict(
                    con.execute(
                        f"SELECT dimension || '/' || indicator, count(*) FROM \"{model.table}\" WHERE month BETWEEN $a AND $b AND dimension || '/' || indicator IN (SELECT unnest($names)) GROUP BY ALL",
                        {"a": months[0], "b": months[-1], "names": indicator_names},
                    ).fetchall()
                )
        for key in model.keys:
            metadata = {"table": model.table, "rows_by_month": written, "months": len(months)}
            if model.outputs:
                metadata["rows"] = per_key.get("/".join(key.path[-2:]), 0)
            yield MaterializeResult(asset_key=key, metadata=metadata)

    return _sql_asset


def build_sql_assets(root: Path, upstream_keys: list[AssetKey]) -> list:
    models = load_sql_models(root)
    all_keys = upstream_keys + [k for m in models for k in m.keys]
    return [build_sql_asset(m, all_keys) for m in models]
