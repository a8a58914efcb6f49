"""The monthly HTML report, rendered by headless Chromium, and the Parquet export of the month's tables."""

import datetime as dt
import re
import subprocess
from pathlib import Path

import duckdb
import polars as pl
import pytest

from osir_assets.cli import main
from osir_assets.exports.parquet import month_tables

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
JANUARY = dt.date(2025, 1, 1)


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    if not CHROMIUM.exists():
        pytest.skip("headless Chromium not installed at /usr/bin/chromium (`make chromium` installs it; CI does)")
    command = [str(CHROMIUM), "--headless", *CHROMIUM_ARGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


@pytest.fixture(scope="module")
def report_dir(sample_db, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    assert main(["report", "--month", "2025-01", "--out", str(out), "--db", str(sample_db)]) == 0
    return out


def test_report_is_self_contained(report_dir):
    page = (report_dir / "osir-2025-01.html").read_text(encoding="utf-8")
    # Works offline: nothing is fetched from anywhere; the one script (the search box) is inline.
    assert not re.search(r"""(src|href|action)\s*=\s*["']?(https?:)?//""", page) and "url(" not in page
    assert "@import" not in page and not re.search(r"\b(fetch|XMLHttpRequest|import\s*\()", page)
    assert page.count("<script") == 1 and "<script>" in page and "<style>" in page


def test_report_renders_tables_and_rank_history_charts_in_chromium(report_dir, sample_db, tmp_path):
    html_file = report_dir / "osir-2025-01.html"
    dom = chromium("--dump-dom", html_file.as_uri(), profile=tmp_path / "profile").stdout
    with duckdb.connect(str(sample_db), read_only=True) as con:
        ranked = [r[0] for r in con.execute("SELECT org FROM influence_scores WHERE month = $m AND view = 'monthly' ORDER BY rank, org_position", {"m": JANUARY}).fetchall()]
        months_ranked = con.execute("SELECT count(DISTINCT month) FROM influence_scores WHERE view = 'monthly' AND month <= $m", {"m": JANUARY}).fetchone()[0]

    # The overall table, the accumulated one, four dimension tables, four indicator breakdowns, the leaderboard's two,
    # three scorecard tables.
    assert dom.count("<table") == 2 + 4 + 4 + 2 + 3
    overall = dom[dom.index('id="overall"'):dom.index('id="overall-accumulated"')]
    assert [m for m in re.findall(r'<td class="org">([^<]+)</td>', overall)] == ranked
    for heading in ('id="rank-data"', 'id="rank-eval"', 'id="indicators-model"', 'id="indicators-infra"'):
        assert heading in dom

    # One rank history chart (altair, static SVG) per ranked organisation, in rank order; each draws overall + four
    # dimension lines, with a point per ranked month.
    charts = re.findall(r'<figure class="rank-history" role="img" aria-label="rank history of ([^"]+)"><svg.*?</svg></figure>', dom, flags=re.S)
    assert charts == ranked
    for chart in re.findall(r'<figure class="rank-history".*?</figure>', dom, flags=re.S):
        lines = re.findall(r'<g class="mark-line role-mark[^"]*"[^>]*>(.*?)</g>', chart, flags=re.S)
        assert len(lines) == 5 and all(line.count("<path") == 1 for line in lines)
        points = re.search(r'<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)</g>', chart, flags=re.S).group(1)
        assert points.count("<path") == 5 * months_ranked

    # The breakdown shows the raw value and who set the column maximum on hover.
    assert re.search(r'title="num_operators: value [\d.]+ of max [\d.]+ \(Sample Org \d\)"', dom)

    # The leaderboard section: the sample's synthetic leaderboard, its figures as in the database, and eight charts.
    section = dom[dom.index('<section id="leaderboard">'):]
    section = section[: section.index("</section>")]
    with duckdb.connect(str(sample_db), read_only=True) as con:
        models, authors = con.execute("SELECT models, authors FROM leaderboard_concentration WHERE month = $m", {"m": JANUARY}).fetchone()
        with_models = con.execute("SELECT count(*) FROM leaderboard_organisations WHERE month = $m", {"m": JANUARY}).fetchone()[0]
    assert re.search(rf"<td>{models:,}</td><td>{authors:,}</td><td>[\d.]+%</td>", section)
    assert section.count('<figure class="leaderboard-chart"') == 8
    assert section.count('<td class="org">Sample Org') == with_models > 0

    shot = tmp_path / "report.png"
    chromium("--window-size=1280,2000", f"--screenshot={shot}", html_file.as_uri(), profile=tmp_path / "profile")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_parquet_export_holds_the_months_rows_of_every_table(report_dir, sample_db):
    folder = report_dir / "parquet" / "2025-01"
    with duckdb.connect(str(sample_db), read_only=True) as con:
        expected = {t: con.execute(f'SELECT count(*) FROM "{t}" WHERE month = $m', {"m": JANUARY}).fetchone()[0] for t in month_tables(con)}
        scores = con.execute("SELECT * FROM influence_scores WHERE month = $m ORDER BY view, org", {"m": JANUARY}).pl()
    assert {p.stem for p in folder.glob("*.parquet")} == {t for t, n in expected.items() if n}
    for path in folder.glob("*.parquet"):
        assert pl.read_parquet(path).height == expected[path.stem], path.name
    assert pl.read_parquet(folder / "influence_scores.parquet").sort("view", "org").equals(scores)
    assert not list(folder.glob(".*.tmp"))


def test_report_of_an_unranked_month_is_refused(sample_db, tmp_path, capsys):
    assert main(["report", "--month", "2024-11", "--out", str(tmp_path), "--db", str(sample_db)]) == 2
    assert "no monthly overall ranking for 2024-11: materialised, but no curated infrastructure table is in force" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.html"))



def test_report_search_box_filters_every_table_and_highlights(report_dir, tmp_path):
    if not CHROMIUM.exists():
        pytest.skip("headless Chromium not installed at /usr/bin/chromium (`make chromium` installs it; CI does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto((report_dir / "osir-2025-01.html").as_uri())
        page.fill("#search", "org 3; ORG 5")
        page.wait_for_function("() => document.body.dataset.searched === 'org 3; ORG 5'")
        shown = page.eval_on_selector_all("table tr:not([hidden]) td.org", "cells => cells.map((c) => c.innerHTML)")
        notice = page.inner_text("#search-notice")
        browser.close()
    # Overall, accumulated, four dimension tables, four breakdowns, the leaderboard's registered organisations and the
    # scorecards' organisation roll-up: two organisations each, plus the breakdowns' max rows.
    assert sorted(shown) == sorted(["Sample <mark>Org 3</mark>", "Sample <mark>Org 5</mark>"] * 12 + ["max (hover: set by)"] * 4)
    assert notice == "24 of 84 rows"
