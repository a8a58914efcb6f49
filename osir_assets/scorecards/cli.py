"""``osir scorecard MODEL_ID`` and ``osir scorecards``: a model's card, and a month's cards as a list.

A collected model's card is read from the database; any other id is fetched live from the Hub and scored
against the month's population (``live_card.py``). Both print the same card, as a table or as JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re

MODEL_ID = re.compile(r"^[\w.\-]+/[\w.\-]+$")
CATEGORIES = ("popularity", "activity", "operational", "security")
SORTS = ("score", *CATEGORIES, "coverage", "downloads", "model")


def add_scorecard_commands(add, month_type) -> None:
    """Register the two commands; their handlers import duckdb, polars and the Hub client only when they run."""
    card = add("scorecard", "Print a model's scorecard: each category, each factor's raw value, points and source, and the flags.")
    card.add_argument("model", help="model id ACCOUNT/NAME; one OSIR has not collected is fetched live (HF_ENDPOINT, HF_TOKEN)")
    card.add_argument("--month", type=month_type, help="YYYY-MM (default: the latest month with scorecards)")
    card.add_argument("--format", choices=("table", "json"), default="table")
    card.set_defaults(handler=cmd_scorecard)

    cards = add("scorecards", "List a month's model scorecards.")
    cards.add_argument("--org", help="one organisation only (case-insensitive)")
    cards.add_argument("--month", type=month_type, help="YYYY-MM (default: the latest month with scorecards)")
    cards.add_argument("--sort", choices=SORTS, default="score", help="column to sort by, highest first (default: score)")
    cards.add_argument("--ascending", action="store_true", help="lowest first (e.g. --sort security --ascending: the riskiest models)")
    cards.add_argument("--limit", type=int, default=50, help="rows shown (default 50; 0: all)")
    cards.add_argument("--format", choices=("table", "json"), default="table")
    cards.set_defaults(handler=cmd_scorecards)


def _db(args) -> str:
    from osir_assets.lib.duckdb_store import DEFAULT_DB

    return args.db or os.environ.get("OSIR_DB", DEFAULT_DB)


def _open(db: str):
    import duckdb

    from osir_assets.errors import OsirInputError
    from osir_assets.lib.duckdb_store import table_exists

    if not os.path.exists(db):
        raise OsirInputError("no OSIR database here (run `osir run` or `osir collect` first)", db)
    con = duckdb.connect(db, read_only=True)
    if not table_exists(con, "model_scorecards"):
        con.close()
        raise OsirInputError("no scorecards in this database yet (run `osir run` or `osir collect` first)", db)
    return con


def _month(con, wanted: dt.date | None, db: str) -> dt.date:
    from osir_assets.errors import OsirInputError

    months = [r[0] for r in con.execute("SELECT DISTINCT month FROM model_scorecards ORDER BY month").fetchall()]
    if not months:
        raise OsirInputError("no month has scorecards yet (run `osir run` or `osir collect` first)", db)
    if wanted is None:
        return months[-1]
    if wanted not in months:
        raise OsirInputError(f"no scorecards for {wanted:%Y-%m} (months with scorecards: {', '.join(f'{m:%Y-%m}' for m in months)})")
    return wanted


def read_card(con, month: dt.date, model: str) -> dict | None:
    """A model's card in the JSON shape of ``osir scorecard --format json`` (None when the month has no card for it)."""
    row = con.execute(
        "SELECT model, org, popularity, activity, operational, security, score, coverage, flags, partial, platform FROM model_scorecards "
        "WHERE month = $month AND lower(model) = lower($model)",
        {"month": month, "model": model},
    ).fetchone()
    if row is None:
        return None
    factors = con.execute(
        "SELECT category, factor, value, points, source FROM model_scorecard_factors WHERE month = $month AND model = $model "
        "ORDER BY list_position(['popularity', 'activity', 'operational', 'security'], category), factor",
        {"month": month, "model": row[0]},
    ).fetchall()
    keys = ("model", "org", *CATEGORIES, "score", "coverage", "flags", "partial", "platform")
    card = dict(zip(keys, row))
    return {
        "model": card["model"], "month": f"{month:%Y-%m}", **{c: card[c] for c in CATEGORIES}, "score": card["score"], "coverage": card["coverage"],
        "factors": [dict(zip(("category", "factor", "value", "points", "source"), f)) for f in factors], "flags": list(card["flags"]),
        "org": card["org"], "partial": card["partial"], "platform": card["platform"],
    }  # fmt: skip


def _points(value) -> str:
    return "-" if value is None else f"{value:.2f}"


def _value(value) -> str:
    if value is None:
        return "not collected"
    return f"{int(value):,}" if re.fullmatch(r"\d+", value) else value


def render_card(card: dict, origin: str) -> str:
    lines = [
        f"{card['model']}  ({card['month']}, {origin})",
        f"score {_points(card['score'])} / 10   coverage {card['coverage']:.2f}   organisation {card['org'] or 'none registered'}"
        + ("   PARTIAL: archive month, crawl fields only" if card["partial"] else ""),
        "flags: " + (", ".join(card["flags"]) or "none"),
        "",
        "   ".join(f"{c} {_points(card[c])}" for c in CATEGORIES),
        "",
    ]
    rows = [(f["category"], f["factor"], _value(f["value"]), _points(f["points"]), f["source"]) for f in card["factors"]]
    header = ("category", "factor", "value", "points", "source")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    for row in [header, *rows]:
        value = row[2] if len(row[2]) <= 48 else row[2][:45] + "..."
        lines.append(f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {value:<{min(widths[2], 48)}}  {row[3]:>{widths[3]}}  {row[4]}")
    return "\n".join(lines)


def cmd_scorecard(args) -> int:
    from osir_assets.errors import OsirInputError

    if not MODEL_ID.match(args.model):
        raise OsirInputError(f"'{args.model}' is not a model id ACCOUNT/NAME")
    db = _db(args)
    with _open(db) as con:
        month = _month(con, args.month, db)
        card = read_card(con, month, args.model)
        population = con.execute("SELECT count(*) FROM model_scorecards WHERE month = $m", {"m": month}).fetchone()[0]
    if card is not None:
        origin = f"collected by OSIR from {card['platform']}, one of {population:,} models"
    else:
        from osir_assets.scorecards.live_card import fetch_model_repo, score_fetched

        fetched, endpoint = fetch_model_repo(args.model)
        with score_fetched(db, month, fetched) as live:
            card = read_card(live, month, f"{fetched['account'][0]}/{fetched['name'][0]}")
        origin = f"not collected: fetched live from {endpoint}, scored against {population:,} collected models"
    if args.format == "json":
        print(json.dumps({k: card[k] for k in ("model", "month", *CATEGORIES, "score", "coverage", "factors", "flags")}, indent=1))
    else:
        print(render_card(card, origin))
    return 0


def cmd_scorecards(args) -> int:
    db = _db(args)
    with _open(db) as con:
        month = _month(con, args.month, db)
        order = "s.model" if args.sort == "model" else f"{'c.downloads' if args.sort == 'downloads' else 's.' + args.sort} {'ASC' if args.ascending else 'DESC'} NULLS LAST, s.model"
        rows = con.execute(
            f"""SELECT s.model, s.org, c.downloads, s.score, s.popularity, s.activity, s.operational, s.security, s.coverage, s.flags, s.partial
                FROM model_scorecards AS s LEFT JOIN model_cards AS c ON c.month = s.month AND c.model = s.model
                WHERE s.month = $month AND ($org IS NULL OR lower(s.org) = lower($org))
                ORDER BY {order} {'LIMIT ' + str(int(args.limit)) if args.limit > 0 else ''}""",
            {"month": month, "org": args.org},
        ).fetchall()
    keys = ("model", "org", "downloads", "score", *CATEGORIES, "coverage", "flags", "partial")
    if args.format == "json":
        print(json.dumps([dict(zip(keys, r)) | {"month": f"{month:%Y-%m}", "flags": list(r[9])} for r in rows], indent=1))
        return 0
    header = ("model", "org", "downloads", "score", "popul.", "activ.", "operat.", "secur.", "cover.", "flags")
    table = [(r[0], r[1] or "-", f"{r[2]:,}" if r[2] is not None else "-", *(_points(v) for v in r[3:9]), ", ".join(r[9]) + (" (partial)" if r[10] else "")) for r in rows]
    widths = [max([len(header[i])] + [len(t[i]) for t in table]) for i in range(9)]
    print(f"Model scorecards, {month:%Y-%m}" + (f", {args.org}" if args.org else "") + f" ({len(rows):,} shown)")
    for row in [header, *table]:
        print("  ".join(f"{row[i]:<{widths[i]}}" if i < 2 else f"{row[i]:>{widths[i]}}" for i in range(9)) + "  " + row[9])
    return 0


