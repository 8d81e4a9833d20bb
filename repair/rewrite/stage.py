"""The ``rewrite`` stage: the shipped T5 proposes and scores local fixes in unlikely words.

Free generation made text worse (issue 6), so the model is used in two narrow ways:
1. as a detector: one teacher-forced pass asks how likely the model is to *copy* each word
   of a sentence; a clean word scores high, a spun or mistranslated one low;
2. as a proposer and scorer at those words only: decoding is forced to copy the sentence up
   to the flagged word, continues greedily until it rejoins the source, and the resulting
   candidate is kept only if the model prefers it to the original sentence by a margin
   (log P(candidate | input) - log P(input | input)).
When ``repair.lm`` ships an n-gram LM, the candidate must also read more fluently to it.
Every candidate then passes the guards (digits, quotes, names, punctuation, protected spans,
real words, no deletions, bounded size and edit ratio).  Confidences stay at or below
``CONFIDENCE_CAP``, far under the default auto-apply threshold: the rewrites are suggestions
unless a user lowers ``kind_thresholds.rewrite``.
Without torch or without weights in ``models/`` the stage returns nothing.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import OrderedDict
from dataclasses import dataclass

from repair.document import Document
from repair.edits import Edit
from repair.pipeline import Context, StageOutput, register
from repair.rewrite import guards

FLAG_LOGP = -3.0  # a word the model would copy with p < 5% is worth a look
MIN_GAIN = 2.0  # nats by which the candidate sentence must beat the original
MIN_FLUENCY_GAIN = 0.0  # and the n-gram LM (repair.lm) must find it more fluent
MAX_FLAGS = 4  # per sentence
MIN_WORDS, MAX_WORDS = 4, 60
# The shipped CPU-trained model made no good edit on the dev data (see models/MODEL_CARD.md),
# so its proposals are low-confidence suggestions, far below the 0.9 auto-apply threshold.
CONFIDENCE_CAP = 0.6
_WORD_RE = re.compile(r"\S+")
_CACHE: OrderedDict[str, list[Proposal]] = OrderedDict()
_CACHE_SIZE = 50_000


@dataclass(frozen=True)
class Proposal:
    """Replace words ``a..b`` of a normalised sentence with ``after`` (model gain in nats)."""

    a: int
    b: int
    after: str
    gain: float
    copy_logp: float
    fluency: float | None = None  # n-gram LM log-score gain, when an LM is shipped


# The lexicon stage's document spun score (0..1) from which the model looks at a text.
SPUN_SCORE = 0.5


@register("rewrite")
def rewrite(doc: Document, ctx: Context) -> StageOutput:
    if not ctx.config.model:
        return StageOutput()
    if ctx.scores.get("spun_score", 0.0) < SPUN_SCORE:
        # Only texts the detectors flag as spun are worth the model's time (and risk).
        return StageOutput()
    from repair.rewrite.model import load

    rw = load()
    if rw is None:
        return StageOutput()
    units = []
    for s, e in doc.sentences:
        words = [(s + m.start(), s + m.end()) for m in _WORD_RE.finditer(doc.text[s:e])]
        if MIN_WORDS <= len(words) <= MAX_WORDS:
            units.append(words)
    norms = [" ".join(doc.text[a:b] for a, b in words) for words in units]
    proposals = propose(rw, norms)
    edits: list[Edit] = []
    for words, props in zip(units, proposals, strict=True):
        edits.extend(_to_edits(doc, words, props))
    return StageOutput(edits=edits, scores={"rewrite_sentences": float(len(units))})


def _to_edits(doc: Document, words: list[tuple[int, int]], props: list[Proposal]) -> list[Edit]:
    out: list[Edit] = []
    changed = 0
    for p in sorted(props, key=lambda p: -p.gain):
        start, end = words[p.a][0], words[p.b - 1][1]
        after = p.after
        if not guards.passes(doc, start, end, after, sentence_initial=p.a == 0):
            continue
        if not after:  # a deletion takes the following space with it
            if p.b < len(words):
                end = words[p.b][0]
            elif p.a > 0:
                start = words[p.a - 1][1]
        n = max(p.b - p.a, len(after.split()))
        if not guards.within_ratio(changed + n, len(words)):
            continue
        changed += n
        before = doc.text[start:end]
        conf = min(CONFIDENCE_CAP, 0.4 + 0.2 * (1 - math.exp(-(p.gain - MIN_GAIN) / 4)))
        lm = "" if p.fluency is None else f", the n-gram LM by {p.fluency:.1f}"
        reason = (
            f"rewriter: the model would copy {before.strip()!r} with p={math.exp(p.copy_logp):.3f};"
            f" it prefers {after!r} by {p.gain:.1f} nats of sentence likelihood{lm}"
        )
        out.append(Edit(start, end, before, after, "rewrite", reason, round(conf, 3)))
    return out


def propose(rw, sentences: list[str]) -> list[list[Proposal]]:  # noqa: ANN001 (Rewriter)
    """Proposals for each normalised sentence; cached per process by sentence text."""
    todo = [s for s in dict.fromkeys(sentences) if s not in _CACHE]
    if todo:
        for sent, props in zip(todo, _propose_batch(rw, todo), strict=True):
            _CACHE[sent] = props
            if len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
    return [_CACHE[s] for s in sentences]


def _word_of_pieces(sentence: str, pieces) -> list[int]:  # noqa: ANN001
    """Index of the word each piece belongs to (by the piece's last character)."""
    bounds = [m.span() for m in _WORD_RE.finditer(sentence)]
    out, w = [], 0
    for p in pieces:
        pos = max(p.start, p.end - 1)
        while w < len(bounds) - 1 and pos >= bounds[w][1]:
            w += 1
        out.append(w)
    return out


def _propose_batch(rw, sentences: list[str]) -> list[list[Proposal]]:  # noqa: ANN001
    ids = [rw.encode(s) for s in sentences]
    copy = rw.token_logprobs(ids, ids)
    jobs = []  # (sentence index, a, b, candidate words)
    for si, sent in enumerate(sentences):
        words = sent.split()
        pieces = rw.pieces(sent)
        if len(pieces) != len(ids[si]):
            continue
        owner = _word_of_pieces(sent, pieces)
        word_logp = [0.0] * len(words)
        first_piece = [-1] * len(words)
        for k, w in enumerate(owner):
            word_logp[w] += copy[si][k]
            if first_piece[w] < 0:
                first_piece[w] = k
        flagged = sorted(
            (w for w in range(len(words)) if word_logp[w] < FLAG_LOGP and _editable(words[w], w)),
            key=lambda w: word_logp[w],
        )[:MAX_FLAGS]
        for w in sorted(flagged):
            cand = _continue(rw, ids[si], words, w, first_piece[w])
            if cand is not None:
                a, b, new = cand
                jobs.append((si, a, b, new, word_logp[w]))
    if not jobs:
        return [[] for _ in sentences]
    cand_ids = []
    for si, a, b, new, _ in jobs:
        words = sentences[si].split()
        cand_ids.append(rw.encode(" ".join([*words[:a], *new, *words[b:]])))
    src_ids = [ids[j[0]] for j in jobs]
    cand_lp = rw.token_logprobs(src_ids, cand_ids)
    base = {si: sum(copy[si]) for si in {j[0] for j in jobs}}
    out: list[list[Proposal]] = [[] for _ in sentences]
    seen = set()
    for (si, a, b, new, wlp), lp in zip(jobs, cand_lp, strict=True):
        gain = sum(lp) - base[si]
        key = (si, a, b)
        if gain < MIN_GAIN or key in seen:
            continue
        words = sentences[si].split()
        fluency = fluency_gain(words, [*words[:a], *new, *words[b:]])
        if fluency is not None and fluency <= MIN_FLUENCY_GAIN:
            continue
        seen.add(key)
        out[si].append(Proposal(a, b, " ".join(new), gain, wlp, fluency))
    return out


def fluency_gain(before: list[str], after: list[str]) -> float | None:
    """How much more fluent the n-gram LM finds the rewritten sentence (None: no LM shipped)."""
    try:
        from repair.lm import get_lm, lm_tokens
    except ImportError:
        return None
    lm = get_lm()
    if lm is None:
        return None
    a, b = lm.score_windows([lm_tokens(" ".join(before)), lm_tokens(" ".join(after))], [0, 0])
    return b - a


def _editable(word: str, index: int) -> bool:
    if any(c.isdigit() for c in word):
        return False
    if index > 0 and word.lstrip("\"“‘'(").istitle():
        return False
    return any(c.isalpha() for c in word)


def _continue(rw, src: list[int], words: list[str], w: int, piece: int):  # noqa: ANN001
    """Copy up to word ``w``, let the model write on, and return where it rejoins the source."""
    tail = words[w:]
    new = rw.continue_greedy(src, src[:piece], max_new=12)
    prefix_words = len(words[:w])
    full = rw.decode(src[:piece] + new).split()
    gen = full[prefix_words:]
    if not gen:
        return None
    sm = difflib.SequenceMatcher(None, tail, gen, autojunk=False)
    ops = sm.get_opcodes()
    if not ops or ops[0][0] == "equal":
        return None  # the model copies this word after all
    tag, i1, i2, j1, j2 = ops[0]
    if i1 != 0 or j1 != 0:
        return None
    rest = ops[1] if len(ops) > 1 else None
    rejoined = rest is not None and rest[0] == "equal"
    if not rejoined:
        return None
    return w + i1, w + i2, gen[j1:j2]
