"""Search every table of a month with the leaderboard's syntax: ``osir search`` (query.py parses, sql.py runs it in
DuckDB over the tables catalogue.py names, cli.py prints). The report's search box speaks the same syntax."""
