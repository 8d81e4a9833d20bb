"""The review session, its decisions file, and the local server's security checks."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from review_fixtures import TEXT, run

from repair.cli import main
from repair.errors import InputError
from repair.review.decisions import SIDECAR, drop_rejected, load_rejections
from repair.review.server import start_in_thread
from repair.review.session import ACCEPT, PENDING, REJECT, ConflictError, ReviewSession


def session_for(path: Path, text: str = TEXT, newline: str = "\n") -> ReviewSession:
    path.write_text(text.replace("\n", newline), encoding="utf-8", newline="")
    return ReviewSession(str(path), text, newline, run(text))


def by_before(s: ReviewSession, before: str, nth: int = 0):  # type: ignore[no-untyped-def]
    return [i for i in s.items if i.before == before][nth]


def test_items_cover_applied_edits_suggestions_and_flags(tmp_path: Path) -> None:
    s = session_for(tmp_path / "a.txt")
    kinds = [(i.before, i.type, i.decision) for i in s.items]
    assert kinds == [
        ("mentioned", "edit", ACCEPT),
        ("international locations", "edit", ACCEPT),
        ("Kir Stmper", "suggestion", PENDING),
        ("Zelancesi", "flag", PENDING),
        ("mentioned", "edit", ACCEPT),
    ]
    assert len({i.id for i in s.items}) == len(s.items)
    # Untouched decisions give exactly what the pipeline gave.
    assert s.compose()[0] == s.result.text


def test_decisions_change_the_text_and_saving_records_them(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    s = session_for(path)
    s.decide(by_before(s, "international locations").id, REJECT)
    s.decide(by_before(s, "Kir Stmper").id, ACCEPT)
    s.decide(by_before(s, "mentioned", 1).id, ACCEPT, after="stated")
    expected = (
        "Officials said that international locations backed the plan. Keir Starmer spoke to"
        " reporters.\n\nZelancesi agreed. The minister stated the deal.\n"
    )
    assert s.state()["text"] == expected
    info = s.save()
    assert path.read_text(encoding="utf-8") == expected
    side = json.loads((tmp_path / SIDECAR).read_text(encoding="utf-8"))
    rec = side["files"]["a.txt"]
    assert [e["before"] for e in rec["rejected"]] == ["international locations"]
    assert {e["after"] for e in rec["accepted"]} == {"said", "Keir Starmer", "stated"}
    assert info["rejected"] == 1
    assert not s.state()["dirty"]


def test_a_rerun_proposes_nothing_already_rejected(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    s = session_for(path)
    s.decide(by_before(s, "international locations").id, REJECT)
    s.decide(by_before(s, "Zelancesi").id, REJECT)
    s.save()
    saved = path.read_text(encoding="utf-8")
    again = run(saved)
    assert any(f.before == "international locations" for f in again.findings)
    rejected = load_rejections(path)
    kept = drop_rejected(again, rejected)
    assert not any(f.before in ("international locations", "Zelancesi") for f in kept.findings)
    assert kept.text == saved  # the rejected change is not applied again
    assert any(f.before == "Kir Stmper" for f in kept.findings)  # undecided: still proposed


def test_rejection_survives_edits_elsewhere_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    s = session_for(path)
    s.decide(by_before(s, "international locations").id, REJECT)
    s.save()
    edited = "A new first paragraph was added later.\n\n" + path.read_text(encoding="utf-8")
    kept = drop_rejected(run(edited), load_rejections(path))
    assert "international locations" in kept.text
    assert not any(f.before == "international locations" for f in kept.findings)


def test_drop_rejected_reverts_only_the_rejected_change() -> None:
    result = run(TEXT)
    s = ReviewSession("x.txt", TEXT, "\n", result)
    from repair.review.decisions import context_key

    item = by_before(s, "mentioned", 1)
    key = context_key(TEXT, item.start, item.end, "said", "synonym")
    kept = drop_rejected(result, {key})
    assert kept.text == result.text.replace("minister said", "minister mentioned")
    assert kept.text.startswith("Officials said")
    assert drop_rejected(result, set()) is result


def test_accepting_an_overlapping_change_puts_the_other_back() -> None:
    from repair.edits import Finding

    result = run(TEXT)
    a = TEXT.index("international locations")
    b = a + len("international locations")
    alt = Finding(a, b, "synonym", "another reading", ("nations",), 0.5, TEXT[a:b])
    result.findings.append(alt)
    s = ReviewSession("x.txt", TEXT, "\n", result)
    edit = [i for i in s.items if i.type == "edit" and i.start == a][0]
    sugg = [i for i in s.items if i.type == "suggestion" and i.start == a][0]
    notes = s.decide(sugg.id, ACCEPT)
    assert notes == [f"#{edit.n} overlaps #{sugg.n} and is back to pending"]
    assert edit.decision == PENDING
    assert "that nations backed" in s.state()["text"]
    s.decide(edit.id, ACCEPT)
    assert sugg.decision == PENDING and "that countries backed" in s.state()["text"]


def test_flags_need_a_written_fix_and_bad_decisions_are_refused(tmp_path: Path) -> None:
    s = session_for(tmp_path / "a.txt")
    flag = by_before(s, "Zelancesi")
    with pytest.raises(ValueError):
        s.decide(flag.id, ACCEPT)
    assert s.decide(flag.id, ACCEPT, after="Zelensky") == []
    assert "Zelensky agreed" in s.state()["text"]
    with pytest.raises(ValueError):
        s.decide(flag.id, "maybe")
    with pytest.raises(KeyError):
        s.decide("nope", ACCEPT)


def test_save_refuses_when_the_file_changed_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    s = session_for(path)
    path.write_text("someone else edited this\n", encoding="utf-8")
    with pytest.raises(ConflictError):
        s.save()
    assert path.read_text(encoding="utf-8") == "someone else edited this\n"
    assert not (tmp_path / SIDECAR).exists()


def test_save_keeps_crlf_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    s = session_for(path, newline="\r\n")
    s.save()
    data = path.read_bytes()
    assert b"Officials said" in data and data.count(b"\r\n") == TEXT.count("\n")


def test_corrupt_sidecar_is_a_clear_input_error(tmp_path: Path) -> None:
    (tmp_path / SIDECAR).write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_rejections(tmp_path / "a.txt")
    assert SIDECAR in str(exc.value) and "not valid JSON" in str(exc.value)


def test_no_sidecar_means_no_rejections(tmp_path: Path) -> None:
    assert load_rejections(tmp_path / "a.txt") == set()


# -- the server -----------------------------------------------------------------------


@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    srv = start_in_thread(session_for(tmp_path / "a.txt"))
    yield srv
    srv.shutdown()
    srv.server_close()


def call(url: str, *, headers: dict[str, str] | None = None, data: bytes | None = None) -> tuple[int, bytes, dict[str, str]]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


def test_server_binds_to_localhost_with_a_random_token(server) -> None:  # type: ignore[no-untyped-def]
    assert server.server_address[0] == "127.0.0.1"
    assert server.port > 0 and len(server.token) >= 24
    assert server.url.startswith(f"http://127.0.0.1:{server.port}/?token=")


def test_every_request_needs_the_token(server) -> None:  # type: ignore[no-untyped-def]
    base = f"http://127.0.0.1:{server.port}"
    for path in ("/", "/api/state", "/?token=wrong", "/favicon.ico"):
        assert call(base + path)[0] == 403, path
    body = json.dumps({"id": server.session.items[0].id, "decision": "reject"}).encode()
    status, _, _ = call(base + "/api/decide", data=body, headers={"Content-Type": "application/json"})
    assert status == 403
    assert server.session.items[0].decision == ACCEPT  # nothing changed
    assert call(base + "/shutdown", data=b"{}", headers={"Content-Type": "application/json"})[0] == 403


def test_page_and_api_work_with_the_token(server) -> None:  # type: ignore[no-untyped-def]
    status, body, headers = call(server.url)
    assert status == 200 and b"repair review" in body
    assert "script-src 'nonce-" in headers["Content-Security-Policy"]
    auth = {"X-Repair-Token": server.token}
    status, body, _ = call(f"http://127.0.0.1:{server.port}/api/state", headers=auth)
    state = json.loads(body)
    assert status == 200 and state["text"] == server.session.result.text
    item = state["items"][1]
    data = json.dumps({"id": item["id"], "decision": "reject"}).encode()
    status, body, _ = call(f"http://127.0.0.1:{server.port}/api/decide", data=data,
                           headers={**auth, "Content-Type": "application/json"})
    assert status == 200 and "international locations" in json.loads(body)["text"]
    # JSON only: a plain form post (what another site could send) is refused.
    status, _, _ = call(f"http://127.0.0.1:{server.port}/api/decide", data=data,
                        headers={**auth, "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 415


def test_foreign_host_header_is_refused(server) -> None:  # type: ignore[no-untyped-def]
    status, _, _ = call(server.url, headers={"Host": f"evil.example:{server.port}"})
    assert status == 403


def test_done_saves_and_stops(tmp_path: Path) -> None:
    srv = start_in_thread(session_for(tmp_path / "a.txt"))
    auth = {"X-Repair-Token": srv.token, "Content-Type": "application/json"}
    status, body, _ = call(f"http://127.0.0.1:{srv.port}/api/done", data=b"{}", headers=auth)
    assert status == 200 and json.loads(body)["stopped"] is True
    assert srv.finished.wait(5)
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == run(TEXT).text
    assert (tmp_path / SIDECAR).exists()
    srv.server_close()


def test_review_help() -> None:
    res = CliRunner().invoke(main, ["review", "--help"])
    assert res.exit_code == 0
    assert "--no-browser" in res.output and "--port" in res.output


def test_review_of_a_missing_file_is_one_error_line(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["review", str(tmp_path / "nope.txt"), "--no-browser"])
    assert res.exit_code == 2 and "no such file" in res.output
