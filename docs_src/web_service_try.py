"""How-to: call the WSGI application in-process, as a test would."""

import io
import json
from pathlib import Path
from typing import Any
from wsgiref.util import setup_testing_defaults

from web_service import app


def post(body: bytes, query: str) -> tuple[str, dict[str, Any]]:
    """POST body to /evaluate?query; the status line and the decoded JSON answer."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/evaluate",
        "QUERY_STRING": query,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    setup_testing_defaults(environ)
    answer: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], *_: Any) -> Any:
        answer.append(status)

    chunks = app(environ, start_response)
    return answer[0], json.loads(b"".join(chunks))


status, data = post(Path("book.json").read_bytes(), "as_of=2025-09-30")
print(status, data["tier"], data["points"]["total"], data["to_next_tier"])

status, data = post(b'{"partner": {"id": "p-1"}}', "as_of=2025-09-30")
print(status, data["problems"])

status, data = post(b"{}", "as_of=yesterday")
print(status, data["error"])
