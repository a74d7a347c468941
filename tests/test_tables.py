"""Table cells for every format: text tables, labelled records, HTML tables; the linker reads them."""
import syextract
from syextract.io import read_bytes
from syextract.tables import labelled_records, text_tables


def test_markdown_and_spaced_tables():
    md = "| 时间 | 活动内容 | 责任单位 |\n|---|---|---|\n| 7月下旬 | 召开座谈会 | 县双拥办 |\n"
    cells = text_tables(md)
    assert [(md[a:b], h) for a, b, _t, _r, _c, h in cells] == [
        ("7月下旬", "时间"), ("召开座谈会", "活动内容"), ("县双拥办", "责任单位")]
    spaced = "时间      活动内容          牵头单位\n8月1日     走访慰问驻军      县人武部\n"
    assert [spaced[a:b] for a, b, *_ in text_tables(spaced)] == ["8月1日", "走访慰问驻军", "县人武部"]


def test_labelled_records_one_line_and_across_lines():
    line = "2.时间:1月20日—25日;内容:走访慰问驻县部队;牵头单位:县退役军人事务局;配合单位:各乡镇\n"
    cells = labelled_records(line)
    assert [(line[a:b], h) for a, b, *_, h in cells] == [
        ("1月20日—25日", "时间"), ("走访慰问驻县部队", "内容"), ("县退役军人事务局", "牵头单位"), ("各乡镇", "配合单位")]
    assert len({(c[2], c[3]) for c in cells}) == 1  # one row
    block = "时间：7月25日\n内容：慰问烈属\n时间：8月1日\n内容：召开座谈会\n"
    rows = {}
    for a, b, t, r, c, h in labelled_records(block):
        rows.setdefault(t, []).append(block[a:b])
    assert list(rows.values()) == [["7月25日", "慰问烈属"], ["8月1日", "召开座谈会"]]  # a repeated label starts a record


def test_record_time_and_lead_unit_govern_the_activity():
    doc = syextract.extract("2025年春节走访慰问活动方案\n三、活动安排\n"
                            "1. 时间：1月20日—25日；内容：县领导分组走访慰问驻县部队；牵头单位：县退役军人事务局；"
                            "配合单位：各乡镇。\n")
    acts = [a for p in doc.plans for a in p.activities]
    assert acts
    a = acts[0]
    assert "1月20日—25日" in [t.text for t in a.times]
    assert any("县退役军人事务局" in (r.name or r.text) for r in a.responsible)
    assert not any("各乡镇" in (r.name or r.text) for r in a.responsible)


def test_html_table_cells_link_like_word_cells():
    page = ("<html><body><h1>2023年八一拥军慰问活动方案</h1><p>一、活动安排</p><table>"
            "<tr><th>时间</th><th>活动内容</th><th>责任单位</th></tr>"
            "<tr><td>7月下旬</td><td>召开军政座谈会</td><td>县人武部</td></tr>"
            "<tr><td>8月1日前</td><td>走访慰问重点优抚对象</td><td>县双拥办</td></tr></table></body></html>")
    src = read_bytes(page.encode("utf-8"), "scheme.html")
    headers = [b.header for b in src.blocks if b.kind == "cell" and b.row]
    assert headers == ["时间", "活动内容", "责任单位"] * 2
    doc = syextract.process(src)
    acts = {a.name or a.text: a for p in doc.plans for a in p.activities}
    seminar = next(a for k, a in acts.items() if "座谈会" in k)
    assert [t.text for t in seminar.times] == ["7月下旬"]
    assert [r.name or r.text for r in seminar.responsible] == ["县人武部"]
    for a in acts.values():
        assert page[a.start:a.end] == a.text


def test_flattened_web_table_with_glued_labels():
    """Web tables flattened to text glue each field to the one before (…活动时间:8月份责任单位:…)."""
    doc = syextract.extract("2023年庆祝八一建军节系列活动方案\n"
                            "一、开展科技拥军现场办公活动，帮助部队解决实际困难。时间:7月下旬责任单位:市双拥办\n"
                            "二、开展军地青年联谊活动时间:8月份 责任单位:团市委、市双拥办\n"
                            "三、举办军地篮球友谊赛时间:7月份 牵头单位:市双拥办承办单位:市移动公司\n")
    plan = doc.plans[0]
    acts = {a.text: a for a in plan.activities}
    assert "开展军地青年联谊活动" in acts and "举办军地篮球友谊赛" in acts  # the label is not part of them
    assert not [t for t in acts if "单位" in t]  # no field is taken for an activity
    assert [t.text for t in acts["开展军地青年联谊活动"].times] == ["8月份"]
    assert [r.text for r in acts["开展军地青年联谊活动"].responsible] == ["团市委", "市双拥办"]
    first = next(a for a in plan.activities if "现场办公" in a.text)
    assert [t.text for t in first.times] == ["7月下旬"]  # the item's record governs it
    orgs = [(o.text, o.role) for o in plan.organizations]
    assert ("市双拥办", "牵头单位") in orgs and ("市移动公司", "承办单位") in orgs


def test_labels_near_the_colons_are_all_the_label_matches():
    """tables._labels searches a line's labels only near its colons: the same matches as the label
    regex's finditer over the whole line, on random lines of label words, colons and other text."""
    import random

    from syextract.tables import _labels, _rx

    rx = _rx()
    words = sorted(rx["headers"]) + ["训练时间", "活动地点", "联系人", "备注", "内容"]
    pieces = words + ["：", ":", " ", "；", ";", "。", "、", "(", ")", "走访慰问", "8月1日", "县人武部", "\t"]
    rng = random.Random(11)
    lines = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 14))) for _ in range(4000)]
    for line in lines:
        got = [(m.span(), m.groups()) for m in _labels(line, rx)]
        assert got == [(m.span(), m.groups()) for m in rx["label"].finditer(line)], line
