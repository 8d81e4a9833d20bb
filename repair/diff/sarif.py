"""SARIF 2.1.0 output for code-scanning tools (GitHub code scanning, VS Code SARIF viewer).

One run, one rule per finding kind, one result per finding, with each suggestion as a
SARIF ``fix``.  Columns count Unicode code points (``columnKind``), as Python offsets do;
regions are 1-based and ``endColumn`` is one past the last character, as the spec says.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from urllib.parse import quote

from repair import __version__
from repair.diff import FileReport, register
from repair.edits import Finding
from repair.io import line_col

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)

# What each kind of finding means, for the rule's description.
KIND_HELP = {
    "encoding": "Mojibake or broken encoding in the text.",
    "spun-quote": "A spinner synonym inside quoted speech, in a document the spinner clearly rewrote.",
    "spun-year": "The spinner's '12 months' for 'year', where no writer would put it.",
    "spintax": "Spintax residue left by an article spinner, such as {that a} or {a|b}.",
    "loop": "A phrase repeated by a machine-translation loop.",
    "repeat": "A word or phrase repeated by mistake.",
    "hyphen": "A compound broken by spaces around its hyphens.",
    "spacing": "Misplaced spaces around punctuation.",
    "punctuation": "Damaged punctuation.",
    "currency": "A currency sign or amount split apart.",
    "lexicon": "A word swapped by a synonym spinner for one that does not fit.",
    "synonym": "A word swapped by a synonym spinner for one that does not fit.",
    "name": "A person's or place's name garbled by translation or spinning.",
    "rewrite": "A sentence damaged enough that the rewriter proposes new wording.",
    "article": "A wrong or missing article (a, an, the).",
}


def _uri(path: str) -> str:
    if path in ("-", "<stdin>"):
        return "stdin"
    p = Path(path)
    if p.is_absolute():
        return p.as_uri()
    return quote(p.as_posix(), safe="/-._~")


def _region(text: str, start: int, end: int) -> dict[str, int]:
    sl, sc = line_col(text, start)
    el, ec = line_col(text, end)
    return {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec}


def _level(f: Finding, fail_on: float) -> str:
    if f.confidence >= fail_on:
        return "error"
    return "warning" if f.confidence >= 0.5 else "note"


def _message(f: Finding) -> str:
    if f.suggestions:
        sugg = " or ".join(repr(s) for s in f.suggestions)
        return f"{f.before!r} → {sugg}: {f.message} (confidence {f.confidence:.2f})"
    return f"{f.before!r}: {f.message} (confidence {f.confidence:.2f})"


def _fingerprint(path: str, f: Finding) -> str:
    key = "\x1f".join((path, f.kind, f.before, f.suggestions[0] if f.suggestions else ""))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def build(reports: list[FileReport], fail_on: float) -> dict[str, object]:
    """The SARIF log as a dict."""
    kinds = sorted({f.kind for rep in reports for f in rep.result.findings})
    rule_index = {k: i for i, k in enumerate(kinds)}
    rules = [
        {
            "id": k,
            "name": "".join(part.capitalize() for part in k.replace("-", "_").split("_")),
            "shortDescription": {"text": KIND_HELP.get(k, f"Text damage of kind {k!r}.")},
            "defaultConfiguration": {"level": "warning"},
        }
        for k in kinds
    ]
    artifacts: list[dict[str, object]] = []
    results: list[dict[str, object]] = []
    for rep in reports:
        text = rep.result.original
        uri = _uri(rep.path)
        index = len(artifacts)
        artifacts.append({"location": {"uri": uri}, "length": len(text.encode("utf-8"))})
        loc = {"uri": uri, "index": index}
        for f in rep.result.findings:
            region = _region(text, f.start, f.end)
            result: dict[str, object] = {
                "ruleId": f.kind,
                "ruleIndex": rule_index[f.kind],
                "level": _level(f, fail_on),
                "message": {"text": _message(f)},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": loc,
                            "region": {**region, "snippet": {"text": f.before}},
                        }
                    }
                ],
                "partialFingerprints": {"repairFinding/v1": _fingerprint(rep.path, f)},
                "properties": {
                    "confidence": round(f.confidence, 4),
                    "applied": f.applied,
                    "stage": f.stage,
                },
            }
            if f.suggestions:
                result["fixes"] = [
                    {
                        "description": {"text": f"Replace {f.before!r} with {s!r}."},
                        "artifactChanges": [
                            {
                                "artifactLocation": loc,
                                "replacements": [
                                    {"deletedRegion": region, "insertedContent": {"text": s}}
                                ],
                            }
                        ],
                    }
                    for s in f.suggestions
                ]
            results.append(result)
    run = {
        "tool": {
            "driver": {
                "name": "repair",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": rules,
            }
        },
        "columnKind": "unicodeCodePoints",
        "artifacts": artifacts,
        "results": results,
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


@register("sarif")
def format_sarif(reports: list[FileReport], fail_on: float) -> str:
    return json.dumps(build(reports, fail_on), ensure_ascii=False, indent=2) + "\n"
