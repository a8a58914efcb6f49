"""Fake Hub file server for the leaderboard's contents dataset: what ``hf_hub_download`` asks of it.

``HEAD`` then ``GET /datasets/open-llm-leaderboard/contents/resolve/main/<file>``; the HEAD answers with the
headers huggingface_hub reads (``X-Repo-Commit``, ``ETag``, ``Content-Length``). Any other path is a 404.
Requests are recorded (path and whether an Authorization header came), never the token itself.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CONTENTS_PATH = "/datasets/open-llm-leaderboard/contents/resolve/main/data/train-00000-of-00001.parquet"


class FakeContentsServer:
    def __init__(self, parquet: bytes):
        self.parquet, self.requests = parquet, []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, body: bool) -> None:
                fake.requests.append((self.command, self.path.split("?")[0], "authorization" in {k.lower() for k in self.headers}))
                if self.path.split("?")[0] != CONTENTS_PATH:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("X-Repo-Commit", "0123456789abcdef0123456789abcdef01234567")
                self.send_header("ETag", '"fake-contents-etag"')
                self.send_header("Content-Length", str(len(fake.parquet)))
                self.end_headers()
                if body:
                    self.wfile.write(fake.parquet)

            def do_HEAD(self):  # noqa: N802 (http.server naming)
                self._answer(body=False)

            def do_GET(self):  # noqa: N802
                self._answer(body=True)

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self) -> "FakeContentsServer":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
