"""A self-contained HTML report: original and repaired text side by side, one row per sentence.

Why one file with everything inline: reports are mailed around and opened offline, and a
report must never fetch anything (no fonts, no scripts from a CDN).  Every piece of input
text goes through :func:`html.escape` before it reaches the page, and the script only
reads ``data-`` attributes and writes with ``textContent``, so a hostile article stays text.
"""

from __future__ import annotations

import bisect
import html
from collections import Counter
from dataclasses import dataclass
from importlib import resources

from repair.diff import FileReport, register
from repair.diff.terminal import Hunk, hunks
from repair.document import Document
from repair.edits import Finding
from repair.pipeline import Result

# Colours for edit kinds, given out in order of the kinds' names so a legend is stable.
PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#ff7f0e",
    "#7f7f7f",
    "#393b79",
    "#637939",
)


def esc(s: object) -> str:
    """Escape text and attribute values (quotes included)."""
    return html.escape(str(s), quote=True)


@dataclass(frozen=True)
class Mark:
    """One thing to highlight in the original text: an applied change or a suggestion."""

    start: int
    end: int
    ident: str
    label: str  # what the reader sees as its number: "3" or "s2"
    kind: str
    reason: str
    confidence: float
    before: str
    after: str
    suggestion: bool


def render(reports: list[FileReport], *, title: str = "repair report", threshold: float = 0.9) -> str:
    """The whole report page for ``reports`` (one section per file)."""
    kinds = sorted({k for r in reports for k in _kinds(r.result)})
    colour = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(kinds)}
    sections = [_section(i, r, colour) for i, r in enumerate(reports)]
    total = Counter[str]()
    sugg = Counter[str]()
    for r in reports:
        total.update(f.kind for f in r.result.applied)
        sugg.update(f.kind for f in r.result.suggestions)
    css_kinds = "\n".join(
        f'.k-{_cls(k)} {{ --kc: {c}; }}' for k, c in colour.items()
    )
    legend = "".join(
        f'<li class="k-{_cls(k)}"><span class="swatch"></span>{esc(k)}'
        f' <span class="cnt">{total[k]} applied, {sugg[k]} suggested</span></li>'
        for k in kinds
    )
    toc = ""
    if len(reports) > 1:
        toc = "<nav class=\"toc\"><h2>Files</h2><ol>" + "".join(
            f'<li><a href="#f{i}">{esc(r.path)}</a> — {len(hunks(r.result))} changes,'
            f" {len(r.result.suggestions)} suggestions</li>"
            for i, r in enumerate(reports)
        ) + "</ol></nav>"
    page = _template()
    parts = {
        "@title@": esc(title),
        "@kindcss@": css_kinds,
        "@legend@": legend or '<li class="none">no changes</li>',
        "@toc@": toc,
        "@body@": "\n".join(sections),
        "@threshold@": esc(f"{threshold:.2f}"),
    }
    for marker, value in parts.items():
        page = page.replace(f"<!--{marker}-->", value)
    return page


@register("html")
def format_html(reports: list[FileReport], fail_on: float) -> str:
    return render(reports, threshold=fail_on)


def _template() -> str:
    return resources.files("repair.diff").joinpath("report.html").read_text(encoding="utf-8")


def _kinds(result: Result) -> set[str]:
    return {f.kind for f in result.findings}


def _cls(kind: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in kind) or "none"


def _section(index: int, rep: FileReport, colour: dict[str, str]) -> str:
    result = rep.result
    text = result.original
    hs = hunks(result)
    fid = f"f{index}"
    change_marks = [_hunk_mark(fid, n, h) for n, h in enumerate(hs, 1)]
    sugg_marks = _suggestion_marks(fid, result.suggestions, hs, text)
    rows = _rows(text, hs, [m for m in sugg_marks if m is not None])
    starts = [s for s, _ in rows]
    by_row_h: dict[int, list[tuple[Hunk, Mark]]] = {}
    for h, m in zip(hs, change_marks, strict=True):
        by_row_h.setdefault(bisect.bisect_right(starts, h.start) - 1, []).append((h, m))
    by_row_s: dict[int, list[Mark]] = {}
    for sm in sugg_marks:
        if sm is not None:
            by_row_s.setdefault(bisect.bisect_right(starts, sm.start) - 1, []).append(sm)
    body = []
    for r, (s, e) in enumerate(rows):
        row_h = by_row_h.get(r, [])
        row_s = by_row_s.get(r, [])
        left = _left(text, s, e, row_h, row_s)
        right = _right(text, s, e, row_h)
        cls = "row changed" if row_h else ("row suggested" if row_s else "row")
        body.append(
            f'<div class="{cls}"><div class="ln">{r + 1}</div>'
            f'<div class="cell orig">{left}</div><div class="cell fixed">{right}</div></div>'
        )
    score = result.scores.get("spun_score")
    score_html = (
        f'<span class="score" title="how likely this text was spun (0..1)">spun score'
        f' <b>{esc(f"{score:.2f}")}</b><meter min="0" max="1" value="{esc(f"{score:.3f}")}"></meter></span>'
        if isinstance(score, int | float)
        else '<span class="score">spun score <b>n/a</b></span>'
    )
    applied = Counter(f.kind for f in result.applied)
    suggested = Counter(f.kind for f in result.suggestions)
    kinds = sorted(set(applied) | set(suggested))
    counts = "".join(
        f'<tr class="k-{_cls(k)}"><td><span class="swatch"></span>{esc(k)}</td>'
        f"<td>{applied[k]}</td><td>{suggested[k]}</td></tr>"
        for k in kinds
    ) or '<tr><td colspan="3">nothing to repair</td></tr>'
    ch_list = "".join(_list_row(m, True, True) for m in change_marks)
    sg_all = [m for m in sugg_marks if m is not None] + [
        _flag_mark(fid, f, n) for n, f in enumerate(result.suggestions, 1) if sugg_marks[n - 1] is None
    ]
    sg_all.sort(key=lambda m: (m.start, m.end))
    inline = {m.ident for m in sugg_marks if m is not None}
    sg_list = "".join(_list_row(m, False, m.ident in inline) for m in sg_all)
    return f"""
<section class="file" id="{fid}" data-path="{esc(rep.path)}">
  <header class="filehead">
    <h2>{esc(rep.path)}</h2>
    <div class="stats"><span><b>{len(hs)}</b> changes</span>
      <span><b>{len(result.applied)}</b> edits applied</span>
      <span><b>{len(result.suggestions)}</b> suggestions</span> {score_html}</div>
    <table class="counts"><thead><tr><th>kind</th><th>applied</th><th>suggested</th></tr></thead>
      <tbody>{counts}</tbody></table>
  </header>
  <div class="grid">
    <div class="row head"><div class="ln">#</div><div class="cell">Original</div><div class="cell">Repaired</div></div>
    {"".join(body)}
  </div>
  <details class="lists" open><summary>All changes ({len(change_marks)}) and suggestions ({len(sg_all)})</summary>
    <table class="changes"><thead><tr><th>#</th><th>kind</th><th>before</th><th>after</th><th>why</th><th>confidence</th></tr></thead>
      <tbody>{ch_list}{sg_list}</tbody></table>
  </details>
</section>"""


def _hunk_mark(fid: str, n: int, h: Hunk) -> Mark:
    kinds = sorted({f.kind for f in h.reasons})
    reason = "; ".join(sorted({f.message for f in h.reasons})) or "follows from the edits nearby"
    conf = min((f.confidence for f in h.reasons), default=1.0)
    return Mark(h.start, h.end, f"{fid}-c{n}", str(n), "+".join(kinds) or "edit", reason, conf, h.before, h.after, False)


def _suggestion_marks(fid: str, sugg: list[Finding], hs: list[Hunk], text: str) -> list[Mark | None]:
    """Marks for suggestions that can be shown inline (None: it overlaps a change or another)."""
    out: list[Mark | None] = []
    taken: list[tuple[int, int]] = [(h.start, h.end) for h in hs]
    for n, f in enumerate(sugg, 1):
        overlaps = any(
            (s < f.end and f.start < e) or (s == e and f.start < s < f.end) or (f.start == f.end and s < f.start < e)
            for s, e in taken
        )
        if overlaps or f.end > len(text):
            out.append(None)
            continue
        taken.append((f.start, f.end))
        out.append(_flag_mark(fid, f, n))
    return out


def _flag_mark(fid: str, f: Finding, n: int) -> Mark:
    after = " | ".join(f.suggestions) if f.suggestions else ""
    return Mark(f.start, f.end, f"{fid}-s{n}", f"s{n}", f.kind, f.message, f.confidence, f.before, after, True)


def _rows(text: str, hs: list[Hunk], marks: list[Mark]) -> list[tuple[int, int]]:
    """Sentence rows ``[start, end)`` covering ``text``; no change or suggestion crosses a row."""
    starts = sorted({s for s, _ in Document(text).sentences} - {0})
    inside: set[int] = set()
    for a, b in [(h.start, h.end) for h in hs] + [(m.start, m.end) for m in marks]:
        i = bisect.bisect_right(starts, a)
        while i < len(starts) and starts[i] < b:
            inside.add(starts[i])
            i += 1
    keep = [b for b in starts if b not in inside]
    bounds = [0, *keep, len(text)]
    return [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1) if bounds[i] < bounds[i + 1] or i == 0]


def _attrs(m: Mark) -> str:
    return (
        f'id="{esc(m.ident)}-{{side}}" data-id="{esc(m.ident)}" data-n="{esc(m.label)}"'
        f' data-kind="{esc(m.kind)}" data-reason="{esc(m.reason)}"'
        f' data-conf="{esc(f"{m.confidence:.2f}")}" data-before="{esc(m.before)}"'
        f' data-after="{esc(m.after)}"'
    )


def _kc(m: Mark) -> str:
    return " ".join(f"k-{_cls(k)}" for k in m.kind.split("+"))


def _left(text: str, s: int, e: int, row_h: list[tuple[Hunk, Mark]], row_s: list[Mark]) -> str:
    events = sorted([(h.start, h.end, m) for h, m in row_h] + [(m.start, m.end, m) for m in row_s],
                    key=lambda t: (t[0], t[1]))
    out = []
    pos = s
    for a, b, m in events:
        out.append(esc(text[pos:a]))
        attrs = _attrs(m).replace("{side}", "o")
        if m.suggestion:
            inner = esc(text[a:b]) if b > a else "‸"
            out.append(f'<span class="sug chg {_kc(m)}" tabindex="0" {attrs}>{inner}</span>')
        elif b > a:
            out.append(f'<del class="chg {_kc(m)}" tabindex="0" {attrs}>{esc(text[a:b])}</del>')
        else:
            out.append(f'<span class="chg gap {_kc(m)}" tabindex="0" {attrs}></span>')
        pos = b
    out.append(esc(text[pos:e]))
    return "".join(out)


def _right(text: str, s: int, e: int, row_h: list[tuple[Hunk, Mark]]) -> str:
    out = []
    pos = s
    for h, m in sorted(row_h, key=lambda t: (t[0].start, t[0].end)):
        out.append(esc(text[pos : h.start]))
        attrs = _attrs(m).replace("{side}", "r")
        if h.after:
            out.append(f'<ins class="chg {_kc(m)}" tabindex="0" {attrs}>{esc(h.after)}</ins>')
        else:
            out.append(f'<span class="chg gap {_kc(m)}" tabindex="0" {attrs}></span>')
        pos = h.end
    out.append(esc(text[pos:e]))
    return "".join(out)


def _list_row(m: Mark, applied: bool, inline: bool) -> str:
    cls = "applied" if applied else "suggestion"
    target = f"{m.ident}-o"
    label = f'<a href="#{esc(target)}">{esc(m.label)}</a>' if inline else esc(m.label)
    return (
        f'<tr class="{cls} {_kc(m)}"><td>{label}</td>'
        f'<td><span class="swatch"></span>{esc(m.kind)}{"" if applied else " <i>(suggestion)</i>"}</td>'
        f'<td class="b">{esc(m.before)}</td><td class="a">{esc(m.after)}</td>'
        f"<td>{esc(m.reason)}</td><td>{esc(f'{m.confidence:.2f}')}</td></tr>"
    )
