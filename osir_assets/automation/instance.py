"""``osir instance``: the Dagster instance folder that records the database's runs, for ``DAGSTER_HOME``.

``DAGSTER_HOME=$(osir instance) dagster dev -w workspace.yaml`` (what ``make ui`` runs) opens the UI on the runs
the CLI made for that database. The folder is created with the shipped configuration when it is new.
"""

import argparse
import os


def cmd_instance(args: argparse.Namespace) -> int:
    from osir_assets.lib.dagster_instance import prepare_instance_home
    from osir_assets.lib.duckdb_store import DEFAULT_DB

    print(prepare_instance_home(args.db or os.environ.get("OSIR_DB", DEFAULT_DB)))
    return 0
