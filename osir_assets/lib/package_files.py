"""Files the program reads at run time, found inside the installed package through importlib.resources.

The top-level ``dbt_like_sql/`` and ``registry/`` folders stay the source of truth in a checkout; the package
reaches them through ``osir_assets/bundled/`` (symbolic links in the checkout, real folders in the wheel, which
the build backend fills by following the links). Nothing here looks at the working directory or the checkout.
"""

from importlib.resources import files
from pathlib import Path


def package_path(*parts: str) -> Path:
    """A file or folder shipped inside ``osir_assets`` (a wheel installs it as plain files on disk)."""
    return Path(str(files("osir_assets").joinpath(*parts)))


SQL_ROOT = package_path("bundled", "dbt_like_sql")  # every asset's SQL (lib/sql_assets.py)
NATIVE_REGISTRY = package_path("bundled", "registry")  # OSIR's own registry of organisations and accounts
