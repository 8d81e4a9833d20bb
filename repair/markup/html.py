"""Which parts of an HTML file are prose: text nodes outside code, scripts and styles.

Python's own HTML tokenizer (``html.parser``) reports where each tag, comment and text
node starts, which is what we need to protect by offset; tree builders such as lxml or
selectolax do not keep source offsets.  Character references stay protected (they are
markup), so a fix can never break ``&amp;`` or ``&nbsp;``.
"""

from __future__ import annotations

from html.parser import HTMLParser

# Elements whose text is not prose (code, or content the browser does not show as text).
NON_PROSE = frozenset(
    {"script", "style", "code", "pre", "kbd", "samp", "var", "textarea", "template", "svg", "math"}
)
VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)


class _Scanner(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.text = text
        self.line_starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                self.line_starts.append(i + 1)
        self.stack: list[str] = []
        self.prose: list[tuple[int, int]] = []
        self.code: list[tuple[int, int]] = []
        self.comments: list[tuple[int, int]] = []
        self._code_from: int | None = None

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        if tag in NON_PROSE and not any(t in NON_PROSE for t in self.stack):
            self._code_from = self._offset()
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.stack:
            return
        while self.stack:
            top = self.stack.pop()
            if top == tag:
                break
        if (
            tag in NON_PROSE
            and self._code_from is not None
            and not any(t in NON_PROSE for t in self.stack)
        ):
            start = self._offset()
            end = self.text.find(">", start)
            self.code.append((self._code_from, end + 1 if end >= 0 else len(self.text)))
            self._code_from = None

    def handle_data(self, data: str) -> None:
        if any(t in NON_PROSE for t in self.stack):
            return
        start = self._offset()
        if self.text.startswith(data, start):
            self.prose.append((start, start + len(data)))

    def handle_comment(self, data: str) -> None:
        start = self._offset()
        end = self.text.find("-->", start)
        self.comments.append((start, end + 3 if end >= 0 else len(self.text)))


def prose_spans(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(prose spans, code spans) of an HTML text, as char offsets into ``text``."""
    scanner = _Scanner(text)
    try:
        scanner.feed(text)
        scanner.close()
    except AssertionError:
        # html.parser gives up on some malformed declarations ('<![{that a} '): what it
        # could not read is left alone, like code.
        if scanner._code_from is None:
            scanner._code_from = scanner._offset()
    if scanner._code_from is not None:  # unclosed <pre>/<script>: code to the end
        scanner.code.append((scanner._code_from, len(text)))
        cut = scanner._code_from
        scanner.prose = [(a, min(b, cut)) for a, b in scanner.prose if a < cut]
    return _merge(scanner.prose), scanner.code


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        elif b > a:
            out.append((a, b))
    return out
