"""The report and the review app in a real headless Chromium (Debian's, driven by Playwright).

Skipped when /usr/bin/chromium or the playwright package is missing (`.ci/run` installs
chromium).  Screenshots go to tests/output/ for a human to look at.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from review_fixtures import TEXT, report, run

from repair.diff.html import render
from repair.review.decisions import SIDECAR, drop_rejected, load_rejections
from repair.review.server import start_in_thread
from repair.review.session import ReviewSession

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OUTPUT = Path(__file__).parent / "output"
HOSTILE = 'He mentioned <script>alert("x")</script> and <img src=x onerror=alert(1)> today.\n'


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    ctx = browser.new_context(viewport={"width": 1300, "height": 850})
    pg = ctx.new_page()
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    yield pg
    ctx.close()


def shot(pg, name: str) -> Path:  # type: ignore[no-untyped-def]
    OUTPUT.mkdir(exist_ok=True)
    path = OUTPUT / name
    pg.screenshot(path=str(path), full_page=False)
    return path


def test_report_shows_both_sides_and_the_highlights(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    rep = report(TEXT + HOSTILE)
    out = tmp_path / "report.html"
    out.write_text(render([rep]), encoding="utf-8")
    page.goto(out.as_uri())
    orig = "".join(page.locator(".cell.orig").all_text_contents())
    fixed = "".join(page.locator(".cell.fixed").all_text_contents())
    assert orig == rep.result.original and fixed == rep.result.text
    assert page.locator(".cell.orig del.chg").all_text_contents() == ["mentioned", "international locations", "mentioned", "mentioned"]
    assert page.locator(".cell.fixed ins.chg").all_text_contents() == ["said", "countries", "said", "said"]
    expect(page.locator(".cell.orig .sug")).to_have_count(2)  # the name suggestion and the flag
    # Navigation: keys move through changes and suggestions, both sides light up.
    page.keyboard.press("j")
    page.keyboard.press("j")
    cur = page.locator(".cell.orig .chg.current")
    expect(cur).to_have_text("international locations")
    expect(page.locator(".cell.fixed .chg.current")).to_have_text("countries")
    page.click("#next")
    expect(page.locator(".cell.orig .chg.current")).to_have_text("Kir Stmper")
    page.click("#prev")
    expect(cur).to_have_text("international locations")
    # Hover shows kind, reason and confidence.
    cur.hover()
    tip = page.locator("#tip")
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("synonym")
    expect(tip).to_contain_text("confidence 0.93")
    expect(tip).to_contain_text("spinner rewrites 'countries'")
    # The hostile article is shown as text and ran nothing.
    expect(page.locator(".cell.orig").last).to_contain_text('<script>alert("x")</script>')
    assert page.locator("img").count() == 0
    assert page.dialogs == []
    assert shot(page, "report.png").stat().st_size > 10_000


def test_review_reject_and_accept_with_the_keyboard_then_save(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    session = ReviewSession(str(path), TEXT, "\n", run(TEXT))
    srv = start_in_thread(session)
    try:
        page.goto(srv.url)
        cards = page.locator(".card")
        expect(cards).to_have_count(5)
        expect(page.locator("#result")).to_have_text(run(TEXT).text)
        # #2 (an applied edit) rejected, #3 (a suggestion) accepted, by keyboard only.
        page.keyboard.press("j")
        expect(cards.nth(1)).to_have_class("card accept current")
        page.keyboard.press("r")
        expect(cards.nth(1)).to_have_attribute("data-decision", "reject")
        page.keyboard.press("j")
        page.keyboard.press("a")
        expect(cards.nth(2)).to_have_attribute("data-decision", "accept")
        # e edits: give the flag (#4) a fix of our own and accept it with Enter.
        page.keyboard.press("j")
        page.keyboard.press("e")
        page.keyboard.type("Zelensky")
        page.keyboard.press("Enter")
        expect(cards.nth(3)).to_have_attribute("data-decision", "accept")
        expected = (
            "Officials said that international locations backed the plan. Keir Starmer spoke to"
            " reporters.\n\nZelensky agreed. The minister said the deal.\n"
        )
        expect(page.locator("#result")).to_have_text(expected)  # live update
        expect(page.locator("body")).to_have_attribute("data-dirty", "1")
        shot(page, "review.png")
        page.keyboard.press("s")
        expect(page.locator("body")).to_have_attribute("data-dirty", "0")
        assert path.read_text(encoding="utf-8") == expected
        side = json.loads((tmp_path / SIDECAR).read_text(encoding="utf-8"))["files"]["article.txt"]
        assert [e["before"] for e in side["rejected"]] == ["international locations"]
        assert {e["after"] for e in side["accepted"]} == {"said", "Keir Starmer", "Zelensky"}
        # A re-run proposes nothing the reviewer rejected.
        again = drop_rejected(run(expected), load_rejections(path))
        assert again.text == expected
        assert not any(f.before == "international locations" for f in again.findings)
        page.click("#done")
        expect(page.locator("body")).to_have_attribute("data-finished", "1")
        assert srv.finished.wait(5)
    finally:
        srv.shutdown()
        srv.server_close()
    assert page.dialogs == []


def test_review_page_keeps_hostile_text_inert(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    path = tmp_path / "hostile.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    srv = start_in_thread(ReviewSession(str(path), HOSTILE, "\n", run(HOSTILE)))
    try:
        page.goto(srv.url)
        expect(page.locator("#result")).to_contain_text('<script>alert("x")</script>')
        assert page.locator("#result img, #list img").count() == 0
        assert page.dialogs == []
    finally:
        srv.shutdown()
        srv.server_close()

