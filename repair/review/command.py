"""`repair report` (a static HTML side-by-side report) and `repair review` (accept/reject app)."""

from __future__ import annotations

import sys
import threading
from typing import Any

import click

from repair.cli import build_config, common_options, fail, read_all, run_one
from repair.errors import RepairError


def _respecting_decisions(rep: Any) -> Any:
    """Drop what a reviewer already rejected for this file (see repair.review.decisions)."""
    from repair.review.decisions import drop_rejected, load_rejections

    try:
        rejected = load_rejections(rep.path)
    except RepairError as exc:
        fail(str(exc))
    if rejected:
        rep.result = drop_rejected(rep.result, rejected)
    return rep


@click.command("report")
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Write the HTML report here (- for stdout).")
@click.option("--title", default="repair report", show_default=True, help="The page title.")
@common_options
def report_command(paths: tuple[str, ...], output: str, title: str, **opts: Any) -> None:
    """Write one self-contained HTML page: original and repaired text side by side.

    Each change is highlighted with its kind, reason and confidence; suggestions that were
    not applied are marked apart.  The page loads nothing from the network.
    """
    from repair.diff.html import render
    from repair.io import write_atomic

    cfg = build_config(paths, **opts)
    reports = [_respecting_decisions(run_one(p, t, cfg)) for p, t, _ in read_all(paths)]
    page = render(reports, title=title, threshold=cfg.threshold)
    if output == "-":
        click.echo(page, nl=False)
        return
    try:
        write_atomic(output, page)
    except OSError as exc:
        fail(f"{output}: cannot write: {exc.strerror or exc}")
    changes = sum(len(r.result.applied) for r in reports)
    sugg = sum(len(r.result.suggestions) for r in reports)
    click.echo(f"repair: wrote {output} ({len(reports)} file(s), {changes} edits applied, {sugg} suggestions)", err=True)


@click.command("review")
@click.argument("path")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port on 127.0.0.1 (0 picks a free one).")
@click.option("--no-browser", is_flag=True, help="Only print the URL; do not open a browser.")
@common_options
def review_command(path: str, port: int, no_browser: bool, **opts: Any) -> None:
    """Review PATH's changes in a local web page: accept, reject or edit each, then save.

    The server listens on 127.0.0.1 only and every request must carry the random token in
    the printed URL.  Keys: j/k move, a accept, r reject, e edit, u undecide, s save.
    Saving rewrites PATH atomically and records the decisions in .repair-decisions.json
    next to it, so later runs never propose a rejected change again.  Ctrl-C stops.
    """
    from repair.review.server import ReviewServer
    from repair.review.session import ReviewSession

    if path == "-":
        fail("review needs a file to save to, not stdin")
    cfg = build_config((path,), **opts)
    [(p, text, newline)] = read_all((path,))
    rep = _respecting_decisions(run_one(p, text, cfg))
    session = ReviewSession(p, text, newline, rep.result)
    try:
        server = ReviewServer(session, port=port)
    except OSError as exc:
        fail(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}")
    import signal

    def _stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)  # a plain `kill` stops as cleanly as Ctrl-C
    n = len(session.items)
    click.echo(f"repair: reviewing {p}: {n} change(s) and suggestion(s)", err=True)
    click.echo("repair: open this URL (only this machine can reach it); Ctrl-C stops:", err=True)
    click.echo(server.url)
    sys.stdout.flush()
    if not no_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("\nrepair: stopped; decisions made since the last Save were not saved", err=True)
    finally:
        server.server_close()
    saved = server.outcome.get("saved")
    if saved:
        click.echo(f"repair: saved {saved}", err=True)
