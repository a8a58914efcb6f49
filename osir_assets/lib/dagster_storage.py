"""Dagster's SQLite run history, written by an osir process at a fraction of the cost: one engine per file.

Dagster's SQLite storages build a new SQLAlchemy engine for every statement they run (create the engine,
check the schema, connect, commit, dispose): a run of the four published months stores about 1,600 events
and made about 8,400 engines, which cost more than the inserts themselves (+46% on the whole `osir
reproduce`, issue 15). The classes here keep one engine per database file for the life of the process,
and the engine keeps its connection open between statements (SQLAlchemy's default pool): opening a SQLite
file and setting its pragmas for every statement was another 4,000 connections a run (issue 14). An idle
connection holds no lock, so `dagster dev` and the daemon read and write the same files meanwhile, with
Dagster's own classes, same schema.

Writes skip SQLite's fsync on these engines only: a killed process loses nothing, an OS crash or power cut
may lose or damage the run history (never the DuckDB data).
"""

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from dagster._core.storage.event_log.sqlite.sqlite_event_log import INDEX_SHARD_NAME, SQLITE_BUSY_TIMEOUT_SECONDS, SqliteEventLogStorage
from dagster._core.storage.runs.sqlite.sqlite_run_storage import SqliteRunStorage
from dagster._core.storage.schedules.sqlite.sqlite_schedule_storage import SqliteScheduleStorage
from dagster._core.storage.sqlite_storage import DagsterSqliteStorage, _event_logs_directory, _runs_directory, _schedule_directory
from dagster._serdes import ConfigurableClassData
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine


def _no_fsync(dbapi_connection, _connection_record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous=OFF")


class _Engines:
    """One engine per connection string, made on first use."""

    def __init__(self, **engine_kwargs) -> None:
        self._engines: dict[str, Engine] = {}
        self._lock = threading.Lock()
        self._kwargs = engine_kwargs

    def __call__(self, conn_string: str) -> Engine:
        with self._lock:
            engine = self._engines.get(conn_string)
            if engine is None:
                engine = self._engines[conn_string] = create_engine(conn_string, **self._kwargs)
                event.listen(engine, "connect", _no_fsync)
            return engine

    def dispose(self) -> None:
        with self._lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()


class ReusedEngineEventLogStorage(SqliteEventLogStorage):
    """The event log (a file per run plus the index file), one engine per file."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self._engines = _Engines(connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
        super().__init__(base_dir, inst_data)

    def has_table(self, table_name: str) -> bool:
        engine = self._engines(self.conn_string_for_shard(INDEX_SHARD_NAME))
        with engine.connect() as conn:
            return bool(engine.dialect.has_table(conn, table_name))

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._engines(self.conn_string_for_shard(shard))
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def dispose(self) -> None:
        super().dispose()
        self._engines.dispose()


class ReusedEngineRunStorage(SqliteRunStorage):
    """The run list (``history/runs.db``), one engine."""

    def __init__(self, conn_string: str, inst_data: ConfigurableClassData | None = None):
        self._engines = _Engines()
        super().__init__(conn_string, inst_data)

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with self._engines(self._conn_string).connect() as conn, conn.begin():
            yield conn

    def dispose(self) -> None:
        super().dispose()
        self._engines.dispose()


class ReusedEngineSqliteStorage(DagsterSqliteStorage):
    """Dagster's default SQLite storage (same folders, same files), with the two storages above."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self.base_dir = base_dir
        self._run_storage = ReusedEngineRunStorage.from_local(_runs_directory(base_dir))
        self._event_log_storage = ReusedEngineEventLogStorage(_event_logs_directory(base_dir))
        self._schedule_storage = SqliteScheduleStorage.from_local(_schedule_directory(base_dir))
        self._inst_data = inst_data
        super(DagsterSqliteStorage, self).__init__()

    @classmethod
    def from_config_value(cls, inst_data: ConfigurableClassData | None, config_value) -> "ReusedEngineSqliteStorage":
        return cls.from_local(inst_data=inst_data, **config_value)


def with_reused_engines(storage_data: ConfigurableClassData) -> ConfigurableClassData:
    """An instance's storage, as these classes when it is Dagster's default SQLite storage (else unchanged)."""
    if (storage_data.module_name, storage_data.class_name) != ("dagster._core.storage.sqlite_storage", "DagsterSqliteStorage"):
        return storage_data
    return ConfigurableClassData(__name__, ReusedEngineSqliteStorage.__name__, storage_data.config_yaml)
