"""The example corpora in tests/examples/<category>.yaml are the extractors' tests.

Each file is a list of cases::

    - text: "7月下旬召开军民座谈会"          # a whole (tiny) document
      expect:                               # exactly these mentions, in order
        - {text: "7月下旬", month: 7, part: "下旬"}
    - text: "经常深入基层"
      expect: []                            # a negative: nothing of this category
    - text: "…"
      partial: true                         # only require the listed ones…
      expect: [{text: "春节前夕", festival: "春节", relation: "前夕"}]
      reject: ["八一"]                      # …and that these texts are not mentions
    - text: "…"
      xfail: "why the rules cannot do this yet"   # a known gap, kept visible (strict)
    - text: "<p>…</p>"
      format: html                          # read as this format (default: plain text)

Fields listed in an expected item must match the record (``null`` means
null/absent/false); fields not listed are not checked.
"""
import glob
import os

import pytest
import yaml

import syextract

HERE = os.path.dirname(__file__)
CASES = []
for path in sorted(glob.glob(os.path.join(HERE, "examples", "*.yaml"))):
    category = os.path.splitext(os.path.basename(path))[0]
    with open(path, encoding="utf-8") as f:
        for k, case in enumerate(yaml.safe_load(f) or []):
            marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
            CASES.append(pytest.param(category, case, id=f"{category}-{k}-{case['text'][:16]}", marks=marks))


def _mentions(doc, category):
    return [m for p in doc.plans for m in getattr(p, category)]


def _same(expected, got):
    if expected is None:
        return got in (None, False, "", [])
    if isinstance(expected, list):
        return sorted(r.text if hasattr(r, "text") else r for r in (got or [])) == sorted(expected)
    if isinstance(expected, float) or isinstance(got, float):
        return got is not None and abs(float(expected) - float(got)) < 1e-6
    return expected == got


@pytest.mark.parametrize("category,case", CASES)
def test_example(category, case):
    doc = syextract.extract(case["text"] + "\n", case.get("format"))
    assert not [w for w in doc.warnings if w.startswith("stage ")], doc.warnings  # no extractor crashed
    got = _mentions(doc, category)
    expected = case.get("expect", [])
    texts = [m.text for m in got]
    if not case.get("partial"):
        assert texts == [e["text"] for e in expected], f"mentions {texts}"
    cursor = 0
    for e in expected:  # in text order: each expected item takes the next mention with its text
        match = [k for k in range(cursor, len(got)) if got[k].text == e["text"]]
        assert match, f"{e['text']!r} not found among {texts[cursor:]}"
        m = got[match[0]]
        cursor = match[0] + 1
        for field, value in e.items():
            if field == "text":
                continue
            assert _same(value, getattr(m, field, None)), f"{e['text']!r}.{field}: want {value!r} got {getattr(m, field, None)!r}"
    for r in case.get("reject", []):
        assert r not in texts, f"{r!r} should not be a {category} mention"
