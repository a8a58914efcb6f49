"""Leaderboard analytics: how the community builds on open models (the Open LLM Leaderboard, every month).

The source asset (assets.py) normalises a snapshot (source.py) from a file, the archive or the live dataset
(resources.py); the analytics are SQL under dbt_like_sql/leaderboard/; figures.py reads them back for
`osir analytics` (cli.py) and the report's section (report_section.py); sample_data.py adds a synthetic
leaderboard to the generated sample.
"""
