"""`syextract diff`: year over year, plan against report, archives.

Two kinds of tests:
* the 红旗镇 series (corpus/series/): every change listed in expected.yaml is
  found, with spans that index the documents, and nothing else is reported;
* Documents built by hand, so the matching, the tie-breakers and the change
  kinds are tested on exact inputs whatever the extractors give.
"""
from __future__ import annotations

import hashlib
import json
import os

import pytest
import yaml

from syextract import records as R
from syextract.diff import (diff_archive, diff_documents, diff_plans, main, plan_report_documents, render_html,
                            render_text)
from syextract.findings import Loaded, issuer_of, load_input, normalise_name, similarity

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERIES = os.path.join(ROOT, "corpus", "series")
EXPECTED = yaml.safe_load(open(os.path.join(SERIES, "expected.yaml"), encoding="utf-8"))


@pytest.fixture(scope="module", params=["activities", "sentences"])
def series(request):
    """The series as extracted; and with the activity records dropped, so the sentence fallback is tested too."""
    docs = {p: load_input(os.path.join(SERIES, p)) for p in EXPECTED["documents"]}
    if request.param == "sentences":
        for ld in docs.values():
            for plan in ld.doc.plans:
                plan.activities = []
    return docs


def _check_spans(ld: Loaded, spans):
    for s in spans:
        assert ld.text[s.start:s.end] == s.text, (s, ld.text[s.start:s.end])


def _find(changes, exp):
    kind = exp["kind"]
    for c in changes:
        if c.kind != kind:
            continue
        olds = [s.text for s in c.old_spans]
        news = [s.text for s in c.new_spans]
        if kind == "activity_added":
            if exp["new"] in c.new_activity.text:
                return c
        elif kind == "activity_removed":
            if exp["old"] in c.old_activity.text:
                return c
        elif kind.startswith("group_"):
            if c.subject == exp["role"] and any(exp["old"] in t for t in olds) and any(exp["new"] in t for t in news):
                return c
        else:
            acts = (c.old_activity.text if c.old_activity else "") + "|" + (c.new_activity.text if c.new_activity else "")
            if exp["activity"] in acts and exp["old"] in olds and exp["new"] in news:
                return c
    return None


@pytest.mark.parametrize("case", EXPECTED["diffs"], ids=lambda c: f"{c['old']}->{c['new']}")
def test_series_diff_finds_every_listed_change_with_spans(series, case):
    old, new = series[case["old"]], series[case["new"]]
    res = diff_documents(old, new)
    assert len(res.diffs) == 1 and not res.unpaired
    d = res.diffs[0]
    assert d.old.issuer == d.new.issuer == EXPECTED["issuer"]
    for exp in case["changes"]:
        c = _find(d.changes, exp)
        assert c is not None, f"not found: {exp}\n{render_text(res)}"
        _check_spans(old, c.old_spans + ([c.old_activity] if c.old_activity else []))
        _check_spans(new, c.new_spans + ([c.new_activity] if c.new_activity else []))
        if exp["kind"] not in ("activity_added", "group_member_added"):
            assert c.old_spans, c
        if exp["kind"] not in ("activity_removed", "group_member_removed"):
            assert c.new_spans, c


@pytest.mark.parametrize("case", EXPECTED["diffs"], ids=lambda c: f"{c['old']}->{c['new']}")
def test_series_diff_reports_nothing_else(series, case):
    d = diff_documents(series[case["old"]], series[case["new"]]).diffs[0]
    expected = [_find(d.changes, e) for e in case["changes"]]
    extra = [c for c in d.changes if all(c is not e for e in expected)]
    assert not extra, [(c.kind, c.subject, c.old_value, c.new_value) for c in extra]
    # reworded and untouched activities are matched, never added or removed
    for name in case["unchanged"]:
        for c in d.changes:
            if c.kind in ("activity_added", "activity_removed"):
                assert name not in (c.new_activity or c.old_activity).text, (name, c)


def test_series_plan_report(series):
    exp = EXPECTED["plan_report"]
    res = plan_report_documents(series[exp["plan"]], series[exp["report"]])
    assert len(res.reports) == 1
    r = res.reports[0]
    plan, report = series[exp["plan"]], series[exp["report"]]
    for e in r.done:
        _check_spans(plan, [e.planned])
        _check_spans(report, [e.reported])
    for key in ("done", "not_mentioned"):
        got = [e.planned.text for e in getattr(r, key)]
        for name in exp[key]:
            assert sum(name in g for g in got) == 1, (key, name, got)
        assert len(got) == len(exp[key]), (key, got)
    got = [e.reported.text for e in r.unplanned]
    assert len(got) == len(exp["unplanned"]) and all(any(n in g for g in got) for n in exp["unplanned"]), got
    assert r.completion_rate == pytest.approx(exp["completion_rate"])
    assert r.planned == len(exp["done"]) + len(exp["not_mentioned"])


def test_series_archive():
    res = diff_archive(os.path.join(SERIES, "docs"))
    assert [(d.old.year, d.new.year) for d in res.diffs] == [tuple(p) for p in EXPECTED["archive"]["diffs"]]
    assert [r.report.year for r in res.reports] == EXPECTED["archive"]["reports"]
    assert all(d.old.issuer == EXPECTED["issuer"] for d in res.diffs)
    assert sum(len(d.changes) for d in res.diffs) == sum(len(c["changes"]) for c in EXPECTED["diffs"])


def test_cli_text_json_html_and_records(tmp_path, capsys):
    old = os.path.join(SERIES, "docs", "hongqi_2022.txt")
    new = os.path.join(SERIES, "docs", "hongqi_2023.txt")
    html_out = tmp_path / "diff.html"
    assert main([old, new, "--html", str(html_out)]) == 0
    out = capsys.readouterr().out
    for s in ("time moved", "7月下旬", "8月上旬", "count changed", "30户", "45户", "responsible changed",
              "added", "removed", "group: changed", "孙明", "李红"):
        assert s in out, s
    assert "8月上旬" in html_out.read_text(encoding="utf-8")
    assert main([old, new, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["mode"] == "plan-plan" and data["diffs"][0]["changes"]
    # the JSON records of `syextract extract` work as inputs, with the same result
    recs = []
    for path in (old, new):
        doc = load_input(path).doc
        target = tmp_path / (os.path.basename(path) + ".json")
        target.write_text(doc.model_dump_json(), encoding="utf-8")
        recs.append(str(target))
    assert main(recs + ["--json"]) == 0
    data2 = json.loads(capsys.readouterr().out)
    strip = lambda d: [(c["kind"], c["old_value"], c["new_value"]) for c in d["diffs"][0]["changes"]]  # noqa: E731
    assert strip(data2) == strip(data)
    # plan-report mode and the archive from the command line
    assert main([os.path.join(SERIES, "docs", "hongqi_2024.txt"), os.path.join(SERIES, "docs", "hongqi_2024_summary.txt"),
                 "--mode", "plan-report"]) == 0
    assert "completion 6/8 = 75%" in capsys.readouterr().out
    assert main(["--archive", os.path.join(SERIES, "docs")]) == 0
    assert capsys.readouterr().out.count("diff  ") == 2


def test_cli_usage_errors(tmp_path, capsys):
    assert main([]) == 2
    assert main([str(tmp_path / "missing.txt"), str(tmp_path / "missing2.txt")]) == 2
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "a document"}', encoding="utf-8")
    assert main([str(bad), str(bad)]) == 2
    assert main(["--archive", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert "syextract diff" in err and "Traceback" not in err


def test_register_adds_the_subcommand():
    import argparse

    from syextract import diff

    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="command")
    diff.register(sub)
    args = ap.parse_args(["diff", "a.txt", "b.txt", "--mode", "plan-report", "--json"])
    assert args.func is diff.run and args.mode == "plan-report" and args.json


# ------------------------------------------------------- hand-built records

class Builder:
    """A Document over ``text`` whose mentions are placed by searching their text."""

    def __init__(self, text: str, name: str = "doc.txt"):
        self.text, self.name, self.plans, self.n = text, name, [], 0

    def _at(self, s: str, after: int = 0) -> tuple[int, int]:
        k = self.text.index(s, after)
        return k, k + len(s)

    def plan(self, title: str, issuer=None, year=None, until: str | None = None) -> R.Plan:
        s, _ = self._at(title)
        e = self.text.index(until, s) if until else len(self.text)
        p = R.Plan(id=f"p{len(self.plans) + 1}", title=title, start=s, end=e, issuer=issuer, year=year)
        self.plans.append(p)
        return p

    def _id(self, c):
        self.n += 1
        return f"{c}{self.n}"

    def time(self, p, s, after=0, **kw):
        a, b = self._at(s, max(after, p.start))
        t = R.TimeExpr(id=self._id("t"), text=s, start=a, end=b, **kw)
        p.times.append(t)
        return t

    def qty(self, p, s, value, unit, after=0):
        a, b = self._at(s, max(after, p.start))
        q = R.Quantity(id=self._id("q"), text=s, start=a, end=b, value=value, unit=unit)
        p.quantities.append(q)
        return q

    def org(self, p, s, role=None, after=0, **kw):
        a, b = self._at(s, max(after, p.start))
        o = R.Organization(id=self._id("o"), text=s, start=a, end=b, name=s, role=role, **kw)
        p.organizations.append(o)
        return o

    def person(self, p, s, name, role, after=0):
        a, b = self._at(s, max(after, p.start))
        h = R.Person(id=self._id("h"), text=s, start=a, end=b, name=name, role=role)
        p.people.append(h)
        return h

    def act(self, p, s, name=None, times=(), responsible=(), quantities=(), after=0):
        a, b = self._at(s, max(after, p.start))
        ref = lambda m: R.Ref(id=m.id, text=m.text, start=m.start, end=m.end, name=getattr(m, "name", None))  # noqa
        act = R.Activity(id=self._id("a"), text=s, start=a, end=b, name=name, times=[ref(t) for t in times],
                         responsible=[ref(o) for o in responsible], quantities=[ref(q) for q in quantities])
        p.activities.append(act)
        return act

    def loaded(self) -> Loaded:
        sha = hashlib.sha256(self.text.encode()).hexdigest()
        doc = R.Document(id=self.name, source=R.SourceInfo(path=self.name, format="txt", sha256=sha, chars=len(self.text),
                                                           text_sha256=sha, text=self.text),
                         title=self.plans[0].title if self.plans else None, plans=self.plans)
        return Loaded(self.name, doc, self.text)


OLD = """甲镇2023年双拥工作计划
组长：王一 副组长：李二 成员：赵三 钱四
1. 7月下旬，召开军民座谈会。责任单位：镇人武部。
2. 春节前夕，走访慰问烈属30户。
3. 八一前夕，走访慰问烈属。
4. 5月，组织学生参观纪念馆。
"""
NEW = """甲镇2024年双拥工作计划
组长：李二 副组长：孙五 成员：赵三
1. 八一前夕，走访慰问烈属。
2. 8月上旬，组织召开“八一”军民座谈会。责任单位：镇退役军人服务站。
3. 春节前夕，走访慰问烈属45户。
4. 10月，开展军民联欢晚会。
"""


def build(text, year, name):
    b = Builder(text, name)
    p = b.plan(text.splitlines()[0], issuer="甲镇", year=year)
    group_line = text.splitlines()[1]
    role = None
    for tok in group_line.split():
        if "：" in tok:
            role, tok = tok.split("：")
        b.person(p, tok, tok, role, after=text.index(group_line))
    for line in text.splitlines()[2:]:
        at = text.index(line)
        t = None
        for ts, kw in (("7月下旬", dict(month=7, part="下旬")), ("8月上旬", dict(month=8, part="上旬")),
                       ("春节前夕", dict(festival="春节", relation="前夕")), ("八一前夕", dict(festival="八一建军节", relation="前夕")),
                       ("5月", dict(month=5)), ("10月", dict(month=10))):
            if line.split("，")[0].endswith(ts):
                t = b.time(p, ts, after=at, **kw)
        orgs = [b.org(p, u, role="责任单位", after=at) for u in ("镇人武部", "镇退役军人服务站") if u in line]
        qs = [b.qty(p, q, v, "户", after=at) for q, v in (("30户", 30.0), ("45户", 45.0)) if q in line]
        clause = line.split("，", 1)[1].split("。")[0]
        b.act(p, clause, times=[t] if t else [], responsible=orgs, quantities=qs, after=at)
    return b.loaded()


@pytest.fixture()
def pair():
    return build(OLD, 2023, "old.txt"), build(NEW, 2024, "new.txt")


def test_names_normalised_and_compared():
    a = normalise_name("召开军民座谈会")
    b = normalise_name("组织召开“八一”军民座谈会")
    assert "座谈会" in a and "座谈会" in b
    assert similarity(a, b) >= 60
    assert similarity(normalise_name("组织学生参观纪念馆"), normalise_name("开展军民联欢晚会")) < 60
    assert normalise_name("走访慰问烈属30户", drop=["30户"]) == normalise_name("走访慰问烈属45户", drop=["45户"])


def test_hand_built_diff(pair):
    old, new = pair
    d = diff_plans(old, old.doc.plans[0], new, new.doc.plans[0])
    kinds = {(c.kind, c.old_value, c.new_value) for c in d.changes}
    assert ("time_moved", "7月下旬", "8月上旬") in kinds
    assert ("responsible_changed", "镇人武部", "镇退役军人服务站") in kinds
    assert ("count_changed", "30户", "45户") in kinds
    added = [c for c in d.changes if c.kind == "activity_added"]
    removed = [c for c in d.changes if c.kind == "activity_removed"]
    assert [c.new_activity.text for c in added] == ["开展军民联欢晚会"]
    assert [c.old_activity.text for c in removed] == ["组织学生参观纪念馆"]
    # the two 走访慰问烈属 are told apart by their times: no spurious time move between them
    assert not any(c.kind == "time_moved" and "走访慰问" in c.subject for c in d.changes)
    group = {(c.kind, c.subject, c.old_value, c.new_value) for c in d.changes if c.kind.startswith("group_")}
    assert group == {("group_role_changed", "李二", "副组长", "组长"),
                     ("group_member_removed", "组长", "王一", None),
                     ("group_member_added", "副组长", None, "孙五"),
                     ("group_member_removed", "成员", "钱四", None)}
    for c in d.changes:
        _check_spans(old, c.old_spans + ([c.old_activity] if c.old_activity else []))
        _check_spans(new, c.new_spans + ([c.new_activity] if c.new_activity else []))
    assert "time moved" in render_text(diff_documents(old, new))
    page = render_html(diff_documents(old, new), [old, new])
    assert "<table class='diff'>" in page and "time moved" in page and "镇退役军人服务站" in page


def test_group_seat_taken_by_someone_else():
    a = Builder("乙镇2023年计划\n组长：周六\n", "a.txt")
    p = a.plan("乙镇2023年计划")
    a.person(p, "周六", "周六", "组长")
    b = Builder("乙镇2024年计划\n组长：吴七\n", "b.txt")
    q = b.plan("乙镇2024年计划")
    b.person(q, "吴七", "吴七", "组长")
    d = diff_plans(a.loaded(), p, b.loaded(), q)
    assert [(c.kind, c.subject, c.old_value, c.new_value) for c in d.changes] == [
        ("group_member_changed", "组长", "周六", "吴七")]
    assert d.changes[0].old_spans[0].text == "周六" and d.changes[0].new_spans[0].text == "吴七"


def test_plans_paired_by_issuer_in_compilations():
    t1 = "甲镇2023年计划\n1. 召开座谈会。\n乙镇2023年计划\n1. 举办运动会。\n"
    t2 = "乙镇2024年计划\n1. 举办运动会。\n甲镇2024年计划\n1. 召开座谈会。\n"
    docs = []
    for t, name in ((t1, "a.txt"), (t2, "b.txt")):
        b = Builder(t, name)
        titles = [l for l in t.splitlines() if "计划" in l]
        for i, title in enumerate(titles):
            p = b.plan(title, until=titles[i + 1] if i + 1 < len(titles) else None)
            line = t.splitlines()[t.splitlines().index(title) + 1]
            b.act(p, line[3:-1], after=p.start)
        docs.append(b.loaded())
    assert issuer_of(docs[0].doc.plans[0]) == "甲镇"
    res = diff_documents(*docs)
    assert [(d.old.issuer, d.new.issuer) for d in res.diffs] == [("甲镇", "甲镇"), ("乙镇", "乙镇")]
    assert all(not d.changes and d.matched == 1 for d in res.diffs)


def test_plan_report_on_hand_built_records():
    plan = build(NEW, 2024, "plan.txt")
    rep_text = "甲镇2024年双拥工作总结\n八一前夕，走访慰问烈属。8月上旬，召开军民座谈会。9月，举办国防知识讲座。\n"
    b = Builder(rep_text, "report.txt")
    p = b.plan("甲镇2024年双拥工作总结", issuer="甲镇", year=2024)
    t1 = b.time(p, "八一前夕", festival="八一建军节", relation="前夕")
    t2 = b.time(p, "8月上旬", month=8, part="上旬")
    t3 = b.time(p, "9月", month=9)
    for s, t in (("走访慰问烈属", t1), ("召开军民座谈会", t2), ("举办国防知识讲座", t3)):
        b.act(p, s, times=[t])
    res = plan_report_documents(plan, b.loaded())
    r = res.reports[0]
    assert sorted(e.planned.text for e in r.done) == sorted(["走访慰问烈属", "组织召开“八一”军民座谈会"])
    assert sorted(e.planned.text for e in r.not_mentioned) == sorted(["走访慰问烈属45户", "开展军民联欢晚会"])
    assert [e.reported.text for e in r.unplanned] == ["举办国防知识讲座"]
    assert r.completion_rate == pytest.approx(0.5)


def test_json_record_without_text_recovers_source(tmp_path):
    src = tmp_path / "plan.txt"
    src.write_text(OLD, encoding="utf-8")
    ld = build(OLD, 2023, str(src))
    doc = ld.doc.model_copy(deep=True)
    doc.source.text = None
    doc.source.path = str(src)
    rec = tmp_path / "plan.json"
    rec.write_text(doc.model_dump_json(), encoding="utf-8")
    back = load_input(str(rec))
    assert back.text == OLD and back.doc.plans[0].activities


def test_a_bare_year_is_not_a_time_move():
    docs = []
    for y in (2023, 2024):
        text = f"甲镇{y}年双拥工作计划\n1. 做好{y}年征兵宣传工作。\n"
        b = Builder(text, f"{y}.txt")
        p = b.plan(f"甲镇{y}年双拥工作计划", year=y)
        t = b.time(p, f"{y}年", after=text.index("1."), year=y)
        b.act(p, f"做好{y}年征兵宣传工作", times=[t])
        docs.append((b.loaded(), p))
    (a, pa), (b_, pb) = docs
    d = diff_plans(a, pa, b_, pb)
    assert d.matched == 1 and not d.changes
