"""The static HTML report: both sides, labels, escaping, and no external assets."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner
from review_fixtures import TEXT, report

from repair.cli import main
from repair.diff.html import render

HOSTILE = (
    'Officials mentioned <script>alert("x")</script> that the plan held.\n'
    "A picture <img src=x onerror=alert(1)> was mentioned too.\n"
    'Kir Stmper said "<b onmouseover=alert(2)>bold</b>" and left.\n'
)
PAGE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "div", "h1", "h2", "button", "span",
    "label", "input", "del", "ins", "ul", "li", "main", "section", "header", "b", "table",
    "thead", "tbody", "tr", "th", "td", "details", "summary", "i", "a", "meter", "script",
    "nav", "ol",
}


class Cells(HTMLParser):
    """Collect the text of each side's cells, and every tag and attribute seen."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str | None] = []
        self.text: dict[str, list[str]] = {"orig": [], "fixed": []}
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag == "script":
            self.scripts += 1
        if tag in ("meta", "input", "link", "img", "br"):
            return
        cls = dict(attrs).get("class") or ""
        side = next((s for s in ("orig", "fixed") if f"cell {s}" in cls), None)
        self.stack.append(side or (self.stack[-1] if self.stack else None))

    def handle_endtag(self, tag: str) -> None:
        if tag not in ("meta", "input", "link", "img", "br") and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1]:
            self.text[self.stack[-1]].append(data)


def parse(page: str) -> Cells:
    p = Cells()
    p.feed(page)
    p.close()
    return p


def test_both_sides_rebuild_the_original_and_the_repaired_text() -> None:
    rep = report(TEXT)
    cells = parse(render([rep]))
    assert "".join(cells.text["orig"]) == rep.result.original
    assert "".join(cells.text["fixed"]) == rep.result.text
    assert rep.result.changed


def test_rows_are_aligned_by_sentence() -> None:
    rep = report(TEXT)
    page = render([rep])
    rows = re.findall(r'<div class="row[^"]*"><div class="ln">(\d+)</div>', page)
    # Four sentences in TEXT: each gets its own row (the header row has no number).
    assert rows == ["1", "2", "3", "4"]
    first = page.split('<div class="ln">2</div>')[0].split('<div class="ln">1</div>')[1]
    assert "Officials" in first and "Kir Stmper" not in first


def test_changes_are_labelled_with_kind_reason_and_confidence() -> None:
    rep = report(TEXT)
    page = render([rep])
    dels = re.findall(r"<del class=\"chg [^\"]*\"[^>]*>([^<]*)</del>", page)
    inss = re.findall(r"<ins class=\"chg [^\"]*\"[^>]*>([^<]*)</ins>", page)
    assert dels == ["mentioned", "international locations", "mentioned"]
    assert inss == ["said", "countries", "said"]
    assert 'data-kind="synonym"' in page and 'data-conf="0.95"' in page
    assert "is how a spinner rewrites &#x27;said&#x27;" in page
    # The suggestion (not applied) is marked apart, on the original side only.
    sug = re.findall(r'<span class="sug chg [^"]*"[^>]*data-n="(s\d+)"[^>]*>([^<]*)</span>', page)
    assert ("s1", "Kir Stmper") in sug
    assert "Keir Starmer" not in "".join(parse(page).text["fixed"])


def test_summary_counts_and_spun_score() -> None:
    rep = report(TEXT)
    page = render([rep])
    assert re.search(r"synonym</td><td>3</td><td>0</td>", page)
    assert re.search(r"name</td><td>0</td><td>2</td>", page)  # a suggestion and a flag
    assert "spun score <b>0.87</b>" in page


def test_hostile_input_stays_inert() -> None:
    rep = report(HOSTILE)
    page = render([rep], title='<script>alert("t")</script>')
    cells = parse(page)
    assert cells.scripts == 1  # only the page's own script
    for tag, attrs in cells.tags:
        assert tag in PAGE_TAGS, tag
        assert not any(name.startswith("on") for name, _ in attrs), (tag, attrs)
    assert "<img" not in page and "<script>alert" not in page and "<b onmouseover" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "".join(cells.text["orig"]) == HOSTILE  # shown as text, whole


def test_no_external_assets() -> None:
    page = render([report(TEXT), report(HOSTILE, "other.txt")])
    low = page.lower()
    for bad in ('src="http', "src='http", 'href="http', "<link", "@import", "url(http", "//cdn"):
        assert bad not in low, bad
    assert "default-src 'none'" in page


def test_several_files_get_a_table_of_contents() -> None:
    page = render([report(TEXT, "a.txt"), report(HOSTILE, "b.txt")])
    assert '<a href="#f0">a.txt</a>' in page and '<a href="#f1">b.txt</a>' in page
    ids = re.findall(r'id="(f\d-[cs]\d+)-o"', page)
    assert len(ids) == len(set(ids))


def test_clean_text_has_no_changes() -> None:
    page = render([report("Nothing to see here.\n")])
    assert "data-id=" not in page and "nothing to repair" in page


def test_cli_report_writes_one_self_contained_file(tmp_path: Path) -> None:
    src = tmp_path / "hostile.txt"
    src.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "r.html"
    res = CliRunner().invoke(main, ["report", str(src), "-o", str(out), "--no-model"])
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert "Original" in page and "Repaired" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img" not in page
    assert 'src="http' not in page and "<link" not in page
    assert "".join(parse(page).text["orig"]) == HOSTILE


def test_cli_report_on_the_seed(tmp_path: Path, seed_text: str) -> None:
    out = tmp_path / "seed.html"
    seed = Path(__file__).resolve().parents[1] / "seeds" / "ukraine_coalition_mt_spun.txt"
    res = CliRunner().invoke(main, ["report", str(seed), "-o", str(out), "--no-model"])
    assert res.exit_code == 0, res.output
    cells = parse(out.read_text(encoding="utf-8"))
    assert "".join(cells.text["orig"]) == seed_text


def test_cli_report_missing_input_is_one_error_line(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    res = CliRunner().invoke(main, ["report", str(tmp_path / "nope.txt"), "-o", str(out)])
    assert res.exit_code == 2
    assert res.output.strip().count("\n") == 0 and "no such file" in res.output
    assert not out.exists()
