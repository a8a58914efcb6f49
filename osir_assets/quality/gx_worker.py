"""The validation worker's main loop (see expectations.ValidationWorker): one pickled request in, one reply out."""

import os
import pickle
import sys
import traceback


def main() -> None:
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # whatever a library prints must not corrupt the replies
    # Importing great_expectations takes seconds of CPU while the run's first steps need both cores for
    # DuckDB: at a lower priority the import uses what they leave idle. (The run waits on a validation
    # with its own process idle, so validations lose nothing by it.)
    os.nice(10)
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
