"""The `repair` command.  Importing this module must stay light: no torch, no models.

Exit codes: 0 clean / nothing to do, 1 findings or changes, 2 usage or input error.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import click

from repair import __version__
from repair.errors import RepairError

# Subcommands that live in their own modules, imported only when used.
LAZY_COMMANDS = {
    "eval": "repair.evaluation.command:eval_command",
    "batch": "repair.batch.command:batch_command",
    "report": "repair.review.command:report_command",
    "review": "repair.review.command:review_command",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS:
            mod, attr = LAZY_COMMANDS[name].split(":")
            try:
                return getattr(importlib.import_module(mod), attr)  # type: ignore[no-any-return]
            except (ImportError, AttributeError):
                return None
        return super().get_command(ctx, name)


def fail(message: str) -> None:
    """Print one error line and exit 2."""
    click.echo(f"repair: error: {message}", err=True)
    sys.exit(2)


def load_config(paths: tuple[str, ...], config_file: str | None, **overrides: Any) -> Any:
    from repair import config as cfgmod

    try:
        if config_file:
            cfg = cfgmod.load_file(Path(config_file)) or cfgmod.RepairConfig(source=config_file)
        else:
            first = next((p for p in paths if p != "-"), None)
            cfg = cfgmod.discover(Path(first) if first else None)
    except RepairError as exc:
        fail(str(exc))
    return cfg.with_overrides(**overrides)


def common_options(fn: Any) -> Any:
    opts = [
        click.option("--config", "config_file", type=click.Path(dir_okay=False), help="A repair.toml or pyproject.toml to use instead of discovery."),
        click.option("--threshold", type=click.FloatRange(0, 1), default=None, help="Auto-apply edits at or above this confidence (default 0.9)."),
        click.option("--no-model", is_flag=True, help="Do not use the seq2seq rewriter."),
        click.option("--gazetteer", multiple=True, type=click.Path(exists=True, dir_okay=False), help="Extra gazetteer TSV/CSV file(s)."),
        click.option("--markup", type=click.Choice(["text", "markdown", "html"]), default=None, help="Force the file type (default: from the extension)."),
    ]
    for o in reversed(opts):
        fn = o(fn)
    return fn


def build_config(paths: tuple[str, ...], config_file: str | None, threshold: float | None, no_model: bool, gazetteer: tuple[str, ...], markup: str | None, **extra: Any) -> Any:
    cfg = load_config(paths, config_file, threshold=threshold, markup=markup, **extra)
    if no_model:
        cfg = cfg.with_overrides(model=False)
    if gazetteer:
        cfg = cfg.with_overrides(gazetteer=tuple(cfg.gazetteer) + tuple(str(Path(g).resolve()) for g in gazetteer))
    from repair.pipeline import get_stage

    try:  # an unknown stage in the config is a usage error, not a crash mid-run
        for name in cfg.active_stages():
            get_stage(name)
    except RepairError as exc:
        fail(f"{cfg.source or 'config'}: {exc}")
    if cfg.gazetteer:
        from repair.gazetteer.store import check_files

        try:
            check_files(cfg.gazetteer)
        except RepairError as exc:
            fail(str(exc))
    return cfg


def read_all(paths: tuple[str, ...], *, skip_empty: bool = False) -> list[tuple[str, str, str]]:
    """Read every input before doing anything, so a bad one stops the run with nothing written.

    ``skip_empty`` leaves out files with no text (a pre-commit hook meets empty files that
    are nobody's mistake); every other unreadable input is still an error.
    """
    from repair.errors import EmptyInputError
    from repair.io import read_text

    if paths.count("-") > 1:
        fail("<stdin>: `-` is given more than once; stdin can be read only once")
    out = []
    for p in paths:
        try:
            text, newline = read_text(p)
        except EmptyInputError as exc:
            if skip_empty:
                continue
            fail(str(exc))
        except RepairError as exc:
            fail(str(exc))
        out.append((p, text, newline))
    return out


def run_one(path: str, text: str, cfg: Any) -> Any:
    from repair.diff import FileReport
    from repair.markup import detect_markup
    from repair.runner import run_text

    result = run_text(text, cfg, markup=detect_markup(path, cfg.markup))
    if path != "-":
        # A change a reviewer rejected (see `repair review`) is never proposed again.
        from repair.review.decisions import drop_rejected, load_rejections

        try:
            rejected = load_rejections(path)
        except RepairError as exc:
            fail(str(exc))
        if rejected:
            result = drop_rejected(result, rejected)
    return FileReport(path if path != "-" else "<stdin>", result)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="repair")
def main() -> None:
    """Repair English text damaged by machine translation and article spinners."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text", show_default=True)
@click.option("--fail-on", type=click.FloatRange(0, 1), default=None, help="Only findings at or above this confidence make the exit code 1 (default: the auto-fix threshold).")
@click.option("--baseline", type=click.Path(dir_okay=False), default=None, help="Report only findings not recorded in this baseline file.")
@click.option("--update-baseline", is_flag=True, help="Write the current findings to --baseline and exit 0.")
@click.option("--model", "use_model", is_flag=True, help="Also run the seq2seq rewriter (slow; its edits are suggestions).")
@click.option("--skip-empty", is_flag=True, help="Skip empty files instead of failing on them (for pre-commit).")
@common_options
def check(paths: tuple[str, ...], fmt: str, fail_on: float | None, baseline: str | None, update_baseline: bool, use_model: bool, skip_empty: bool, **opts: Any) -> None:
    """Report findings in PATHS (or - for stdin), one per line.

    `check` is the fast path for editors and pre-commit: it leaves the rewriter out unless
    --model is given.
    """
    from repair.diff import formatter

    if not use_model:
        opts["no_model"] = True
    cfg = build_config(paths, fail_on=fail_on, **opts)
    reports = [run_one(p, t, cfg) for p, t, _ in read_all(paths, skip_empty=skip_empty)]
    if baseline:
        from repair import baseline as bl

        try:
            if update_baseline:
                bl.write(baseline, reports)
                click.echo(f"repair: wrote {sum(len(r.result.findings) for r in reports)} findings to {baseline}", err=True)
                sys.exit(0)
            reports = bl.filter_reports(baseline, reports)
        except RepairError as exc:
            fail(str(exc))
    elif update_baseline:
        fail("--update-baseline needs --baseline FILE")
    click.echo(formatter(fmt)(reports, cfg.fail_threshold), nl=False)
    failing = any(f.confidence >= cfg.fail_threshold for r in reports for f in r.result.findings)
    sys.exit(1 if failing else 0)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-i", "--in-place", is_flag=True, help="Rewrite the files (atomically, keeping permissions and line endings).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write the repaired text here (one input only).")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff instead of the text.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when something changed.")
@click.option("--skip-empty", is_flag=True, help="Skip empty files instead of failing on them (for pre-commit).")
@common_options
def fix(paths: tuple[str, ...], in_place: bool, output: str | None, show_diff: bool, exit_zero: bool, skip_empty: bool, **opts: Any) -> None:
    """Repair PATHS; `-` reads stdin and writes the repaired text to stdout."""
    from repair.diff import unified
    from repair.io import check_writable, write_atomic

    if in_place and output:
        fail("use either --in-place or --output, not both")
    if output and len(paths) != 1:
        fail("--output takes exactly one input")
    if in_place and "-" in paths:
        fail("--in-place cannot rewrite stdin")
    files = [p for p in paths if p != "-"]
    if files and not (in_place or output or show_diff):
        fail("for files, say where the result goes: --in-place, --output FILE, or --diff")
    cfg = build_config(paths, **opts)
    inputs = read_all(paths, skip_empty=skip_empty)
    if in_place:  # every file must be writable before any is rewritten
        for p in files:
            try:
                check_writable(p)
            except RepairError as exc:
                fail(str(exc))
    changed = False
    for path, text, newline in inputs:
        rep = run_one(path, text, cfg)
        changed |= rep.result.changed
        if show_diff:
            click.echo(unified.render(rep.result, rep.path), nl=False)
        elif path == "-" and not output:
            click.echo(rep.result.text.replace("\n", newline), nl=False)
        else:
            target = output or path
            if rep.result.changed or output:
                try:
                    write_atomic(target, rep.result.text, newline=newline, like=path if path != "-" else None)
                except OSError as exc:
                    fail(f"{target}: cannot write: {exc.strerror or exc}")
    sys.exit(1 if changed and not exit_zero else 0)


@main.command()
@click.argument("path")
@click.option("--unified", "as_unified", is_flag=True, help="A unified (line) diff instead of the inline word diff.")
@click.option("--color/--no-color", default=None, help="Colour (default: when writing to a terminal).")
@common_options
def diff(path: str, as_unified: bool, color: bool | None, **opts: Any) -> None:
    """Show what `fix` would change in PATH, each change with its reason."""
    from repair.diff import terminal, unified

    cfg = build_config((path,), **opts)
    [(p, text, _)] = read_all((path,))
    rep = run_one(p, text, cfg)
    if as_unified:
        click.echo(unified.render(rep.result, rep.path), nl=False)
    else:
        use_color = sys.stdout.isatty() if color is None else color
        out = terminal.render(rep.result, color=use_color, path=rep.path)
        if use_color:
            from rich.console import Console

            Console(highlight=False, soft_wrap=True, force_terminal=True).print(out, end="")
        else:
            click.echo(out, nl=False)
    sugg = [f for f in rep.result.suggestions if f.confidence < cfg.threshold]
    if sugg and not as_unified:
        click.echo(f"\n{len(sugg)} suggestion(s) not applied; see `repair check {path}`.")
    sys.exit(1 if rep.result.changed else 0)


if __name__ == "__main__":
    main()
