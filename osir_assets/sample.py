"""The generated SAMPLE archive that `osir run` and the tests use when no archive is named.

A small synthetic archive in the OSIR-LMTS layout (osir_assets/synthetic.py), generated on first use under the
user's cache folder (or OSIR_SAMPLE_DIR), not shipped. The folder name carries a hash of the generator and shape,
so a changed generator writes a fresh sample instead of reusing a stale one. A domain that adds to the sample keeps
its part in ``osir_assets/<domain>/sample_data.py`` (called from synthetic.py); those files count in the hash too.
"""

import hashlib
import os
import shutil
from pathlib import Path

from osir_assets.lib.package_files import package_path

SAMPLE_SHAPE = {"orgs": 6, "models_per_org": 40, "datasets_per_org": 15, "months": 3, "seed": 7}
_GENERATORS = [package_path("synthetic.py"), *sorted(package_path().glob("*/sample_data.py"))]
SAMPLE_ROOT = Path(os.environ.get("OSIR_SAMPLE_DIR") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "osir") / (
    "sample-" + hashlib.sha1(b"".join(p.read_bytes() for p in _GENERATORS) + repr(SAMPLE_SHAPE).encode()).hexdigest()[:12]
)


def sample_archive(root: Path | None = None) -> Path:
    """The sample archive, generated the first time it is asked for (0.2 s), atomically."""
    root = root or SAMPLE_ROOT
    if not root.is_dir():
        from osir_assets.synthetic import generate_archive

        building = root.with_name(f"{root.name}.{os.getpid()}.tmp")
        shutil.rmtree(building, ignore_errors=True)
        generate_archive(building, **SAMPLE_SHAPE)
        try:
            building.rename(root)
        except OSError:  # another process finished first: its sample is the same
            shutil.rmtree(building, ignore_errors=True)
    return root


def is_sample(root) -> bool:
    """Whether an archive folder is the generated sample (its output is then headed SAMPLE)."""
    return (Path(root) / "README.md").is_file() and "SAMPLE DATA: synthetic" in (Path(root) / "README.md").read_text(encoding="utf-8")
