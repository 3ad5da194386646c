"""A small web app for the packlab tutorial: Python standard library only.

It listens on $PORT (default 8080) and answers every GET with a page that shows how it runs.
"""

import html
import os
import platform
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(os.environ.get("PORT", "8080"))


def page() -> str:
    details = {
        "Python": platform.python_version(),
        "User ID": str(os.getuid()),
        "Working directory": os.getcwd(),
        "Built by": os.environ.get("PYTHON_BUILDPACK", "(not set)"),
        "Greeting": os.environ.get("GREETING", "(not set)"),
    }
    rows = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in details.items()
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>webapp</title></head>"
        "<body><h1>Hello, Cloud Native Buildpacks!</h1>"
        f"<table>{rows}</table></body></html>"
    )


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = page().encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt: str, *args) -> None:
        sys.stderr.write("webapp: " + (fmt % args) + "\n")


if __name__ == "__main__":
    print(f"webapp listening on port {PORT}", flush=True)
    ThreadingHTTPServer(("0.0.0.0", PORT), Handler).serve_forever()
