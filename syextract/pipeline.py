"""Every stage, named and ordered, in one place.

``load()`` builds a ``spacy.blank("zh")`` pipeline whose tokenizer is jieba
with syextract's domain dictionary, followed by one registered component per
extraction stage. Each component reads the layers before it and writes its
own ``Doc.spans[<key>]`` (token-aligned, for spaCy tools such as displaCy)
plus the exact character-level spans in ``doc._.syx.layers[<key>]``.

Data flow: io -> normalize -> structure -> extractors -> link -> records.
"""
from __future__ import annotations

import functools
import gc
import hashlib
import importlib
import importlib.util
import logging
import operator
import os
import sys
import threading
from bisect import bisect_right
from typing import TYPE_CHECKING, Optional, Union

from . import limits
from . import records as R
from .extractors.base import Ctx, Span
from .io import Source, read, read_text
from .normalize import NormText, normalize
from .structure import build

if TYPE_CHECKING:  # spaCy is imported when a spaCy pipeline is built (load), not for records
    from spacy.language import Language
    from spacy.tokens import Doc

#: (component name, Doc.spans key, module with ``extract(ctx)``), in order.
STAGES: list[tuple[str, str, str]] = [
    ("syx_placeholders", "placeholders", "syextract.extractors.placeholders"),
    ("syx_times", "times", "syextract.extractors.times"),
    ("syx_quantities", "quantities", "syextract.extractors.quantities"),
    ("syx_people", "people", "syextract.extractors.people"),
    ("syx_organizations", "organizations", "syextract.extractors.organizations"),
    ("syx_activities", "activities", "syextract.extractors.activities"),
    ("syx_link", "links", "syextract.link"),
]
CATEGORIES = ["times", "quantities", "people", "organizations", "activities", "placeholders"]
DOMAIN_DICT = os.path.join(os.path.dirname(__file__), "lexicons", "jieba_domain.txt")

log = logging.getLogger(__name__)


class _Stage:
    """A spaCy component running one extractor and recording its layer."""

    def __init__(self, key: str, module: str):
        self.key = key
        self.module = module
        self._extract = importlib.import_module(module).extract

    def annotate(self, ctx: Ctx) -> list[Span]:
        """Run the extractor on ``ctx`` and record its layer in ``ctx.layers[self.key]``."""
        try:
            spans = self._extract(ctx) or []
        except Exception as e:  # one stage's bug must not take the document down: say so, keep the rest
            log.exception("stage %s failed", self.key)
            ctx.warnings.append(f"stage {self.key} failed ({type(e).__name__}: {e}); its mentions are missing")
            spans = []
        ctx.layers[self.key] = spans
        return spans

    def __call__(self, doc: Doc) -> Doc:
        ctx: Ctx = doc._.syx
        if ctx is None:  # a Doc made without syextract's context: give it the minimal one
            ctx = _context(doc.text, "txt", None)
            doc._.syx = ctx
        if not ctx.tokens and len(doc):
            starts = doc.to_array("IDX").tolist()  # columns, not Token objects: 2x faster on long texts
            lengths = doc.to_array("LENGTH").tolist()
            ctx.tokens = [(a, a + n) for a, n in zip(starts, lengths)]
        group = []
        for sp in self.annotate(ctx):
            s = doc.char_span(sp.start, sp.end, label=sp.label, alignment_mode="expand")
            if s is not None:
                group.append(s)
        from spacy.tokens import SpanGroup

        doc.spans[self.key] = SpanGroup(doc, name=self.key, spans=group)
        return doc


def _spacy_setup() -> None:
    """Register the stages as spaCy factories and the ``Doc._.syx`` extension (once).

    Done when a spaCy pipeline is built (:func:`load`), or on import when spaCy is already
    imported: records alone (``extract``, ``process``, ``syextract extract``) need no spaCy,
    whose import is half a second of a cold start.
    """
    from spacy.language import Language
    from spacy.tokens import Doc

    if not Doc.has_extension("syx"):
        Doc.set_extension("syx", default=None)
    for stage_name, key, module in STAGES:
        def factory(nlp, name, _key=key, _module=module):
            return _Stage(_key, _module)

        if not Language.has_factory(stage_name):
            Language.factory(stage_name)(factory)


if "spacy" in sys.modules:  # (a program using spaCy finds the factories registered, as before)
    _spacy_setup()


def default_segmenter() -> str:
    """``rjieba`` when it is installed (a dependency: the same cuts as jieba, checked on the whole
    corpus by ``tests/test_segment.py``, several times faster and 0.5 s quicker to load), else ``jieba``."""
    return "rjieba" if importlib.util.find_spec("rjieba") is not None else "jieba"


def load(segmenter: Optional[str] = None) -> Language:
    """The spaCy pipeline for ``segmenter`` (default :func:`default_segmenter`), built once per
    process and segmenter (see :func:`_load`).

    ``load()`` and ``load(default_segmenter())`` are the same pipeline. (A cache keyed on the
    call as written made them two entries that evicted each other, and every
    rebuild loaded the domain dictionary into the global jieba again, growing
    its total frequency until the cuts changed.)
    """
    return _load(segmenter or default_segmenter())


#: Tokenizers (by id) that already hold the domain dictionary: jieba's is the global module.
_USERDICT_LOADED: set = set()


@functools.lru_cache(maxsize=None)
def _load(segmenter: str) -> Language:
    """The spaCy pipeline: zh tokenizer (jieba + domain dictionary) and the stages above.

    ``segmenter="rjieba"`` swaps in jieba-rs (``syextract.segment``): the same
    cuts with the same dictionaries, several times faster and quicker to load.
    """
    import spacy

    _spacy_setup()
    if segmenter == "rjieba":
        from .tokenizers import RJiebaTokenizer

        nlp = spacy.blank("zh")
        nlp.tokenizer = RJiebaTokenizer(nlp.vocab, [DOMAIN_DICT])
    else:
        import jieba

        jieba.setLogLevel(60)
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": segmenter}}})
        if segmenter == "jieba":  # the same tokens as spaCy's, in time linear in the length of the text
            from .tokenizers import JiebaTokenizer

            nlp.tokenizer = JiebaTokenizer(nlp.vocab)
        seg = getattr(nlp.tokenizer, "jieba_seg", None) or jieba
        if id(seg) not in _USERDICT_LOADED:  # loading it twice would add its frequencies twice
            seg.load_userdict(DOMAIN_DICT)
            _USERDICT_LOADED.add(id(seg))
    for name, _key, _module in STAGES:
        nlp.add_pipe(name)
    # spaCy refuses texts above 1,000,000 characters (a guard for its parser and NER, which this
    # pipeline does not have); syextract's limits are the input size (io.source.MAX_INPUT_BYTES)
    # and the per-document time limit of `syextract extract --timeout`.
    nlp.max_length = 10 ** 9
    return nlp


class _RecordsPipeline:
    """What records need of a pipeline, without spaCy: syextract's stages in order, and rjieba with
    the domain dictionary giving token offsets. The same stages and cuts as ``load("rjieba")``, so
    the same records (``tests/test_pipeline.py``); half a second less of a cold start."""

    def __init__(self) -> None:
        from .segment import RJieba

        self.tokenizer = RJieba([DOMAIN_DICT])  # (run and process_many read nlp.tokenizer.token_spans)
        self.pipeline = [(name, _Stage(key, module)) for name, key, module in STAGES]


def records_pipeline(segmenter: Optional[str] = None):
    """The pipeline ``process`` uses when given none: spaCy-free with rjieba (built once per process),
    else ``load(segmenter)``."""
    segmenter = segmenter or default_segmenter()
    return _records_rjieba() if segmenter == "rjieba" else load(segmenter)


@functools.lru_cache(maxsize=None)
def _records_rjieba() -> _RecordsPipeline:
    return _RecordsPipeline()


load.cache_clear = _load.cache_clear  # type: ignore[attr-defined]  (benchmarks free a pipeline)
load.cache_info = _load.cache_info  # type: ignore[attr-defined]
load.__wrapped__ = _load.__wrapped__  # type: ignore[attr-defined]  (an uncached build)


def _context(text: str, fmt: str, src: Optional[Source], norm: Optional[NormText] = None) -> Ctx:
    """Structure and layout of the normalised ``text``: plans, sections, sentences, table cells.

    Table cells come from the reader (Word and HTML tables, in source offsets,
    mapped here to the normalised text) and from text tables and labelled
    records found in the text itself (``syextract.tables``).
    """
    from .tables import labelled_records, text_tables

    def to_norm(pos: int) -> int:
        return norm.norm_pos(pos) if norm is not None else pos

    labels = {}
    cells = []
    headers: dict[str, str] = {}
    for b in (src.blocks if src is not None else []):
        if b.kind == "cell":
            a, e = to_norm(b.start), to_norm(b.end)
            while a < e and text[a].isspace():
                a += 1
            while e > a and text[e - 1].isspace():
                e -= 1
            # the header as the rules read it: 責任部門 -> 责任部门, full-width -> half-width, spaces out
            header = b.header
            if header:
                if header not in headers:  # (a column's cells share their header: normalised once)
                    headers[header] = normalize(header).text.replace(" ", "")
                header = headers[header]
            cells.append((a, e, b.table, b.row, b.col, header))
        elif src.format == "docx" and (b.number or b.kind == "heading"):
            labels[b.start] = (b.number, b.kind == "heading")
    if src is None or src.format != "docx":
        cells += text_tables(text) + labelled_records(text)
    cells.sort(key=lambda c: (c[0], c[1]))
    # a record field's label starts a clause (…联谊活动|时间:8月份|责任单位:…), glued or not; so does
    # a table cell (3月中旬<TAB>召开…会议<TAB>县人武部: one clause per cell, not one per row)
    field_labels = sorted(set(k for k in (text.rfind(c[5], max(0, c[0] - len(c[5]) - 4), c[0])
                                          for c in cells if c[2] < 0 and c[5]) if k >= 0))
    cuts = set(k for k in field_labels + [c[0] for c in cells if c[2] >= 0] if k > 0)
    st = build(text, labels, cuts)  # (the sentences and clauses cut there as build cuts them at inline items)
    ctx = Ctx(text=text, format=fmt, plans=st.plans, sentences=st.sentences, clauses=st.clauses,
              furniture=st.furniture, cells=cells, field_labels=field_labels)  # (indexed as it is made)
    ctx.doc_title = st.title
    ctx.doc_title_span = st.title_span
    return ctx


def run(src: Source, nlp: Optional[Language] = None, make_doc: bool = True) -> tuple[Optional[Doc], NormText, Ctx]:
    """Normalise, structure and run every stage; returns the spaCy Doc, the map and the context.

    With ``make_doc=False`` (what :func:`process` asks for: records need the context, not the
    Doc) a pipeline made only of syextract's stages runs them in the pipeline's order on the
    tokenizer's token offsets, and no Doc is built: the Doc, its lexemes and its span groups
    were a third of the time of a document's records. The layers, and so the records, are
    the same either way (``tests/test_pipeline.py`` compares them on the whole corpus). A
    pipeline with any other component still gets a Doc, and returns it.
    """
    nlp = nlp or (load() if make_doc else records_pipeline())
    norm = normalize(src.text, src.format)
    ctx = _context(norm.text, src.format, src, norm)
    direct = None if make_doc else _direct(nlp)
    doc = None
    if direct is None:
        doc = nlp.make_doc(norm.text)
        doc._.syx = ctx
        for _name, proc in nlp.pipeline:
            limits.check()  # a time limit set where no timer can interrupt (a Dask worker thread)
            doc = proc(doc)
    else:
        token_spans, stages = direct
        ctx.tokens = ctx.nonempty_tokens = token_spans(norm.text)  # (token offsets: never empty)
        for proc in stages:
            limits.check()
            proc.annotate(ctx)
    limits.check()
    return doc, norm, ctx


def _direct(nlp: Language):
    """(the tokenizer's ``token_spans``, the stages) when records need no Doc: a pipeline made only
    of syextract's stages, with a tokenizer that gives offsets. None otherwise."""
    stages = [proc for _name, proc in nlp.pipeline]
    token_spans = getattr(nlp.tokenizer, "token_spans", None)
    if token_spans is None or not all(isinstance(p, _Stage) for p in stages):
        return None
    return token_spans, stages


# ---------------------------------------------------------------- records

_PREFIX = {"times": "t", "quantities": "q", "people": "h", "organizations": "o", "activities": "a",
           "placeholders": "g"}
_MODEL = {"times": R.TimeExpr, "quantities": R.Quantity, "people": R.Person, "organizations": R.Organization,
          "activities": R.Activity, "placeholders": R.Placeholder}
_LINK_FIELDS = ("times", "responsible", "participants", "quantities")
#: Fields that quote the text (a name, a post, the counted noun): reported as written in the
#: source (traditional characters, markdown escapes), not as the normalised view reads them.
_WRITTEN = {c: [k for k in ("name", "title", "of") if k in m.model_fields] for c, m in _MODEL.items()}
#: Fields that name another mention (a person's leading group): link.py leaves the Span there, the
#: record its id.
_REFERENCES = {"people": ("group",)}
_START_END = operator.attrgetter("start", "end")
#: The record ids of each category, "t1", "t2", …: formatted once for every document, up to
#: _ID_NAMES_KEPT of them (a huge document's further ids are formatted for it alone).
_ID_NAMES: dict[str, tuple[str, ...]] = {c: () for c in CATEGORIES}
_ID_NAMES_KEPT = 1 << 14


def _id_names(cat: str, n: int):
    """The first ``n`` record ids of ``cat`` (or more)."""
    names = _ID_NAMES[cat]
    if len(names) < n:
        name = (_PREFIX[cat] + "%d").__mod__
        if n > _ID_NAMES_KEPT:
            return map(name, range(1, n + 1))
        names = _ID_NAMES[cat] = tuple(map(name, range(1, min(2 * n, _ID_NAMES_KEPT) + 1)))
    return names


def _written_near(text: str, norm: NormText, ntext: str, sp: Span, value: str) -> str:
    """``value`` found in the normalised text near the mention (not in it), mapped back to the source."""
    lo, hi = max(0, sp.start - 40), min(len(ntext), sp.end + 40)
    k = ntext.rfind(value, lo, sp.start + len(value)) if ntext.find(value, lo, hi) >= 0 else -1
    if k < 0:
        k = ntext.find(value, lo, hi)
    if k < 0:
        return value  # composed (王 荣 -> 王荣) or resolved: keep the extractor's value
    return text[norm.starts[k]:norm.ends[k + len(value) - 1]]  # norm.span of the value, inlined


def _issuer_as_written(text: str, norm: NormText, ntext: str, plan) -> Optional[str]:
    """The plan's issuer as the source writes it (xx鄉, not the normalised xx乡)."""
    issuer = getattr(plan, "issuer", None)
    if not issuer:
        return None
    k = ntext.find(issuer, plan.start, plan.end)
    if k < 0:
        return issuer
    s, e = norm.span(k, k + len(issuer))
    return text[s:e]


def _source_of(text: str, norm: NormText, span, fallback):
    """A label or title as written in the source (markdown bold and heading marks trimmed)."""
    if not span or fallback is None:
        return fallback
    s, e = norm.span(*span)
    return text[s:e].strip().strip("*").strip() or fallback


def to_document(src: Source, norm: NormText, ctx: Ctx) -> R.Document:
    """The records: every mention in source offsets, in its plan, with ids; links by id.

    The document is assembled as plain data and validated once, as a whole, by
    ``R.Document.model_validate`` (pydantic-core walks the nested data in Rust:
    several times faster than a Python ``__init__`` call per mention, and every
    field is still checked against the contract). The mentions' dicts carry the
    extractors' private ``_…`` notes too, and validation ignores keys that are not
    fields, at every level (cheaper than deleting them, by an eighth of the stage):
    so a misspelt key would be lost rather than refused. ``tests/test_pipeline.py``
    checks, on every corpus document, that each key handed over is its model's
    field or a ``_…`` note. The records themselves never hold another key: the
    models forbid them.
    """
    text, ntext, span_of = src.text, ctx.text, norm.span
    plans: list[dict] = []
    for p in ctx.plans:
        ps, pe = span_of(p.start, p.end)
        sections = []
        for sec in p.sections:
            ss, se = span_of(sec.start, sec.end)
            sections.append(dict(id=sec.id, number=_source_of(text, norm, sec.number_span, sec.number),
                                 title=_source_of(text, norm, sec.title_span, sec.title or None), level=sec.level,
                                 parent=sec.parent, start=ss, end=se, scheme=sec.scheme, value=sec.value))
        plans.append(dict(id=p.id, title=_source_of(text, norm, p.title_span, p.title), start=ps, end=pe,
                          year=p.year, sections=sections, issuer=_issuer_as_written(text, norm, ntext, p),
                          **{c: [] for c in CATEGORIES}))
    by_id = {p.id: rec for p, rec in zip(ctx.plans, plans)}
    kept: dict[str, list[Span]] = {}
    ids: dict[int, str] = {}  # id(Span) -> record id, for every mention first (people point to groups)
    for cat in CATEGORIES:
        layer = ctx.layers.get(cat)
        kept[cat] = spans = ctx.spans_in_plans(sorted(layer, key=_START_END)) if layer else []
        if spans:  # (a short document has several empty layers: no set-up for them)
            # ids[id(sp)] = "t1", "t2", … in one C-level update (no Python loop over the mentions)
            ids.update(zip(map(id, spans), _id_names(cat, len(spans))))
    activities: list[tuple[dict, Span]] = []
    starts, ends = norm.starts, norm.ends  # norm.span(a, b) of a mention (never empty), inlined
    disjoint = ctx._plan_index() is not None  # (overlapping plans, a hand-made context: ask every time)
    for cat in CATEGORIES:
        written, references = _WRITTEN[cat], _REFERENCES.get(cat, ())
        plan, plan_recs = None, []  # the plan of the last mention (mentions come sorted: few changes)
        for sp in kept[cat]:
            a = sp.start
            if plan is None or not plan.start <= a < plan.end or not disjoint:
                plan = ctx.plan_of(a)
                plan_recs = by_id[plan.id][cat]
                # ctx.section_of(a), inlined: a bisect into the stretches of the mention's plan
                bounds, _covers, innermost = ctx.section_stretches(plan)
            sec = innermost[bisect_right(bounds, a)]
            sec_id = sec.id if sec else None
            s, e = starts[a], ends[sp.end - 1]
            attrs = sp.attrs
            # every attribute copied at C speed: those that are not the model's fields (the
            # extractors' ``_…`` notes, links where the model has none) are left for validation to
            # ignore, an activity's links are replaced below; then the few fields that quote the
            # text, and those that name another mention
            rec = dict(attrs, id=ids[id(sp)], text=text[s:e], start=s, end=e, section=sec_id)
            for k in written:
                v = attrs.get(k)
                if isinstance(v, str) and v:  # as written in the source: found in the mention (nearly
                    # always: its norm.span inlined) or near it
                    f = ntext.find(v, a, sp.end)
                    rec[k] = text[starts[f]:ends[f + len(v) - 1]] if f >= 0 else \
                        _written_near(text, norm, ntext, sp, v)
            for k in references:
                v = attrs.get(k)
                if isinstance(v, Span):
                    rec[k] = ids.get(id(v))
            plan_recs.append(rec)
            if cat == "activities":
                activities.append((rec, sp))
    # links, once every target has its id; a target's reference is built once and shared by the
    # activities naming it (pydantic reads the dict, never changes it: one model per occurrence)
    ref_of: dict[int, dict] = {}
    for rec, sp in activities:
        attrs = sp.attrs
        for f in _LINK_FIELDS:
            targets = attrs.get(f)
            if not targets:  # (most fields of most activities)
                rec[f] = []
                continue
            refs = []
            for target in targets:
                if isinstance(target, Span):
                    ref = ref_of.get(id(target))
                    if ref is None:
                        a, b = target.start, target.end
                        s, e = (starts[a], ends[b - 1]) if a < b else span_of(a, b)  # (norm.span, inlined)
                        named = target.attrs
                        ref = ref_of[id(target)] = {"id": ids.get(id(target)), "text": text[s:e], "start": s, "end": e,
                                                    "name": named.get("name") or named.get("resolved")}
                    refs.append(ref)
            rec[f] = refs
    # (the extractors' ``_…`` notes left in the mentions' dicts are ignored, see the docstring)
    return R.Document.model_validate(dict(
        id=os.path.splitext(os.path.basename(src.path))[0] if src.path else src.sha256[:16],
        source=dict(path=src.path, format=src.format, encoding=src.encoding, sha256=src.sha256,
                    chars=len(text), text_sha256=src.text_sha256,
                    text=text if src.format in ("docx", "pdf") or not src.path else None),
        title=_source_of(text, norm, getattr(ctx, "doc_title_span", None), getattr(ctx, "doc_title", None)),
        plans=plans,
        warnings=list(src.warnings) + list(ctx.warnings),
    ), extra="ignore")


class _Pauses:
    """The pauses of the collector in progress, over all threads (a Dask worker runs several
    documents at once): it goes off when the first begins, and back on, if it was on, when the last
    ends; a collector that was off stays off."""

    lock = threading.Lock()
    count = 0
    was_on = False


def _gc_paused(fn):
    """``fn`` run with Python's cyclic garbage collector off, back on when it has returned.

    A long document keeps hundreds of thousands of objects alive, and each full collection would
    walk them all again (a quarter of the time of a 7 MB document). The collector comes back on
    only once ``fn`` has returned and its frame is gone, so that its working objects (contexts,
    tokens, spans) have been freed by reference counting: switched on while they were alive, its
    first collection would walk every one of them once more, only to see them freed a moment later
    (a tenth of the time of a group of 16 documents). (When ``fn`` raises, its traceback keeps them
    until the caller lets the exception go.)
    """
    @functools.wraps(fn)
    def paused(*args, **kwargs):
        counted = False
        try:
            with _Pauses.lock:
                if _Pauses.count == 0:
                    _Pauses.was_on = gc.isenabled()
                    gc.disable()
                _Pauses.count += 1
                counted = True
            return fn(*args, **kwargs)
        finally:  # (a time limit's exception too)
            if counted:
                with _Pauses.lock:
                    _Pauses.count -= 1
                    if _Pauses.count == 0 and _Pauses.was_on:
                        gc.enable()
    return paused


@_gc_paused
def process(src: Source, nlp: Optional[Language] = None) -> R.Document:
    """The records of one source (the garbage collector paused meanwhile: see ``_gc_paused``)."""
    _doc, norm, ctx = run(src, nlp, make_doc=False)
    return to_document(src, norm, ctx)


@_gc_paused  # (as process: the group's objects are not walked again and again)
def process_many(sources: list[Source], nlp: Optional[Language] = None) -> list[Union[R.Document, Exception]]:
    """The records of several sources, the same as ``process`` gives each, in one pass per stage.

    Each stage runs over every document before the next stage starts (as spaCy's
    ``Language.pipe`` feeds each component a batch), so a stage's lexicons, regex
    programs and code stay in the CPU caches across the documents instead of being
    evicted by the other stages' between two documents: on an archive of corpus documents,
    groups of 16 take about a sixth less CPU time than one document at a time
    (``benchmarks/throughput.py``). The stages keep no state from one document to the
    next, so the records are byte-identical (``tests/test_pipeline.py``).

    A document's entry is its Document, or the exception that stopped it where ``process``
    would have raised (a stage's own failure is a warning in the record, as in ``process``).
    A time limit (``limits.DocumentTimeout``) stops the whole group: the caller decides what
    to run again (``batch`` runs each document of the group alone, under its own limit).
    """
    nlp = nlp or records_pipeline()
    direct = _direct(nlp)
    if direct is None:  # a pipeline with a component of the user's own: one Doc per document
        return [_attempt(process, src, nlp) for src in sources]
    token_spans, stages = direct
    out: list = [None] * len(sources)
    norms: dict[int, NormText] = {}
    ctxs: dict[int, Ctx] = {}

    def normalize_(i: int) -> None:
        norms[i] = normalize(sources[i].text, sources[i].format)

    def structure_(i: int) -> None:
        ctxs[i] = _context(norms[i].text, sources[i].format, sources[i], norms[i])

    def tokens_(i: int) -> None:
        ctxs[i].tokens = ctxs[i].nonempty_tokens = token_spans(norms[i].text)  # (as run)

    live = list(range(len(sources)))
    for step in (normalize_, structure_, tokens_):
        limits.check()
        failed = [(i, e) for i, e in ((i, _attempt(step, i)) for i in live) if e is not None]
        for i, e in failed:  # that document leaves the group with its exception
            out[i] = e
            live.remove(i)
    for proc in stages:
        limits.check()
        for i in live:
            proc.annotate(ctxs[i])  # (fails soft: a stage's error is a warning in its record)
    limits.check()
    for i in live:
        out[i] = _attempt(to_document, sources[i], norms[i], ctxs[i])
    return out


def _attempt(fn, *args):
    """``fn(*args)``, or the exception it raised (a time limit, a BaseException, goes through)."""
    try:
        return fn(*args)
    except Exception as e:  # noqa: BLE001 - the caller reports it for this document alone
        return e


def extract(path_or_text: Union[str, os.PathLike], format: Optional[str] = None) -> R.Document:
    """``syextract.extract("plan.docx")`` or ``syextract.extract("2023年…计划\\n一、…")``.

    A string that names an existing file is read as that file; any other
    string is taken as the document text itself.
    """
    if isinstance(path_or_text, os.PathLike) or (isinstance(path_or_text, str) and "\n" not in path_or_text
                                                   and len(path_or_text) < 4096 and os.path.exists(path_or_text)):
        src = read(os.fspath(path_or_text), format)
    else:
        src = read_text(str(path_or_text), format or "txt")
    return process(src)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
