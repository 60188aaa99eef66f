"""How-to: evaluate books over HTTP, as a WSGI application (standard library only).

POST a book file's JSON to /evaluate?as_of=YYYY-MM-DD[&program=NAME]; the answer is the
status as JSON (TierStatus.to_dict()), or {"error": ...} with status 400 for bad input.
Run it with `python web_service.py`, or with a WSGI server: `gunicorn web_service:app`.
"""

# --8<-- [start:programs]
import datetime as dt
import json
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs
from wsgiref.types import StartResponse, WSGIEnvironment

import partner_tiers as pt

# Programs are immutable: load them once, when the service starts, and share them
# between requests and threads. Loading one per request would re-read and re-check it.
PROGRAMS = {name: pt.load_program(name) for name in ("hubspot-2024", "hubspot-2025")}
DEFAULT_PROGRAM = "hubspot-2025"
MAX_BODY = 1_000_000  # bytes: refuse larger books before reading them
# --8<-- [end:programs]


# --8<-- [start:evaluate]
def evaluate_request(body: bytes, query: str) -> tuple[int, dict[str, Any]]:
    """The status code and the JSON answer for one request."""
    params = parse_qs(query)
    name = params.get("program", [DEFAULT_PROGRAM])[0]
    program = PROGRAMS.get(name)
    if program is None:
        return 400, {"error": f"program: {name!r} is not one of {sorted(PROGRAMS)}"}
    try:
        as_of = dt.date.fromisoformat(params["as_of"][0])
    except (KeyError, ValueError):
        return 400, {"error": "as_of: expected a date as YYYY-MM-DD"}
    try:
        book = pt.loads_book(body, source="request body")
        status = pt.evaluate(book, program, as_of=as_of)  # a new status; nothing is shared
    except pt.FileFormatError as error:  # a malformed book: each problem with its path
        problems = [{"path": p.path, "message": p.message} for p in error.problems]
        return 400, {"error": str(error), "problems": problems}
    except pt.PartnerTiersError as error:  # e.g. a currency the program cannot price
        return 400, {"error": str(error)}
    return 200, status.to_dict()


# --8<-- [end:evaluate]


# --8<-- [start:app]
def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """The WSGI application: POST /evaluate only."""
    if environ.get("PATH_INFO") != "/evaluate":
        code, payload = 404, {"error": "not found: POST /evaluate"}
    elif environ["REQUEST_METHOD"] != "POST":
        code, payload = 405, {"error": "method not allowed: POST /evaluate"}
    else:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length > MAX_BODY:
            code, payload = 413, {"error": f"the book is larger than {MAX_BODY} bytes"}
        else:
            body = environ["wsgi.input"].read(length)
            code, payload = evaluate_request(body, environ.get("QUERY_STRING", ""))
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    start_response(f"{code} {HTTPStatus(code).phrase}", headers)
    return [data]


# --8<-- [end:app]


if __name__ == "__main__":
    from wsgiref.simple_server import make_server

    with make_server("127.0.0.1", 8000, app) as server:
        print("serving on http://127.0.0.1:8000/evaluate")
        server.serve_forever()
