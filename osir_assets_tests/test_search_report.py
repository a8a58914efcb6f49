"""The report's search box, typed into in headless Chromium: the shared cases give the same names as `osir search`.

Each case's table is rendered, every column as DuckDB writes it as text, with the report's own table markup and
script (``html_page``, ``html_table``); the test types the query into the box and reads the rows left visible.
"""

from pathlib import Path

import duckdb
import pytest

from osir_assets.exports.report import SEARCH_BOX, html_page, html_table
from osir_assets.search.catalogue import CATALOGUE
from osir_assets_tests.search_fixtures import CASES, build_search_db, case_id, case_month

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]

VISIBLE_NAMES = """() => {
    const table = document.querySelector("table[data-search-table]");
    const header = [...table.rows[0].cells].map((c) => c.textContent);
    const at = header.indexOf(table.dataset.searchName);
    return [...table.rows].slice(1).filter((r) => !r.hidden).map((r) => r.cells[at].textContent);
}"""


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("headless Chromium not installed at /usr/bin/chromium (`make chromium` installs it; CI does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def table_pages(tmp_path_factory):
    """One page per table and month of the cases, its rows and columns as the search tables hold them."""
    folder = tmp_path_factory.mktemp("search-pages")
    db = build_search_db(folder / "osir.duckdb")
    pages = {}
    with duckdb.connect(str(db), read_only=True) as con:
        for table, month in {(c["table"], case_month(c)) for c in CASES}:
            entry = CATALOGUE[table]
            columns = [r[0] for r in con.execute(f"DESCRIBE {entry.table}").fetchall() if r[0] != "name"]
            as_text = ", ".join(f'CAST("{c}" AS VARCHAR) AS "{c}"' for c in columns)
            frame = con.execute(f"SELECT {entry.name_sql} AS name, {as_text} FROM {entry.table} WHERE month = $month", {"month": month}).pl()
            page = folder / f"{table}-{month:%Y-%m}.html"
            page.write_text(html_page(table, SEARCH_BOX + html_table(frame, text_columns=("name",), search_table=table)), encoding="utf-8")
            pages[table, month] = page.as_uri()
    return pages


@pytest.fixture(scope="module")
def tab(browser):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert errors == []


def typed(tab, query: str) -> None:
    tab.fill("#search", query)
    tab.wait_for_function("query => document.body.dataset.searched === query", arg=query)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_search_case_in_the_report(case, table_pages, tab):
    uri = table_pages[case["table"], case_month(case)]
    if tab.url != uri:
        tab.goto(uri)
    typed(tab, case["query"])
    notice = tab.inner_text("#search-notice")
    visible = tab.evaluate(VISIBLE_NAMES)
    if "error" in case:
        assert visible == [] and case["error"] in notice
        return
    assert sorted(visible) == sorted(case["names"])
    assert notice.startswith(f"{len(case['names'])} of ")
    assert (case["notice"] in notice) if "notice" in case else "·" not in notice


def test_matches_are_highlighted_and_clearing_the_box_shows_every_row(table_pages, tab):
    tab.goto(table_pages["leaderboard", case_month({})])
    typed(tab, "llama-2-(7|13)b @precision:4BIT; falcon")
    marked = tab.eval_on_selector_all("tr:not([hidden]) mark", "marks => marks.map((m) => m.textContent)")
    assert sorted(marked) == sorted(["Llama-2-13B", "4bit", "falcon"])
    typed(tab, "")
    assert len(tab.evaluate(VISIBLE_NAMES)) == 10 and tab.eval_on_selector_all("mark", "m => m.length") == 0
    assert tab.inner_text("#search-notice") == ""
