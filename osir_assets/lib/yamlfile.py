"""Reading the project's YAML files with errors that name the file and line."""

from pathlib import Path

import yaml

from osir_assets.errors import OsirInputError


def read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise OsirInputError(f"cannot read ({exc.strerror})", str(path)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise OsirInputError(f"malformed YAML ({getattr(exc, 'problem', exc)})", str(path), mark.line + 1 if mark else None) from None
    if not isinstance(data, dict):
        raise OsirInputError("a YAML mapping was expected", str(path), 1)
    return data
