"""Screenshots of the Dagster UI on the default database's instance, as `make ui` opens it (after `make run`).

Starts the webserver on 127.0.0.1 (a free port) with DAGSTER_HOME = `osir instance`, opens the catalog and
influence_scores' partitions (January 2025 selected) in headless Chromium (Debian's /usr/bin/chromium), saves
docs/screenshots/ui-catalog.png and ui-partitions.png, and stops the webserver.

``--stale``: in a temporary folder, `osir run` on a copy of the sample, an edit of December's curated infra table,
one tick of the registry_versions sensor (its observations recorded as the daemon records them), then the UI on
that instance: docs/screenshots/ui-stale.png shows curated_infra_indicators' partitions, December unsynced.

Run from the repository root: ``.venv/bin/python docs/screenshots/capture_ui.py [--stale]``.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

REPO_ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


def _default_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def start_webserver(home: str, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(BIN / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(port), "-w", "workspace.yaml"],
        cwd=REPO_ROOT, env={**os.environ, **(env or {}), "DAGSTER_HOME": home}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True, preexec_fn=_default_signals,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            if httpx.post(f"{base}/graphql", json={"query": "{ assetNodes { id } }"}, timeout=30).json()["data"]["assetNodes"]:
                break
        except (httpx.TransportError, KeyError, TypeError):
            pass
        time.sleep(1)
    return server, base


def partitions_page(page, url: str, shot: Path) -> None:
    """An asset's partitions view, once the selected partition's materialisation has loaded."""
    page.goto(url, wait_until="networkidle")
    page.get_by_text("Latest materialization").first.wait_for(timeout=120_000)
    page.wait_for_timeout(3000)
    page.screenshot(path=str(shot))


def main() -> None:
    home = subprocess.run([str(BIN / "osir"), "instance"], cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout.strip()
    server, base = start_webserver(home)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 950})
            page.goto(f"{base}/assets", wait_until="networkidle")
            page.get_by_text("accumulated_dataset_repos").first.wait_for(timeout=120_000)
            for _ in range(60):  # each row's partition counts arrive after the list
                if not page.get_by_text("- partitions").count():
                    break
                page.wait_for_timeout(1000)
            page.screenshot(path=str(OUT / "ui-catalog.png"))
            partitions_page(page, f"{base}/assets/influence_scores?view=partitions&partition=2025-01-01", OUT / "ui-partitions.png")
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    print(f"wrote {OUT / 'ui-catalog.png'} and {OUT / 'ui-partitions.png'}")


def stale() -> None:
    import shutil
    import tempfile

    from dagster import DagsterInstance, build_sensor_context

    from osir_assets.definitions import defs
    from osir_assets.registry.resources import RegistryResource
    from osir_assets.sample import sample_archive

    folder = Path(tempfile.mkdtemp(prefix="osir-stale-"))
    archive, db = folder / "archive", folder / "osir.duckdb"
    shutil.copytree(sample_archive(), archive)
    env = {"OSIR_DB": str(db), "OSIR_ARCHIVE": str(archive)}
    subprocess.run([str(BIN / "osir"), "run"], cwd=REPO_ROOT, env={**os.environ, **env}, check=True, capture_output=True)
    infra = archive / "data" / "2024-12-14" / "infra-summary.csv"
    lines = infra.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[1] = "97"
    infra.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    home = str(folder / "dagster_home")
    with DagsterInstance.from_config(home) as instance:
        sensor = defs.get_repository_def().get_sensor_def("registry_versions")
        result = sensor.evaluate_tick(build_sensor_context(instance=instance, definitions=defs, resources={"registry": RegistryResource(path=str(archive))}))
        for observation in result.asset_events:
            instance.report_runless_asset_event(observation)
    server, base = start_webserver(home, env)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 950})
            partitions_page(page, f"{base}/assets/curated_infra_indicators?view=partitions&partition=2024-12-01", OUT / "ui-stale.png")
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
    print(f"wrote {OUT / 'ui-stale.png'}")


if __name__ == "__main__":
    stale() if "--stale" in sys.argv[1:] else main()
