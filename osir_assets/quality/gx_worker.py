"""The validation worker's main loop (see expectations.ValidationWorker): one pickled request in, one reply out."""

import importlib.abc
import importlib.util
import os
import pickle
import sys
import traceback

# great_expectations imports all of its expectations up front, and with them scipy.stats and altair (for
# distribution tests and charts no OSIR rule uses) and sqlalchemy (for SQL data sources): a third of the
# worker's start-up CPU, taken from a run on a 2-core machine. The pandas engine needs none of them, so
# sqlalchemy is absent here (great_expectations supports running without it) and the other two load
# only if something touches them.
ABSENT = ("sqlalchemy",)
LOADED_ON_FIRST_USE = frozenset({"scipy.stats", "altair"})


class _LoadOnFirstUse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name not in LOADED_ON_FIRST_USE:
            return None
        for finder in sys.meta_path:
            spec = None if finder is self or not hasattr(finder, "find_spec") else finder.find_spec(name, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = importlib.util.LazyLoader(spec.loader)
                return spec
        return None


def main() -> None:
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # whatever a library prints must not corrupt the replies
    # Importing great_expectations takes seconds of CPU while the run's first steps need both cores for
    # DuckDB: at a lower priority the import uses what they leave idle. (The run waits on a validation
    # with its own process idle, so validations lose nothing by it.)
    os.nice(10)
    for name in ABSENT:
        sys.modules[name] = None  # import raises ImportError: the "not installed" path
    sys.meta_path.insert(0, _LoadOnFirstUse())
    from osir_assets.quality.expectations import _context, validate_here

    _context()  # import great_expectations and build the context before the first request arrives
    while True:
        try:
            arguments = pickle.load(requests)
        except EOFError:
            return
        try:
            reply = ("ok", validate_here(*arguments))
        except Exception:
            reply = ("error", traceback.format_exc())
        pickle.dump(reply, replies, protocol=pickle.HIGHEST_PROTOCOL)
        replies.flush()


if __name__ == "__main__":
    main()
