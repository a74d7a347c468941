"""Plans, sections, sentences: the seed's six pieces and the numbering schemes."""
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import syextract
from syextract.normalize import normalize
from syextract.structure import build, cn_int

ROOT = os.path.dirname(os.path.dirname(__file__))
SEED = os.path.join(ROOT, "corpus", "docs", "000_c9f2e8833ee8cb3f.txt")


@pytest.fixture(scope="module")
def seed_doc():
    return syextract.extract(SEED)


def test_seed_splits_into_six_plans(seed_doc):
    assert len(seed_doc.plans) == 6
    assert [p.title for p in seed_doc.plans] == [f"乡镇双拥工作开展情况 乡镇双拥工作计划篇{n}" for n in "一二三四五六"]
    assert [p.year for p in seed_doc.plans] == [2022, None, None, None, None, 2018]
    text = open(SEED, encoding="utf-8").read()
    assert text[seed_doc.plans[0].start:].startswith("乡镇双拥工作开展情况 乡镇双拥工作计划篇一")
    assert text[:seed_doc.plans[0].end].endswith("对情节严重依法追究刑事责任。")
    assert seed_doc.title.startswith("2023年乡镇双拥工作开展情况")


def test_seed_sections_tolerate_gaps_and_heading_levels(seed_doc):
    p2 = seed_doc.plans[1]
    assert [(s.number, s.level) for s in p2.sections] == [("一、", 1), ("二、", 1), ("三、", 1), ("五、", 1)]
    p4 = seed_doc.plans[3]
    # "## 5、" and "## 6、" are markdown level-2 headings but siblings of the plain "4、"
    assert [s.number for s in p4.sections][-3:] == ["4、", "5、", "6、"]
    assert len({s.level for s in p4.sections}) == 1
    p1 = seed_doc.plans[0]
    shi = [s for s in p1.sections if s.scheme == "shi"]
    assert [s.number for s in shi[:4]] == ["一是", "二是", "三是", "四是"]
    parent = {s.id: s for s in p1.sections}[shi[0].parent]
    assert parent.number == "1、" and parent.level == shi[0].level - 1
    p5 = seed_doc.plans[4]
    assert "一是" in [s.number for s in p5.sections]  # "x镇一是建立…二是…" after a bare subject


def test_section_extents_nest(seed_doc):
    for plan in seed_doc.plans:
        by_id = {s.id: s for s in plan.sections}
        for s in plan.sections:
            assert plan.start <= s.start < s.end <= plan.end
            if s.parent:
                par = by_id[s.parent]
                assert par.start <= s.start and s.end <= par.end and par.level == s.level - 1


@pytest.mark.parametrize("line,number,scheme", [
    ("一、指导思想", "一、", "cn_dun"), ("(二)工作措施", "(二)", "cn_paren"), ("（三）组织保障", "(三)", "cn_paren"),
    ("1、春节走访", "1、", "arabic_dun"), ("2. 八一座谈", "2.", "arabic_dot"), ("4．9月份,征兵", "4.", "arabic_dot"), ("（1）慰问", "(1)", "arabic_paren"),
    ("①宣传", "①", "circled"), ("第一，加强领导", "第一,", "cn_di"), ("第二部分 主要任务", "第二部分", "cn_di"), ("⑵ 每季度检查", "⑵", "paren_digit"), ("㈢加强领导", "㈢", "paren_cn"),
])
def test_numbering_schemes(line, number, scheme):
    text = "2024年双拥工作计划\n" + line + "\n正文内容。\n"
    st = build(normalize(text).text)
    secs = st.plans[0].sections
    assert secs and secs[0].scheme == scheme and secs[0].number == number


def test_canonical_ranks_make_the_tree():
    text = ("2024年双拥工作计划\n一、组织领导\n(一)成立领导小组\n1.组长\n2.成员\n(二)明确责任\n"
            "二、工作安排\n1、春节走访。一是慰问烈属；二是召开座谈会。\n")
    secs = build(normalize(text).text).plans[0].sections
    levels = [(s.number, s.level) for s in secs]
    assert levels == [("一、", 1), ("(一)", 2), ("1.", 3), ("2.", 3), ("(二)", 2), ("二、", 1), ("1、", 2),
                      ("一是", 3), ("二是", 3)]


def test_lone_plan_with_web_furniture():
    text = ("首页 > 工作计划 > 双拥\n发布时间：2024-03-05 浏览次数：1024\n"
            "县总工会2024年双拥工作计划\n一、工作目标\n春节前夕走访慰问困难退役军人。\n"
            "上一篇：关于春节的通知\n相关文章\n")
    st = build(normalize(text).text)
    assert len(st.plans) == 1
    p = st.plans[0]
    assert p.title == "县总工会2024年双拥工作计划" and p.year == 2024
    assert normalize(text).text[p.start:p.end].endswith("困难退役军人。")


def test_placeholder_year_gives_null():
    st = build(normalize("20xx年社区双拥工作计划\n一、目标\n").text)
    assert st.plans[0].year is None and st.plans[0].year_placeholder


def test_cn_int():
    assert [cn_int(s) for s in ["一", "十", "十二", "二十", "一百零五", "两"]] == [1, 10, 12, 20, 105, 2]


def test_publication_stamp_after_title_does_not_end_the_plan():
    page = ("<html><head><title>服务站工作计划_东湖社区</title></head><body>"
            "<div class='nav'>首页 &gt; 通知公告</div><h1>东湖社区2025年退役军人服务工作计划</h1>"
            "<div>发布时间：2025-01-06 浏览次数：88</div><p>一、每月走访一次。</p><p>二、8月1日前慰问。</p>"
            "<div>上一篇：关于春节的通知</div><div>版权所有 东湖社区</div></body></html>")
    n = normalize(page, "html")
    st = build(n.text)
    assert len(st.plans) == 1
    p = st.plans[0]
    assert p.title == "东湖社区2025年退役军人服务工作计划"
    assert n.text[p.start:p.end].endswith("8月1日前慰问。")


def _pieces_by_separators(text, separators, start, end):
    """The reference split: text between separator runs, a punctuation run kept with its piece, trimmed."""
    import re

    out, pos = [], start
    for m in re.compile(separators).finditer(text, start, end):
        a, b = pos, m.end() if not m.group(0).startswith("\n") else m.start()
        piece = text[a:b]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            out.append((a + lead, a + len(piece.rstrip())))
        pos = m.end()
    piece = text[pos:end]
    if piece.strip():
        lead = len(piece) - len(piece.lstrip())
        out.append((pos + lead, pos + len(piece.rstrip())))
    return out


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=list("ab一二。！？!?；;，,：: \n\r\t\u3000"), max_size=30), st.data())
def test_sentence_and_clause_pieces_equal_the_separator_split(text, data):
    from syextract.structure import _CLAUSE_RE, _SENT_RE, _spans

    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    assert _spans(text, _SENT_RE, a, b) == _pieces_by_separators(text, r"[。！？!?；;]+|\n+", a, b)
    assert _spans(text, _CLAUSE_RE, a, b) == _pieces_by_separators(text, r"[。！？!?；;，,：:]+|\n+", a, b)


def test_bracketed_editor_line_and_related_news_end_the_plan():
    text = ("南溪镇开展八一走访慰问活动\n\n7月30日，镇武装部组织民兵开展防汛演练。\n\n（责任编辑：韦丽娟）\n\n相关新闻\n\n"
            "南溪镇召开征兵体检工作会\n\n主办：南溪镇人民政府\n")
    doc = syextract.extract(text)
    plan = doc.plans[0]
    assert text[plan.start:plan.end].endswith("开展防汛演练。")
    assert all("征兵体检" not in a.text for a in plan.activities)


def test_parts_are_top_sections_even_when_the_space_after_them_was_normalised_away():
    from syextract.normalize import normalize
    text = normalize("县2025年工作总结和2026年工作计划\n第一部分 2025年工作开展情况\n一、加强领导\n年初召开会议。\n"
                     "二、存在的问题\n一是力量薄弱。\n第二部分 2026年工作计划\n（一）强化引领。一季度召开会议。\n", "txt").text
    st = build(text)
    secs = [(s.number, s.level) for s in st.plans[0].sections]
    assert secs[0] == ("第一部分", 1) and ("第二部分", 1) in secs
    assert ("(一)", 2) in secs  # the plan part's items are under 第二部分, not under 二、存在的问题


def test_pieces_headed_pian_colon_title_split_a_compilation():
    from syextract.normalize import normalize
    text = normalize("2026年双拥工作计划范文（精选2篇）\n发布时间：2025-12-19\n前言一段。\n\n篇一：社区2026年双拥工作计划\n"
                     "一、指导思想\n巩固成果。\n\n篇二：学校2026年拥军优属活动计划\n一、活动安排\n7月下旬召开座谈会。\n", "txt").text
    st = build(text)
    assert [p.title for p in st.plans] == ["篇一:社区2026年双拥工作计划", "篇二:学校2026年拥军优属活动计划"]


def _split_reference(spans, cuts, text):
    """split_at by its definition: each span cut at every cut strictly inside it; every piece but
    the last trimmed of trailing whitespace; empty pieces dropped."""
    out = []
    for a, b in spans:
        start = a
        for c in sorted(cuts):
            if a < c < b:
                end = c
                while end > start and text[end - 1].isspace():
                    end -= 1
                if end > start:
                    out.append((start, end))
                start = c
        out.append((start, b))
    return out


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab \n", min_size=1, max_size=60), st.data())
def test_split_at_by_its_definition(text, data):
    """Both paths of split_at (sorted disjoint spans by bisect; any other spans span by span)."""
    from syextract.structure import split_at

    n = len(text)
    bounds = sorted(set(data.draw(st.lists(st.integers(0, n), max_size=12))))
    disjoint = [(a, b) for a, b in zip(bounds, bounds[1:]) if a < b][::2]
    cuts = sorted(set(data.draw(st.lists(st.integers(0, n), max_size=8))))
    assert split_at(disjoint, cuts, text) == _split_reference(disjoint, cuts, text)
    messy = data.draw(st.lists(st.tuples(st.integers(0, n), st.integers(0, n)).map(sorted).map(tuple),
                               max_size=8))
    assert split_at(messy, cuts, text) == _split_reference(messy, cuts, text)


def test_each_marker_scheme_captures_its_number_in_one_group():
    """_marker tells the scheme from the number of the alternation's group that took part."""
    import re

    from syextract import structure

    assert all(re.compile(pattern).groups == 1 for _name, pattern, _rank in structure._SCHEMES)


def test_sections_number_spans_and_cut_sentences_on_the_corpus():
    """On every corpus document: a section's number span holds its number as written (build takes it
    from where the number stands), and build's sentences and clauses, cut at the given offsets as it
    cuts them at inline items, are those of cutting build's own after it (structure.split_at)."""
    import glob
    import random

    from syextract.io import read
    from syextract.structure import split_at

    rng = random.Random(3)
    for path in sorted(glob.glob(os.path.join(ROOT, "corpus", "docs", "*.*"))):
        text = normalize(read(path).text).text
        st_ = build(text)
        for plan in st_.plans:
            for sec in plan.sections:
                if sec.number_span:
                    a, b = sec.number_span
                    assert text[a:b] == sec.number, (path, sec.number)
        cuts = sorted(rng.sample(range(1, len(text)), min(20, len(text) - 1))) if len(text) > 1 else []
        cut = build(text, None, cuts)
        assert cut.sentences == split_at(st_.sentences, cuts, text)
        assert cut.clauses == split_at(st_.clauses, cuts, text)


def _inline_lines(seed: int, n: int = 3000) -> list[str]:
    import random

    rng = random.Random(seed)
    pieces = ["。", "；", ";", "!", "?", ":", "：", " ", "\t", "\u3000", "  ", "1.", "12.", "3、", "(2)", "(二)",
              "(十一)", "二、", "三是", "一是", "①", "⑵", "开展", "活动", "配合单位", "各社区", "7月", "1.5", "a", "A.", "第", "要", "二", "十", "3"]
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(n)]


@pytest.mark.parametrize("real, hint", [("_INLINE_MARKER", "_INLINE_MARKER_HINT"), ("INLINE_ITEM", "_INLINE_ITEM_HINT")])
def test_inline_hints_hold_every_line_with_an_inline_marker(real, hint):
    """build searches for inline item markers only on the lines where a looser hint matches (one scan
    per plan): the hints are hand-written, so every line on which the real pattern matches must hold
    a hint's match too, on random lines and every corpus line."""
    import glob

    from syextract import structure
    from syextract.io import read

    real_rx, hint_rx = getattr(structure, real), getattr(structure, hint)
    lines = _inline_lines(5)
    for path in sorted(glob.glob(os.path.join(ROOT, "corpus", "docs", "*.*"))):
        lines += normalize(read(path).text).text.split("\n")
    for line in lines:
        text = "\n" + line + "\n"  # (as a line of a text: its lookbehinds see the line break)
        if real_rx.search(text, 1, len(text) - 1):
            assert hint_rx.search(text, 1, len(text) - 1), (real, line)


def test_an_html_title_element_is_no_text_of_the_page():
    # the browser tab's title (with the site's name) would open the plan before the page's own heading
    page = ("<html><head><title>桐溪县2026年全民国防教育日宣传活动方案_通知公告_桐溪县人民政府</title></head><body>"
            "<h1>桐溪县2026年全民国防教育日宣传活动方案</h1><p>桐国教委〔2026〕5号</p>"
            "<p>一、9月19日开展宣传活动。</p></body></html>")
    n = normalize(page, "html")
    assert "通知公告" not in n.text
    st = build(n.text)
    assert [p.title for p in st.plans] == ["桐溪县2026年全民国防教育日宣传活动方案"]


def test_a_long_navigation_before_a_web_page_title_is_skipped():
    # a government page's top bar, search box and a menu of many items come before the <h1>
    nav = "".join("<li><a>栏目%d</a></li>" % i for i in range(12))
    page = ("<html><body><div>今天是：</div><div>设为首页 | 加入收藏</div><ul>%s</ul>"
            "<div>当前位置：首页 &gt; 乡镇动态</div><h1>澄河镇2026年双拥工作计划</h1>"
            "<div>发布时间：2026-01-20</div><p>一、每季度走访驻镇部队。</p></body></html>" % nav)
    st = build(normalize(page, "html").text)
    assert [p.title for p in st.plans] == ["澄河镇2026年双拥工作计划"]
