"""The DuckDB file as the Dagster resource every asset writes through (lib/duckdb_store.py has the ways a
month is written). Apart from that module so that the commands that only read the database never import Dagster."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from dagster import ConfigurableResource, InitResourceContext
from pydantic import Field, PrivateAttr

from osir_assets.lib.duckdb_store import DEFAULT_DB


class DuckDBStore(ConfigurableResource):
    """The OSIR database: one DuckDB file (OSIR_DB, default data/osir.duckdb under the working folder).

    During a run the file is opened once and every step gets its own cursor on it: opening and closing
    the file per step costs more than most steps' SQL.
    """

    path: str = Field(default=DEFAULT_DB, description="Path of the DuckDB file.")
    memory_limit: str = Field(default="", description="DuckDB memory limit, e.g. '512MB' (OSIR_DUCKDB_MEMORY); empty: DuckDB's default.")
    lock_timeout_seconds: float = Field(default=120.0, description="How long to wait while another process holds the file (a run, or a reader's short query) before giving up.")

    def _open(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        import logging
        import time

        config = {"memory_limit": self.memory_limit} if self.memory_limit else {}
        # Row order of an INSERT never matters here (every read orders or aggregates): dropping it saves memory.
        config["preserve_insertion_order"] = False
        # DuckDB locks the file per process: a writer waits for another process's connection (even a
        # read-only one) to close, and a reader for a writer. Waiting a bounded time with backoff turns a
        # short overlap (a query in a notebook, the previous run still closing) into a delay, not a failure.
        deadline, pause, warned = time.monotonic() + self.lock_timeout_seconds, 0.05, False
        while True:
            try:
                return duckdb.connect(self.path, read_only=read_only, config=config)
            except duckdb.IOException as exc:
                if "Could not set lock" not in str(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise duckdb.IOException(
                        f"{self.path} is still locked by another process after {self.lock_timeout_seconds:.0f}s; close the other "
                        f"connection or wait for the running OSIR run to finish ({' '.join(str(exc).split())})"
                    ) from None
                if not warned:
                    logging.getLogger("osir.progress").warning("%s is locked by another process; waiting up to %.0fs", self.path, self.lock_timeout_seconds)
                    warned = True
                time.sleep(min(pause, max(deadline - time.monotonic(), 0.0)))
                pause = min(pause * 2, 2.0)
    _run_connection: duckdb.DuckDBPyConnection | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._run_connection = self._open()

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        if self._run_connection is not None:
            self._run_connection.close()
            self._run_connection = None

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        if self._run_connection is not None and not read_only:
            cursor = self._run_connection.cursor()
            try:
                yield cursor
            finally:
                cursor.close()
            return
        if not read_only:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        con = self._open(read_only)
        try:
            yield con
        finally:
            con.close()
