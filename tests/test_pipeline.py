"""The spaCy pipeline: named stages in order, the domain dictionary, one Doc.spans key per stage."""
import glob
import os

import pytest

import syextract
from syextract.io import read, read_text
from syextract.pipeline import STAGES, load, run


def test_stages_named_and_ordered():
    nlp = load()
    assert nlp.lang == "zh"
    assert nlp.pipe_names == [name for name, _, _ in STAGES]
    assert nlp.pipe_names[0] == "syx_placeholders" and nlp.pipe_names[-1] == "syx_link"


def test_both_segmenters_with_domain_dictionary():
    for segmenter in ("jieba", "rjieba"):
        nlp = load(segmenter)
        tokens = [t.text for t in nlp.make_doc("镇双拥办拟于八一建军节前夕走访慰问优抚对象和县人武部")]
        for word in ("双拥办", "八一建军节", "走访慰问", "优抚对象", "县人武部"):
            assert word in tokens, (segmenter, tokens)


def test_default_segmenter_is_rjieba_when_installed():
    from syextract.pipeline import default_segmenter

    assert default_segmenter() == "rjieba"  # a dependency: installed with syextract
    assert load() is load("rjieba")
    assert load("jieba") is not load()


def test_each_stage_writes_its_spans_key():
    doc, norm, ctx = run(read_text("2024年社区双拥工作计划\n一、春节前夕走访慰问烈属25户，由社区居委会负责。\n"))
    for _, key, _ in STAGES:
        assert key in doc.spans
        assert key in ctx.layers
    assert len(doc.spans["placeholders"]) == 0


def test_records_without_a_doc_equal_records_with_one():
    """process() runs the stages on token offsets, building no spaCy Doc: the same tokens,
    layers and records as the Doc path, on every corpus document, for both segmenters."""
    from syextract.io import read
    from syextract.pipeline import to_document

    paths = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "corpus", "docs", "*.*")))
    assert len(paths) > 50
    for segmenter in ("rjieba", "jieba"):
        nlp = load(segmenter)
        for p in paths if segmenter == "rjieba" else paths[:10]:
            src = read(p)
            doc, norm, with_doc = run(src, nlp)
            none, _, without = run(src, nlp, make_doc=False)
            assert doc is not None and none is None
            assert without.tokens == with_doc.tokens == [(t.idx, t.idx + len(t)) for t in doc]
            assert (to_document(src, norm, without).model_dump_json()
                    == to_document(src, norm, with_doc).model_dump_json()), p


def test_a_pipeline_with_a_foreign_component_still_gets_its_doc():
    import spacy
    from spacy.language import Language

    seen = []

    @Language.component("syx_test_probe")
    def probe(doc):
        seen.append(doc.text)
        return doc

    nlp = load.__wrapped__("rjieba")
    nlp.add_pipe("syx_test_probe")
    text = "2024年社区双拥工作计划\n一、春节前夕走访慰问烈属25户。\n"
    doc, _, ctx = run(read_text(text), nlp, make_doc=False)
    assert doc is not None and seen == [text] and ctx.layers["times"]
    assert isinstance(doc, spacy.tokens.Doc)


def test_extract_accepts_text_and_path(tmp_path):
    text = "20xx年社区双拥工作计划\n一、\\_\\_\\_月，开展一次国防教育知识竞赛。\n"
    a = syextract.extract(text)
    p = tmp_path / "plan.md"
    p.write_text(text, encoding="utf-8")
    b = syextract.extract(p)
    assert a.plans[0].year is None and b.plans[0].year is None
    assert [g.text for g in a.plans[0].placeholders] == ["20xx", "\\_\\_\\_"]
    assert [(g.text, g.start) for g in a.plans[0].placeholders] == [(g.text, g.start) for g in b.plans[0].placeholders]


def test_same_input_gives_identical_json():
    path = "corpus/docs/000_c9f2e8833ee8cb3f.txt"
    assert syextract.extract(path).model_dump_json() == syextract.extract(path).model_dump_json()


def test_quoted_fields_are_reported_as_written():
    """name/title/of quote the source: traditional characters and escapes are kept."""
    doc = syextract.extract("鄉雙擁工作計劃\n成立以鄉黨委書記張國強為組長的領導小組。走訪慰問重點優撫對象46戶。\n")
    people = [h for p in doc.plans for h in p.people]
    assert any(h.name == "張國強" and h.title == "鄉黨委書記" for h in people), people
    q = [x for p in doc.plans for x in p.quantities if x.text == "46戶"]
    assert q and q[0].of == "重點優撫對象" and q[0].unit == "户"


def test_plan_issuer_found_and_as_written():
    seed = syextract.extract("corpus/docs/000_c9f2e8833ee8cb3f.txt")
    issuers = [p.issuer for p in seed.plans]
    assert issuers[0] == "太平门社区" and issuers[4] == "x镇党委政府" and issuers[5] == "县总工会"
    trad = syextract.extract("corpus/docs/traditional_plan.txt")
    assert trad.plans[0].issuer == "xx鄉"


def test_a_failing_stage_is_reported_not_hidden(monkeypatch):
    from syextract.pipeline import records_pipeline

    stage = dict(records_pipeline().pipeline)["syx_people"]  # what extract() runs

    def boom(ctx):
        raise ValueError("bad rule")

    monkeypatch.setattr(stage, "_extract", boom)
    doc = syextract.extract("2024年社区双拥工作计划\n一、春节前夕走访慰问烈属25户。\n")
    assert any("stage people failed" in w and "bad rule" in w for w in doc.warnings)
    assert doc.plans[0].times  # the other stages still ran


def test_group_members_point_to_their_leading_group():
    """Person.group: 组长/副组长/成员 carry the id of their plan's leading group, named before them
    (组长：…) or after them in the same sentence (成立以校长为组长的…领导小组)."""
    doc = syextract.extract("corpus/docs/000_c9f2e8833ee8cb3f.txt")
    grouped = 0
    for plan in doc.plans:
        groups = {o.id: o for o in plan.organizations if o.leading_group}
        for person in plan.people:
            if person.group is not None:
                grouped += 1
                assert person.group in groups, (person.text, person.group)
                assert person.role in ("组长", "副组长", "成员"), person.text
    assert grouped == 10  # nine in 篇四, one in 篇六
    p4 = doc.plans[3]
    by_text = {h.text: h for h in p4.people}
    group = next(o for o in p4.organizations if o.leading_group)
    assert by_text["校长"].group == group.id and by_text["廖xx"].group == group.id
    assert all(h.group is None for h in doc.plans[4].people)  # no roles given: no membership claimed


def test_process_many_equals_process_each():
    """Stage-major processing of a group gives each document the records process() gives it, on the
    whole corpus (as one group and in groups of 8), with a foreign pipeline too; a document that
    fails where process() would raise gets its exception in place, and the others their records."""
    from syextract.io import read
    from syextract.pipeline import process, process_many

    paths = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "corpus", "docs", "*.*")))
    sources = [read(p) for p in paths]
    nlp = load()
    alone = [process(s, nlp).model_dump_json() for s in sources]
    assert [d.model_dump_json() for d in process_many(sources, nlp)] == alone
    assert [d.model_dump_json() for k in range(0, len(sources), 8)
            for d in process_many(sources[k:k + 8], nlp)] == alone


def test_clear_memos_empties_every_memo_of_document_text_and_changes_no_record():
    """The memos of document text (words, names, headers: ``base.memo``, organizations' word classes)
    fill as documents are read; ``clear_memos`` (what the benchmarks call before a timed pass) empties
    them all, and a document read with them cold or warm gets the same records."""
    from syextract.extractors import activities, base, organizations, quantities
    from syextract.pipeline import process

    src = read(os.path.join(os.path.dirname(__file__), "..", "corpus", "docs", "000_c9f2e8833ee8cb3f.txt"))
    nlp = load()
    base.clear_memos()
    cold = process(src, nlp).model_dump_json()
    memos = [activities._head_ok, quantities._number, quantities._value]
    assert all(m.cache_info().currsize for m in memos) and organizations._cut_words()
    assert process(src, nlp).model_dump_json() == cold  # (warm)
    base.clear_memos()
    assert not any(m.cache_info().currsize for m in memos) and not organizations._cut_words()
    assert len(base._MEMO_CLEARS) >= 13  # (every memo of document text registered)
    assert process(src, nlp).model_dump_json() == cold


def test_process_many_keeps_a_failing_document_to_itself(monkeypatch):
    from syextract import pipeline
    from syextract.pipeline import process, process_many

    texts = ["2024年社区双拥工作计划\n一、春节前夕走访慰问烈属25户。\n", "坏文档\n",
             "2023年镇双拥工作计划\n一、八一前夕召开座谈会。\n"]
    sources = [read_text(t) for t in texts]
    good = [process(sources[0]).model_dump_json(), process(sources[2]).model_dump_json()]
    real = pipeline._context

    def fails_on_one(text, *a):
        if text.startswith("坏文档"):
            raise ValueError("broken structure")
        return real(text, *a)

    monkeypatch.setattr(pipeline, "_context", fails_on_one)
    got = process_many(sources)
    assert isinstance(got[1], ValueError) and "broken structure" in str(got[1])
    assert [got[0].model_dump_json(), got[2].model_dump_json()] == good
    # a pipeline with a component of the user's own runs process() per document, same answers
    from spacy.language import Language

    @Language.component("syx_test_noop")
    def noop(doc):
        return doc

    nlp = load.__wrapped__("rjieba")
    nlp.add_pipe("syx_test_noop")
    got = process_many(sources, nlp)
    assert isinstance(got[1], ValueError) and [got[0].model_dump_json(), got[2].model_dump_json()] == good


def test_the_collector_is_off_meanwhile_and_back_on_after_the_work_is_freed(monkeypatch):
    """process and process_many pause Python's cyclic garbage collector, and switch it back on only
    once the documents' working contexts are freed (alive then, its first collection would walk every
    object of the group once more); after a failure, a time limit or overlapping pauses in two
    threads it is back on too; a collector that was off stays off."""
    import gc
    import threading
    import types
    import weakref

    from syextract import limits, pipeline
    from syextract.pipeline import process, process_many

    sources = [read_text("2024年社区双拥工作计划\n一、春节前夕走访慰问烈属25户。\n"),
               read_text("2023年镇双拥工作计划\n一、八一前夕召开座谈会。\n")]
    contexts, on_while_working, freed_when_on = [], [], []
    real_context = pipeline._context

    def watched(*a):
        on_while_working.append(gc.isenabled())  # (asserted outside: process_many keeps a failure)
        ctx = real_context(*a)
        contexts.append(weakref.ref(ctx))
        return ctx

    def enable():
        freed_when_on.append([ref() is None for ref in contexts])
        gc.enable()

    monkeypatch.setattr(pipeline, "_context", watched)
    monkeypatch.setattr(pipeline, "gc", types.SimpleNamespace(isenabled=gc.isenabled, disable=gc.disable,
                                                              enable=enable))
    assert gc.isenabled()
    docs = process_many(sources)
    assert all(d.plans for d in docs) and on_while_working == [False, False]
    assert freed_when_on == [[True, True]] and gc.isenabled()
    freed_when_on.clear()
    contexts.clear()
    assert process(sources[0]).plans and freed_when_on == [[True]] and gc.isenabled()

    # a failure inside, and a time limit (the Dask threads' deadline), leave the collector on
    def fails(*a):
        raise limits.DocumentTimeout("too slow")

    monkeypatch.setattr(pipeline, "_context", fails)
    with pytest.raises(limits.DocumentTimeout):
        process(sources[0])
    assert gc.isenabled()
    monkeypatch.setattr(pipeline, "_context", watched)

    # two threads' pauses overlap: the first to begin ends first, and the collector stays off
    # until the other ends too
    inside = {"a": threading.Event(), "b": threading.Event()}
    release = {"a": threading.Event(), "b": threading.Event()}

    def held(*a):
        name = threading.current_thread().name
        inside[name].set()
        release[name].wait(10)
        return real_context(*a)

    monkeypatch.setattr(pipeline, "_context", held)
    first = threading.Thread(target=process, args=(sources[0],), name="a")
    second = threading.Thread(target=process, args=(sources[1],), name="b")
    first.start()
    inside["a"].wait(10)
    second.start()
    inside["b"].wait(10)
    release["a"].set()
    first.join(10)
    assert not gc.isenabled()  # the second document is still being worked on
    release["b"].set()
    second.join(10)
    assert gc.isenabled()
    monkeypatch.setattr(pipeline, "_context", watched)

    gc.disable()
    try:
        freed_when_on.clear()
        process_many(sources)
        assert freed_when_on == [] and not gc.isenabled()
    finally:
        gc.enable()


def test_every_key_handed_to_validation_is_a_field_or_a_private_note(monkeypatch):
    """to_document validates with extra="ignore" (the extractors' ``_…`` notes stay in the mentions'
    dicts): on every corpus document, each key of the data it hands over, at every level, is its
    model's field or such a note, so no misspelt key is silently lost."""
    import typing

    from pydantic import BaseModel

    from syextract import records as R
    from syextract.pipeline import process

    handed = []
    validate = R.Document.model_validate
    monkeypatch.setattr(R.Document, "model_validate", lambda data, **kw: handed.append(data) or validate(data, **kw))

    def models_in(annotation):
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield annotation
        for arg in typing.get_args(annotation):
            yield from models_in(arg)

    def check(data, model, where):
        for key, value in data.items():
            if key.startswith("_"):
                assert issubclass(model, R.Mention), f"{where}: a note {key!r} outside a mention"
                continue
            assert key in model.model_fields, f"{where}: {key!r} is not a field of {model.__name__}"
            nested = list(models_in(model.model_fields[key].annotation))
            for item in (value if isinstance(value, list) else [value]):
                if isinstance(item, dict):
                    assert len(nested) == 1, f"{where}.{key}: which model?"
                    check(item, nested[0], f"{where}.{key}")

    paths = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "corpus", "docs", "*.*")))
    for path in paths:
        handed.clear()
        process(read(path))
        assert len(handed) == 1
        check(handed[0], R.Document, os.path.basename(path))
    # the check itself catches a misspelt key
    with pytest.raises(AssertionError, match="isuer"):
        check({"plans": [{"isuer": "x"}]}, R.Document, "made up")


def test_records_need_no_spacy_and_equal_the_spacy_pipeline():
    """extract/process without a pipeline run the stages with rjieba directly (records_pipeline):
    spaCy is not even imported (half a second of a cold start), and the records are those of
    load()'s spaCy pipeline on every corpus document."""
    import subprocess
    import sys

    from syextract.io import read
    from syextract.pipeline import process, records_pipeline

    code = ("import sys, syextract; d = syextract.extract('2024年镇双拥工作计划\\n一、八一前夕走访慰问烈属25户。\\n');"
            "assert d.plans[0].activities; print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    assert records_pipeline() is records_pipeline("rjieba") and records_pipeline("jieba") is load("jieba")
    paths = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "corpus", "docs", "*.*")))
    nlp = load()
    for p in paths:
        src = read(p)
        assert process(src).model_dump_json() == process(src, nlp).model_dump_json(), p


def test_stages_are_spacy_factories_once_spacy_is_imported():
    """A program that imports spaCy before syextract finds the stages registered by name, as a
    spaCy user expects; load() registers them in any case."""
    import subprocess
    import sys

    code = ("import spacy, syextract; nlp = spacy.blank('zh'); nlp.add_pipe('syx_times');"
            "print(nlp.pipe_names)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['syx_times']"
