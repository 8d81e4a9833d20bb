"""Markup awareness: only prose is repaired; code, link targets, tags and ignored regions are not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from repair.config import RepairConfig
from repair.markup import detect_markup, ignored_regions, protected_spans
from repair.runner import run_text

CFG = RepairConfig(model=False)


def fixed(text: str, markup: str, cfg: RepairConfig = CFG) -> str:
    return run_text(text, cfg, markup=markup).text


def covered(text: str, needle: str, markup: str) -> bool:
    """Is every occurrence of ``needle`` inside a protected span?"""
    spans = protected_spans(text, markup)
    start = text.index(needle)
    return any(s.start <= start and start + len(needle) <= s.end for s in spans)


MD = """\
---
title: Front {that a} matter
---
# A heading with {that a} spin

Prose with {that a} spin and a [link {that a} here](https://example.com/a{that}b) done.

```
fenced {that a} code
```

    indented {that a} code

Inline `code {that a}` stays.

<!-- a comment {that a} -->

<!-- repair: ignore-next-line -->
Ignored {that a} line.

Next {that a} line is fixed.

See <https://example.com/{that}> and ![alt](img/{that}.png).

> A quote {that a} line
> goes on.

- item {that a} one
- item two

[ref]: https://example.com/r{that}
"""


def test_markdown_fixes_prose_and_leaves_code_and_urls_alone() -> None:
    out = fixed(MD, "markdown")
    assert "# A heading with that a spin" in out
    assert (
        "Prose with that a spin and a [link that a here](https://example.com/a{that}b) done." in out
    )
    assert "Next that a line is fixed." in out
    assert "> A quote that a line" in out
    assert "- item that a one" in out
    for kept in (
        "title: Front {that a} matter",
        "fenced {that a} code",
        "    indented {that a} code",
        "`code {that a}`",
        "<!-- a comment {that a} -->",
        "Ignored {that a} line.",
        "<https://example.com/{that}>",
        "![alt](img/{that}.png)",
        "[ref]: https://example.com/r{that}",
    ):
        assert kept in out, kept


def test_markdown_check_reports_nothing_inside_code_or_ignored_regions() -> None:
    result = run_text(MD, CFG, markup="markdown")
    lines = MD.split("\n")
    for f in result.findings:
        line = lines[MD.count("\n", 0, f.start)]
        assert "code" not in line and "Ignored" not in line and "example.com/" not in line[:8], line
        assert "title:" not in line


@pytest.mark.parametrize(
    "needle",
    [
        "https://example.com/a{that}b",
        "fenced {that a} code",
        "`code {that a}`",
        "title: Front",
        "[ref]: https",
    ],
)
def test_markdown_non_prose_is_protected(needle: str) -> None:
    assert covered(MD, needle, "markdown")


@pytest.mark.parametrize(
    "needle", ["Prose with {that a}", "link {that a} here", "A quote {that a} line"]
)
def test_markdown_prose_is_not_protected(needle: str) -> None:
    spans = protected_spans(MD, "markdown")
    start = MD.index(needle)
    assert not any(s.start < start + len(needle) and start < s.end for s in spans)


def test_markdown_link_with_title_and_nested_parens() -> None:
    text = 'A [good {that a} link](https://x.org/a_(b){that} "the {that a} title") ends.\n'
    assert covered(text, '](https://x.org/a_(b){that} "the {that a} title")', "markdown")
    assert not covered(text, "good", "markdown") and not covered(text, "ends", "markdown")


def test_markdown_reference_links_and_entities() -> None:
    text = "Read [the {that a} report][r1] now &amp; then.\n\n[r1]: https://x.org/{that}\n"
    out = fixed(text, "markdown")
    assert out.startswith("Read [the that a report][r1] now &amp; then.")
    assert "[r1]: https://x.org/{that}" in out
    assert covered(text, "&amp;", "markdown")


def test_markdown_table_cells_are_prose() -> None:
    text = "| a | b |\n|---|---|\n| cell {that a} x | `k{that}` |\n"
    out = fixed(text, "markdown")
    assert "| cell that a x | `k{that}` |" in out


def test_markdown_code_without_trailing_newline_and_crlf_free() -> None:
    text = "Text {that a} here.\n\n```\ncode {that a}"
    assert fixed(text, "markdown") == "Text that a here.\n\n```\ncode {that a}"


HTML = """\
<!DOCTYPE html>
<html><head><title>Title {that a} here</title>
<style>p { color: red } /* {that a} */</style>
<script>var s = "{that a}";</script>
</head>
<body class="main">
<p>Prose {that a} text.</p>
<p title="{that a}">
Attribute {that a} para.</p>
<!-- repair: ignore-next-line -->
<p>Ignored {that a} line.</p>
<pre>pre {that a} code</pre>
<p>
<code>{that a}</code> and <a href="https://x.org/{that}">
link {that a} text</a>
</p>
<!-- repair: ignore-start -->
<p>Block {that a} ignored.</p>
<!-- repair: ignore-end -->
<p>After {that a} block.</p>
</body></html>
"""


def test_html_fixes_only_text_nodes() -> None:
    out = fixed(HTML, "html")
    assert "<title>Title that a here</title>" in out
    assert "<p>Prose that a text.</p>" in out
    assert "Attribute that a para.</p>" in out
    assert "link that a text</a>" in out
    assert "<p>After that a block.</p>" in out
    for kept in (
        "/* {that a} */",
        'var s = "{that a}";',
        '<p title="{that a}">',
        "<p>Ignored {that a} line.</p>",
        "<pre>pre {that a} code</pre>",
        "<code>{that a}</code>",
        'href="https://x.org/{that}"',
        "<p>Block {that a} ignored.</p>",
    ):
        assert kept in out, kept


def test_html_check_reports_nothing_in_tags_scripts_or_ignored() -> None:
    result = run_text(HTML, CFG, markup="html")
    reported = {HTML.split("\n")[HTML.count("\n", 0, f.start)] for f in result.findings}
    assert not any(
        ("<script" in line or "<style" in line or "Ignored" in line) for line in reported
    )


def test_ignore_comment_inside_code_is_not_honoured() -> None:
    text = "```\n<!-- repair: ignore-start -->\n```\n\nProse {that a} here.\n"
    assert "Prose that a here." in fixed(text, "markdown")


def test_unclosed_ignore_start_runs_to_the_end() -> None:
    text = "Fixed {that a} one.\n<!-- repair: ignore-start -->\nKept {that a} two.\n"
    assert (
        fixed(text, "markdown")
        == "Fixed that a one.\n<!-- repair: ignore-start -->\nKept {that a} two.\n"
    )


def test_plain_text_ignore_marker_at_end_of_line() -> None:
    text = "Keep {that a} this.  # repair: ignore\nFix {that a} this.\n"
    assert fixed(text, "text") == "Keep {that a} this.  # repair: ignore\nFix that a this.\n"
    assert ignored_regions(text) == [(0, text.index("\n"))]


def test_plain_text_has_no_markup_spans() -> None:
    text = "Some `tick` and <b>tag</b> are just text here.\n"
    assert [s for s in protected_spans(text, "text") if s.label == "markup"] == []


def test_ignore_names_and_words_are_neither_fixed_nor_reported() -> None:
    text = "We met {in the} city and {on the} day passed.\n"
    cfg = RepairConfig(model=False, ignore_words=("{IN THE}",))
    result = run_text(text, cfg, markup="text")
    assert result.text == "We met {in the} city and on the day passed.\n"
    assert [f.before for f in result.findings] == ["{on the}"]
    cfg = RepairConfig(model=False, ignore_names=("{on the}",))
    result = run_text(text, cfg, markup="text")
    assert result.text == "We met in the city and {on the} day passed.\n"
    assert [f.before for f in result.findings] == ["{in the}"]


@pytest.mark.parametrize(
    ("path", "forced", "want"),
    [
        ("a.md", None, "markdown"),
        ("a.MARKDOWN", None, "markdown"),
        ("a.html", None, "html"),
        ("a.htm", None, "html"),
        ("a.txt", None, "text"),
        ("-", None, "text"),
        ("a.txt", "markdown", "markdown"),
        ("a.md", "text", "text"),
    ],
)
def test_detect_markup(path: str, forced: str | None, want: str) -> None:
    assert detect_markup(path, forced) == want


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "repair.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_fix_in_place_on_markdown(tmp_path: Path) -> None:
    doc = tmp_path / "post.md"
    doc.write_text(MD, encoding="utf-8")
    proc = _cli("fix", "--in-place", "--no-model", str(doc), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    out = doc.read_text(encoding="utf-8")
    assert "Prose with that a spin" in out
    before_lines, after_lines = MD.split("\n"), out.split("\n")
    assert len(before_lines) == len(after_lines)
    for old, new in zip(before_lines, after_lines, strict=True):
        if "code" in old or "https://" in old.split("](")[0] or "Ignored" in old:
            if "Prose" not in old:
                assert old == new
    # the link URL is byte-for-byte the same
    assert "(https://example.com/a{that}b)" in out


def test_cli_markup_option_forces_the_type(tmp_path: Path) -> None:
    doc = tmp_path / "notes.txt"
    doc.write_text("Prose {that a} here and `code {that a}`.\n", encoding="utf-8")
    proc = _cli(
        "fix",
        "--no-model",
        "--markup",
        "markdown",
        "--output",
        str(tmp_path / "o.txt"),
        str(doc),
        cwd=tmp_path,
    )
    assert proc.returncode == 1, proc.stderr
    assert (tmp_path / "o.txt").read_text() == "Prose that a here and `code {that a}`.\n"


@pytest.mark.parametrize(
    ("text", "kept", "prose"),
    [
        (
            "Go [![img {that a}](s{a})](h{b}) now.\n",
            ["![img {that a}](s{a})", "(h{b})"],
            ["Go ", " now."],
        ),
        (
            "> - quote {that a} and [x](u{z})\n>   more `k{q}`\n",
            ["(u{z})", "`k{q}`", "> - "],
            ["quote {that a} and "],
        ),
        ("2. two ``code ` x`` ok\n", ["``code ` x``"], ["two ", " ok"]),
        (
            "See <span a='{q}'>in {that a}</span> <!-- c -->\n",
            ["<span a='{q}'>", "<!-- c -->"],
            ["in {that a}"],
        ),
    ],
)
def test_markdown_tricky_inlines(text: str, kept: list[str], prose: list[str]) -> None:
    for k in kept:
        assert covered(text, k, "markdown"), k
    spans = protected_spans(text, "markdown")
    for p in prose:
        start = text.index(p)
        assert not any(s.start < start + len(p) and start < s.end for s in spans), p


try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover
    given = None

if given is not None:
    PIECES = st.sampled_from(
        ["word ", "{that a} ", "`", "``", "[", "]", "(", ")", "<", ">", "!", "*", "_", "\n", "\n\n",
         "> ", "- ", "1. ", "    ", "\t", "```\n", "---\n", "<!-- ", " -->", "http://x.y/", "&amp;",
         "\\", '"', "#", "|", "<p>", "</p>", "<script>", "</script>", "é"]
    )  # fmt: skip

    @settings(max_examples=150, deadline=None)
    @given(st.lists(PIECES, max_size=40).map("".join), st.sampled_from(["markdown", "html"]))
    def test_protected_spans_are_in_bounds_for_any_input(text: str, markup: str) -> None:
        spans = protected_spans(text, markup)
        assert all(0 <= s.start <= s.end <= len(text) for s in spans)
        marks = [s for s in spans if s.label == "markup"]
        assert all(a.end <= b.start for a, b in zip(marks, marks[1:], strict=False))
        result = run_text(text, CFG, markup=markup)
        first_edit = min((f.start for f in result.findings if f.applied), default=len(text))
        for s in marks:  # non-prose before the first applied edit is unchanged
            if s.end <= first_edit:
                assert result.text[s.start : s.end] == text[s.start : s.end]
        assert not any(
            f.applied for f in result.findings for s in marks if f.start < s.end and s.start < f.end
        )


def test_html_attributes_do_not_make_prose_braces_look_like_code() -> None:
    """`class="lead"` is markup: the same line's prose spintax is still fixed (the attribute is not)."""
    html = '<p class="lead" title="{that a}">It is known {that a} meeting was held.</p>\n'
    out = fixed(html, "html")
    assert out == '<p class="lead" title="{that a}">It is known that a meeting was held.</p>\n'
    # Code on a plain-text line still blocks it.
    assert fixed("x = call({that a});\n", "text") == "x = call({that a});\n"


def test_html_that_the_parser_gives_up_on_is_left_alone() -> None:
    """html.parser raises on '<![{': found by the property test; the text before stays prose."""
    text = "<p>The minister mentioned it.</p><![{that a} the rest"
    spans = protected_spans(text, "html")
    cut = text.index("<![")
    assert any(s.start <= cut + 3 and s.end == len(text) for s in spans)
    out = run_text(text, RepairConfig(), markup="html").text
    assert out.endswith("<![{that a} the rest")
