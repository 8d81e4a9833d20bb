"""The review web app: a standard-library HTTP server on 127.0.0.1 with a per-run token.

Security, because a local port is reachable by every web page the reviewer has open:
bound to 127.0.0.1 only; a random token (``secrets.token_urlsafe``) must come with every
request (query ``?token=`` for the page, header ``X-Repair-Token`` for the API), else 403;
the Host header must name this server (stops DNS rebinding); state changes are POSTs with
a JSON body; the page is served with a strict Content-Security-Policy and a script nonce.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlsplit

from repair.errors import RepairError
from repair.review.session import ConflictError, ReviewSession

MAX_BODY = 1 << 20


def page_html(nonce: str) -> str:
    pkg = resources.files("repair.review")
    page = pkg.joinpath("review.html").read_text(encoding="utf-8")
    script = pkg.joinpath("review.js").read_text(encoding="utf-8")
    return page.replace("@nonce@", nonce).replace("/*@script@*/", script)


class ReviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, session: ReviewSession, *, port: int = 0, token: str | None = None):
        super().__init__(("127.0.0.1", port), ReviewHandler)
        self.session = session
        self.token = token or secrets.token_urlsafe(24)
        self.finished = threading.Event()
        self.outcome: dict[str, Any] = {}

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/?token={self.token}"

    def stop_soon(self) -> None:
        """Stop serving from a request thread (shutdown() blocks until the loop ends)."""
        self.finished.set()
        threading.Thread(target=self.shutdown, daemon=True).start()


class ReviewHandler(BaseHTTPRequestHandler):
    server: ReviewServer
    server_version = "repair-review"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet by design
        return

    # -- checks ----------------------------------------------------------------------
    def _allowed(self) -> bool:
        host = (self.headers.get("Host") or "").lower()
        port = self.server.port
        if host not in (f"127.0.0.1:{port}", f"localhost:{port}"):
            self._send_text(HTTPStatus.FORBIDDEN, "forbidden: unexpected Host header")
            return False
        query = parse_qs(urlsplit(self.path).query)
        given = self.headers.get("X-Repair-Token") or (query.get("token") or [""])[0]
        if not hmac.compare_digest(given.encode(), self.server.token.encode()):
            self._send_text(HTTPStatus.FORBIDDEN, "forbidden: this review needs the token from its URL")
            return False
        return True

    # -- responses -------------------------------------------------------------------
    def _headers(self, status: int, ctype: str, length: int, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Frame-Options", "DENY")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()

    def _send_text(self, status: int, text: str) -> None:
        body = text.encode("utf-8")
        self._headers(status, "text/plain; charset=utf-8", len(body))
        self.wfile.write(body)

    def _send_json(self, obj: Any, status: int = HTTPStatus.OK) -> None:
        body = json.dumps(obj, ensure_ascii=False).encode("utf-8")
        try:
            self._headers(status, "application/json; charset=utf-8", len(body))
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the page went away; nothing to tell
            pass

    def _body(self) -> dict[str, Any] | None:
        if "application/json" not in (self.headers.get("Content-Type") or ""):
            self._send_json({"error": "send JSON (Content-Type: application/json)"}, HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
            return None
        try:
            n = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            n = -1
        if not 0 <= n <= MAX_BODY:
            self._send_json({"error": "bad Content-Length"}, HTTPStatus.BAD_REQUEST)
            return None
        try:
            data = json.loads(self.rfile.read(n) or b"{}")
        except (json.JSONDecodeError, UnicodeDecodeError):
            self._send_json({"error": "body is not valid JSON"}, HTTPStatus.BAD_REQUEST)
            return None
        if not isinstance(data, dict):
            self._send_json({"error": "body must be a JSON object"}, HTTPStatus.BAD_REQUEST)
            return None
        return data

    # -- routes ----------------------------------------------------------------------
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if not self._allowed():
            return
        route = urlsplit(self.path).path
        if route == "/":
            nonce = secrets.token_urlsafe(16)
            body = page_html(nonce).encode("utf-8")
            csp = (
                f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}';"
                " connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none';"
                " frame-ancestors 'none'"
            )
            self._headers(HTTPStatus.OK, "text/html; charset=utf-8", len(body), {"Content-Security-Policy": csp})
            self.wfile.write(body)
        elif route == "/api/state":
            self._send_json(self.server.session.state())
        else:
            self._send_text(HTTPStatus.NOT_FOUND, "not found")

    def do_POST(self) -> None:  # noqa: N802
        if not self._allowed():
            return
        route = urlsplit(self.path).path
        data = self._body()
        if data is None:
            return
        session = self.server.session
        try:
            if route == "/api/decide":
                after = data.get("after")
                notes = session.decide(str(data.get("id", "")), str(data.get("decision", "")),
                                       after if isinstance(after, str) else None)
                self._send_json({**session.state(), "notes": notes})
            elif route == "/api/save":
                saved = self._save()
                if saved is not None:
                    self._send_json({**saved, "state": session.state()})
            elif route == "/api/done":
                saved = self._save()
                if saved is None:
                    return
                self.server.outcome = saved
                self._send_json({**saved, "stopped": True})
                self.server.stop_soon()
            elif route in ("/api/shutdown", "/shutdown"):
                self.server.outcome = {"stopped": True, "saved": None}
                self._send_json({"stopped": True})
                self.server.stop_soon()
            else:
                self._send_text(HTTPStatus.NOT_FOUND, "not found")
        except KeyError:
            self._send_json({"error": "no such change"}, HTTPStatus.NOT_FOUND)
        except ValueError as exc:
            self._send_json({"error": str(exc)}, HTTPStatus.BAD_REQUEST)

    def _save(self) -> dict[str, Any] | None:
        """Save, or answer with the reason it failed (and return None)."""
        try:
            return self.server.session.save()
        except ConflictError as exc:
            self._send_json({"error": str(exc)}, HTTPStatus.CONFLICT)
        except (OSError, RepairError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self._send_json({"error": f"not saved: {why}"}, HTTPStatus.INTERNAL_SERVER_ERROR)
        return None


def start_in_thread(session: ReviewSession, *, port: int = 0, token: str | None = None) -> ReviewServer:
    """Start a server in a daemon thread (for tests and embedding); call ``shutdown()`` to stop."""
    srv = ReviewServer(session, port=port, token=token)
    threading.Thread(target=srv.serve_forever, daemon=True, name="repair-review").start()
    return srv
