"""Stages in a plain registry, and the pipeline that runs them.

A stage is a callable ``stage(doc, ctx) -> StageOutput``.  It proposes edits relative to
``doc.text``; the pipeline applies those at or above the kind's threshold that no
protected span forbids and that keep every digit, records the step, and hands the next
stage the new text.  Everything else becomes a suggestion (a ``Finding``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from repair.config import RepairConfig
from repair.document import NUMERIC_ENTITY_RE, YEAR_KIND, YEAR_SPAN_RE, Document, Span, digits_of
from repair.edits import Edit, Finding, OffsetMap, Step, apply, map_span_back
from repair.errors import UnknownStageError


@dataclass
class StageOutput:
    edits: list[Edit] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)


@dataclass
class Context:
    """What a stage may read besides the document: config, shared evidence, caches."""

    config: RepairConfig = field(default_factory=RepairConfig)
    # Cross-document evidence (e.g. names seen spelled correctly elsewhere in a batch).
    evidence: dict[str, Any] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)


StageFn = Callable[[Document, Context], StageOutput]
STAGES: dict[str, StageFn] = {}
# Modules that register stages when imported; imported only when a stage is asked for.
STAGE_MODULES: dict[str, str] = {
    "encoding": "repair.detect.encoding",
    "spintax": "repair.detect.spintax",
    "loops": "repair.detect.loops",
    "hyphens": "repair.detect.hyphens",
    "spacing": "repair.detect.spacing",
    "lexicon": "repair.detect.lexicon",
    "names": "repair.gazetteer.stage",
    "rewrite": "repair.rewrite.stage",
    "articles": "repair.detect.articles",
}


def register(name: str) -> Callable[[StageFn], StageFn]:
    def deco(fn: StageFn) -> StageFn:
        STAGES[name] = fn
        return fn

    return deco


def get_stage(name: str) -> StageFn:
    if name not in STAGES and name in STAGE_MODULES:
        try:
            importlib.import_module(STAGE_MODULES[name])
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith("repair."):
                return _missing_stage
            raise
    if name not in STAGES:
        raise UnknownStageError(name, sorted(set(STAGES) | set(STAGE_MODULES)))
    return STAGES[name]


def _missing_stage(doc: Document, ctx: Context) -> StageOutput:
    return StageOutput()


@dataclass
class Result:
    original: str
    text: str
    plan: list[Step]
    findings: list[Finding]  # every proposal, applied or not, in original offsets
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.text != self.original

    @property
    def applied(self) -> list[Finding]:
        return [f for f in self.findings if f.applied]

    @property
    def suggestions(self) -> list[Finding]:
        return [f for f in self.findings if not f.applied]

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "changed": self.changed,
            "scores": {k: round(v, 4) for k, v in self.scores.items()},
            "findings": [f.to_dict() for f in self.findings],
            "plan": [s.to_dict() for s in self.plan],
        }


class Pipeline:
    """Runs the configured stages; ``run`` is idempotent: run(run(x).text).text == run(x).text."""

    # Passes stop at the fixed point (real text: one or two); the cap only bounds chains
    # where one stage's fix exposes another's ('nAAN an AN NAAN a AN nAAN a' takes four).
    max_passes = 6

    def __init__(self, config: RepairConfig | None = None, *, stages: Sequence[str] | None = None):
        self.config = config or RepairConfig()
        names = tuple(stages) if stages is not None else self.config.active_stages()
        self.stages: list[tuple[str, StageFn]] = [(n, get_stage(n)) for n in names]

    def run(
        self,
        text: str,
        *,
        protected: Sequence[Span] = (),
        evidence: dict[str, Any] | None = None,
    ) -> Result:
        ctx = Context(config=self.config, evidence=evidence if evidence is not None else {})
        plan: list[Step] = []
        maps: list[OffsetMap] = []
        findings: list[Finding] = []
        seen_suggestions: set[tuple[int, int, str, tuple[str, ...]]] = set()
        current = text
        protected = tuple(protected)
        for _ in range(self.max_passes):
            before_pass = current
            for name, stage in self.stages:
                doc = Document(current, extra_protected=protected)
                out = stage(doc, ctx)
                ctx.scores.update(out.scores)
                confident: list[Edit] = []
                for e in out.edits:
                    e = e if e.stage else _with_stage(e, name)
                    if self._may_apply(doc, e):
                        confident.append(e)
                    else:
                        self._suggest(findings, seen_suggestions, Finding.from_edit(e, applied=False), maps, text, current)
                for f in out.findings:
                    self._suggest(findings, seen_suggestions, f, maps, text, current)
                if not confident:
                    continue
                new_text, applied, rejected = apply(current, confident)
                for e in rejected:
                    self._suggest(findings, seen_suggestions, Finding.from_edit(e, applied=False), maps, text, current)
                if not applied or new_text == current:
                    continue
                step = Step(name, tuple(applied))
                plan.append(step)
                omap = OffsetMap(applied)
                for e in applied:
                    f = Finding.from_edit(e, applied=True)
                    s, t = map_span_back(e.start, e.end, maps)
                    findings.append(_moved(f, s, t, text, current, maps))
                maps.append(omap)
                protected = _shift_spans(protected, applied)
                current = new_text
            if current == before_pass:
                break
        findings.sort(key=lambda f: (f.start, f.end))
        return Result(original=text, text=current, plan=plan, findings=findings, scores=dict(ctx.scores))

    def _may_apply(self, doc: Document, e: Edit) -> bool:
        if e.confidence < self.config.threshold_for(e.kind):
            return False
        if digits_of(NUMERIC_ENTITY_RE.sub("", e.before) if e.kind == "encoding" else e.before) != digits_of(e.after):
            # The one exception: the spinner's "12 months" back to "year" (repair.detect.lexicon).
            if not (e.kind == YEAR_KIND and YEAR_SPAN_RE.fullmatch(e.before) and not digits_of(e.after)):
                return False
        if self.config.ignore_words and e.before.strip().lower() in _lower(self.config.ignore_words):
            return False
        if e.kind == "name" and e.before.strip() in self.config.ignore_names:
            return False
        return doc.allows(e.start, e.end, e.kind)

    def _suggest(
        self, findings: list[Finding], seen: set, f: Finding, maps: list[OffsetMap], original: str, current: str
    ) -> None:
        s, t = map_span_back(f.start, f.end, maps)
        moved = _moved(f, s, t, original, current, maps)
        key = (s, t, f.kind, moved.suggestions)
        if key in seen:
            return
        seen.add(key)
        findings.append(moved)


def _lower(words: tuple[str, ...]) -> set[str]:
    return {w.lower() for w in words}


def _with_stage(e: Edit, name: str) -> Edit:
    return Edit(e.start, e.end, e.before, e.after, e.kind, e.reason, e.confidence, name)


def _moved(f: Finding, start: int, end: int, original: str, current: str, maps: list[OffsetMap]) -> Finding:
    """``f`` (offsets in ``current``) at ``start..end`` of the original text.

    When the span grew to cover an earlier pass's edit ('a' inside the '{that a}' that became
    'that a'), each suggestion is widened to match: the original span becomes what the
    current text holds there with ``f`` applied ('that an'), never the bare 'an'.
    """
    before = original[start:end]
    suggestions = f.suggestions
    if before != f.before:
        cs, ct = start, end
        for m in maps:
            cs, ct = m.forward(cs, side="start"), m.forward(ct, side="end")
        if cs <= f.start and f.end <= ct and current[f.start : f.end] == f.before:
            head, tail = current[cs : f.start], current[f.end : ct]
            suggestions = tuple(head + s + tail for s in f.suggestions)
    return Finding(start, end, f.kind, f.message, suggestions, f.confidence, before, f.applied, f.stage)


def _shift_spans(spans: tuple[Span, ...], applied: Sequence[Edit]) -> tuple[Span, ...]:
    """Move caller-given protected spans (markup) past the applied edits."""
    if not spans:
        return spans
    m = sorted(applied, key=lambda e: e.start)
    out = []
    for sp in spans:
        ds = sum(len(e.after) - len(e.before) for e in m if e.end <= sp.start)
        de = sum(len(e.after) - len(e.before) for e in m if e.end <= sp.end)
        out.append(Span(sp.start + ds, sp.end + de, sp.label))
    return tuple(out)


_DEFAULT: dict[str, Pipeline] = {}


def repair(text: str, config: RepairConfig | None = None, **kw: Any) -> Result:
    """Repair ``text`` with the configured pipeline (cached per config)."""
    cfg = config or RepairConfig()
    key = repr(cfg)
    pipe = _DEFAULT.get(key)
    if pipe is None:
        pipe = _DEFAULT[key] = Pipeline(cfg)
    return pipe.run(text, **kw)
