import os
import shutil
from pathlib import Path

import duckdb
import pytest

from osir_assets.definitions import build_resources
from osir_assets.runner import materialize_months
from osir_assets.sources.archive import validate_archive
from osir_assets.sample import sample_archive

REPO_ROOT = Path(__file__).resolve().parent.parent

# Runs record into the instance beside their temporary database, never into the developer's own DAGSTER_HOME
# (tests that need one set it themselves).
os.environ.pop("DAGSTER_HOME", None)
OSIR_LMTS = REPO_ROOT.parent / "shared" / "osir-lmts"


def run_archive(root: Path, db: Path, **resource_options) -> list:
    months = validate_archive(root)
    materialize_months(months, build_resources(str(db), str(root), **resource_options))
    return months


@pytest.fixture(scope="session")
def osir_lmts_root() -> Path:
    if not (OSIR_LMTS / "config" / "org-links.json").exists():
        pytest.skip(f"published OSIR-LMTS data not found at {OSIR_LMTS} (CI has it beside the repository as ../shared)")
    return OSIR_LMTS


@pytest.fixture(scope="session")
def published_db(osir_lmts_root, tmp_path_factory) -> Path:
    """The whole published archive, materialised once for the session."""
    db = tmp_path_factory.mktemp("published") / "osir.duckdb"
    run_archive(osir_lmts_root, db)
    return db


@pytest.fixture()
def sample_copy(tmp_path) -> Path:
    """A writable copy of the sample archive, for tests that change it."""
    return Path(shutil.copytree(sample_archive(), tmp_path / "archive"))


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("sample") / "osir.duckdb"
    run_archive(sample_archive(), db)
    return db


def month_hash(db: Path, table: str, month) -> str:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            f"SELECT md5(coalesce(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR), '')) FROM \"{table}\" AS t WHERE month = $m", {"m": month}
        ).fetchone()[0]


def all_tables(db: Path) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1").fetchall()]
