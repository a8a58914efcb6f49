"""Errors a user can act on: each names the file (and line) at fault in one sentence."""


class OsirInputError(Exception):
    """Bad input: a missing folder, a malformed record, a registry that does not validate."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        where = f"{path}:{line}: " if path and line else (f"{path}: " if path else "")
        super().__init__(f"{where}{message}")
        self.path, self.line = path, line
