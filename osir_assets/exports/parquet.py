"""Write a month's tables as Parquet: ``OUT/<YYYY-MM>/<table>.parquet``, one file per table with that month's rows.

Every base table that carries ``month`` is exported (sources, registry, staging, merged repositories,
indicators, scores); views are left out, since they reshape tables that are exported. DuckDB writes
the files itself (``COPY ... TO``) through a temporary name, so a file is either complete or absent.
"""

import datetime as dt
from pathlib import Path

import duckdb

MONTH_TABLES_SQL = """
SELECT t.table_name
FROM information_schema.tables AS t
JOIN information_schema.columns AS c ON c.table_schema = t.table_schema AND c.table_name = t.table_name
WHERE t.table_schema = 'main' AND t.table_type = 'BASE TABLE' AND c.column_name = 'month'
ORDER BY t.table_name
"""


def month_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [row[0] for row in con.execute(MONTH_TABLES_SQL).fetchall()]


def write_month_parquet(con: duckdb.DuckDBPyConnection, month: dt.date, out: Path, tables: list[str] | None = None) -> list[Path]:
    """Export ``month``'s rows of each table that has any; returns the files written."""
    folder = Path(out) / f"{month:%Y-%m}"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in tables or month_tables(con):
        if not con.execute(f'SELECT count(*) FROM "{table}" WHERE month = $month', {"month": month}).fetchone()[0]:
            continue
        target = folder / f"{table}.parquet"
        temporary = folder / f".{table}.parquet.tmp"
        # The path is ours (a folder and a table name), so quoting it into the statement is safe.
        path = str(temporary).replace("'", "''")
        con.execute(f"COPY (SELECT * FROM \"{table}\" WHERE month = $month) TO '{path}' (FORMAT parquet, COMPRESSION zstd)", {"month": month})
        temporary.replace(target)
        written.append(target)
    return written
