"""Screenshots of the Dagster UI on the default database's instance, as `make ui` opens it (after `make run`).

Starts the webserver on 127.0.0.1 (a free port) with DAGSTER_HOME = `osir instance`, opens the catalog and
influence_scores' partitions (January 2025 selected) in headless Chromium (Debian's /usr/bin/chromium), saves
docs/screenshots/ui-catalog.png and ui-partitions.png, and stops the webserver.

Run from the repository root: ``.venv/bin/python docs/screenshots/capture_ui.py``.
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


def main() -> None:
    home = subprocess.run([str(BIN / "osir"), "instance"], cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout.strip()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(BIN / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(port), "-w", "workspace.yaml"],
        cwd=REPO_ROOT, env={**os.environ, "DAGSTER_HOME": home}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True, preexec_fn=_default_signals,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if httpx.post(f"{base}/graphql", json={"query": "{ assetNodes { id } }"}, timeout=30).json()["data"]["assetNodes"]:
                    break
            except (httpx.TransportError, KeyError, TypeError):
                pass
            time.sleep(1)
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
            page.goto(f"{base}/assets/influence_scores?view=partitions&partition=2025-01-01", wait_until="networkidle")
            page.get_by_text("Latest materialization").first.wait_for()
            page.wait_for_timeout(3000)
            page.screenshot(path=str(OUT / "ui-partitions.png"))
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    print(f"wrote {OUT / 'ui-catalog.png'} and {OUT / 'ui-partitions.png'}")


if __name__ == "__main__":
    main()
