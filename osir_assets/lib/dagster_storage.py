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

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from dagster._core.events import ASSET_CHECK_EVENTS, ASSET_EVENTS, BATCH_WRITABLE_EVENTS
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.schema import SqlEventLogStorageTable
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
        # Dagster asks the schema about every asset event (a table of tags, a column of the asset index):
        # migrations only ever add tables and columns, so a "yes" holds for the life of the process.
        self._tables_found: set[str] = set()
        self._asset_key_columns_found: set[str] = set()
        super().__init__(base_dir, inst_data)

    def has_table(self, table_name: str) -> bool:
        if table_name not in self._tables_found:
            engine = self._engines(self.conn_string_for_shard(INDEX_SHARD_NAME))
            with engine.connect() as conn:
                if engine.dialect.has_table(conn, table_name):
                    self._tables_found.add(table_name)
        return table_name in self._tables_found

    def _has_asset_key_col_on_connection(self, conn: Connection, column_name: str) -> bool:
        if column_name not in self._asset_key_columns_found and super()._has_asset_key_col_on_connection(conn, column_name):
            self._asset_key_columns_found.add(column_name)
        return column_name in self._asset_key_columns_found

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._engines(self.conn_string_for_shard(shard))
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        """The rows ``store_event`` writes event by event, written per file in one transaction.

        Dagster hands over in batches (with ``DAGSTER_EVENT_BATCH_SIZE`` set, see ``EVENT_BATCH_SIZE``) a
        run's planned materialisations and checks, and the materialisations of each output, one per month.
        The asset index row of a key is written once per event type, from the last such event of the batch:
        each write overwrites the columns of its type, so the row ends as it would after every write.
        """
        if len({e.run_id for e in events}) != 1 or not all(e.is_dagster_event and e.dagster_event_type in BATCH_WRITABLE_EVENTS for e in events):
            super().store_event_batch(events)  # one by one, as Dagster's own storage does
            return
        rows = [self._event_to_row(e) for e in events]
        insert = SqlEventLogStorageTable.insert()
        with self.run_connection(events[0].run_id) as conn:
            conn.execute(insert, rows)
        mirrored = [(e, row) for e, row in zip(events, rows) if e.dagster_event_type in ASSET_EVENTS or e.dagster_event_type in ASSET_CHECK_EVENTS]
        with self.index_transaction() as conn:  # the cross-run index mirrors asset and check events
            ids = [conn.execute(insert, row).inserted_primary_key[0] for _, row in mirrored]
            asset_events = [(e, i) for (e, _), i in zip(mirrored, ids) if e.dagster_event_type in ASSET_EVENTS]
            self._store_asset_event_tags(conn, [e for e, _ in asset_events], [i for _, i in asset_events])
            last_of_type = {(e.dagster_event.asset_key, e.dagster_event_type): (e, i) for e, i in asset_events}
            for e, i in sorted(last_of_type.values(), key=lambda pair: pair[1]):
                self._store_asset_event(conn, e, i)
        for (e, _), i in zip(mirrored, ids):
            if e.dagster_event_type in ASSET_CHECK_EVENTS:
                self.store_asset_check_event(e, i)

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


# Dagster reads its batch size from the environment at each event; with none set it writes event by event.
EVENT_BATCH_SIZE = ("DAGSTER_EVENT_BATCH_SIZE", "1000")


def with_reused_engines(storage_data: ConfigurableClassData) -> ConfigurableClassData:
    """An instance's storage, as these classes when it is Dagster's default SQLite storage (else unchanged).
    Events are then handed to the storage in batches, unless the environment sets another batch size."""
    if (storage_data.module_name, storage_data.class_name) != ("dagster._core.storage.sqlite_storage", "DagsterSqliteStorage"):
        return storage_data
    os.environ.setdefault(*EVENT_BATCH_SIZE)
    return ConfigurableClassData(__name__, ReusedEngineSqliteStorage.__name__, storage_data.config_yaml)
