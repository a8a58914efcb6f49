"""What a user installs is the wheel: built from this checkout, installed with the locked dependencies into a fresh
venv outside the repository, and run from a working directory that is not the checkout, offline.

``osir run`` generates the sample from the installed package and ranks it; ``osir reproduce`` over the published
archive writes every published table byte for byte (as the conformance test checks for the checkout).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from osir_assets_tests.conftest import OSIR_LMTS, REPO_ROOT
from osir_assets_tests.test_conformance import TABLES, published_months


def _uv() -> str:
    found = REPO_ROOT / ".tools" / "bin" / "uv"  # where `make setup` puts it
    if found.exists():
        return str(found)
    if shutil.which("uv"):
        return shutil.which("uv")
    pytest.skip("uv not found (`make setup` installs it into .tools/)")


def _run(command: list, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{' '.join(map(str, command))} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The venv's bin folder, with osir installed from the wheel and the lock file's versions."""
    uv, root = _uv(), tmp_path_factory.mktemp("wheel")
    _run([uv, "build", "--wheel", "--out-dir", root / "dist", "--quiet"], cwd=REPO_ROOT)
    wheel = next((root / "dist").glob("osir-*.whl"))
    requirements = root / "requirements.txt"
    _run([uv, "export", "--locked", "--no-emit-project", "--no-hashes", "--no-header", "--quiet", "--output-file", requirements], cwd=REPO_ROOT)
    _run([uv, "venv", "--quiet", "--python", sys.executable, root / "venv"], cwd=root)
    python = root / "venv" / "bin" / "python"
    _run([uv, "pip", "install", "--quiet", "--python", python, "--no-deps", "-r", requirements, wheel], cwd=root)
    return python.parent


def _user_env(home: Path) -> dict:
    # A user's environment: no checkout on the path, the sample generated afresh into the user's cache.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OSIR_", "DAGSTER_", "PYTHON", "VIRTUAL_ENV"))}
    return {**env, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}


def test_the_installed_wheel_carries_its_files_and_not_the_checkout(installed):
    site = next((installed.parent / "lib").glob("python3.*/site-packages"))
    package = site / "osir_assets"
    assert not (package / "bundled" / "dbt_like_sql").is_symlink()
    assert len(list((package / "bundled" / "dbt_like_sql").rglob("*.sql"))) == len(list((REPO_ROOT / "dbt_like_sql").rglob("*.sql")))
    for shipped in ["bundled/registry/organisations.yaml", "quality/sql/source_anomalies.sql", "registry/profiles/osir-lmts.yaml", "sources/live/label_rules.yaml", "synthetic.py"]:
        assert (package / shipped).is_file(), shipped
    assert not any(str(REPO_ROOT) in p.read_text() for p in site.glob("*.pth")), "an editable path leaked into the venv"


def test_osir_run_from_any_directory_ranks_the_generated_sample(installed, tmp_path):
    work = tmp_path / "elsewhere"
    work.mkdir()
    done = _run([installed / "osir", "run"], cwd=work, env=_user_env(tmp_path / "home"))
    assert "SAMPLE" in done.stderr
    assert "Sample Org" in done.stdout and "OSIR overall ranking, 2025-01" in done.stdout
    assert (work / "data" / "osir.duckdb").exists()
    assert list((tmp_path / "home" / ".cache" / "osir").glob("sample-*")), "the sample is generated into the user's cache"


def test_osir_reproduce_from_the_wheel_writes_the_published_tables(installed, tmp_path):
    if not (OSIR_LMTS / "config" / "org-links.json").exists():
        pytest.skip(f"published OSIR-LMTS data not found at {OSIR_LMTS}")
    out = tmp_path / "out"
    _run([installed / "osir", "reproduce", OSIR_LMTS, "--out", out, "--db", tmp_path / "osir.duckdb"], cwd=tmp_path, env=_user_env(tmp_path / "home"))
    folders = published_months(OSIR_LMTS)
    assert folders
    for folder in folders:
        for name in TABLES:
            assert (out / folder.name / name).read_text(encoding="utf-8-sig") == (folder / name).read_text(encoding="utf-8-sig"), f"{folder.name}/{name}"
