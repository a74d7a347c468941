"""Every mention of every corpus file is grounded: source[start:end] == text."""
import glob
import os

import pytest

import syextract
from syextract.io import read

ROOT = os.path.dirname(os.path.dirname(__file__))
DOCS = sorted(glob.glob(os.path.join(ROOT, "corpus", "docs", "*.*")))
CATS = ["times", "quantities", "people", "organizations", "activities", "placeholders"]


@pytest.mark.parametrize("path", DOCS, ids=[os.path.basename(p) for p in DOCS])
def test_every_offset_indexes_the_source(path):
    source = read(path).text
    doc = syextract.extract(path)
    assert doc.source.chars == len(source)
    if doc.source.format == "docx":
        assert doc.source.text == source
    assert doc.plans, "no plan found"
    assert not [w for w in doc.warnings if w.startswith("stage ")], doc.warnings
    n = 0
    for plan in doc.plans:
        assert 0 <= plan.start < plan.end <= len(source)
        for sec in plan.sections:
            assert plan.start <= sec.start < sec.end <= plan.end
        for cat in CATS:
            for m in getattr(plan, cat):
                assert source[m.start:m.end] == m.text, (cat, m)
                assert plan.start <= m.start and m.end <= plan.end
                n += 1
        for a in plan.activities:
            for ref in a.times + a.responsible + a.quantities + a.participants:
                assert source[ref.start:ref.end] == ref.text
    assert n > 0


def test_corpus_has_the_required_kinds():
    names = [os.path.basename(p) for p in DOCS]
    assert "000_c9f2e8833ee8cb3f.txt" in names
    assert any(n.endswith(".docx") for n in names)
    assert len(names) >= 7
