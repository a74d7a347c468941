"""The normalised view and its offset map back to the source."""
import os

import pytest
from hypothesis import given, settings, strategies as st

from syextract.normalize import normalize


def _source_of(src: str, n, norm_text: str) -> str:
    """The source text that the first occurrence of ``norm_text`` in the normalised view maps back to."""
    i = n.text.index(norm_text)
    s, e = n.span(i, i + len(norm_text))
    return src[s:e]


def test_fullwidth_traditional_and_escapes():
    src = "（二）１２３名，雙擁\\_\\_\\_月**加粗**"
    n = normalize(src, "md")
    assert n.text == "(二)123名,双拥___月加粗"
    i = n.text.index("___月")
    s, e = n.span(i, i + 4)
    assert src[s:e] == "\\_\\_\\_月"
    j = n.text.index("加粗")
    s, e = n.span(j, j + 2)
    assert src[s:e] == "加粗"  # bold markers are outside the mapped span


def test_html_tags_vanish_and_entities_map_to_their_source():
    src = "<p>春节&nbsp;前夕</p><script>x='八一'</script><div>国庆</div>"
    n = normalize(src, "html")
    assert "八一" not in n.text and "<" not in n.text
    i = n.text.index("春节")
    s, e = n.span(i, i + 5)
    assert src[s:e] == "春节&nbsp;前夕"


def test_lone_stars_stay_as_gaps():
    assert normalize("慰问金**元", "txt").text == "慰问金**元"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("春节前夕（）１２\\_*#<>&;p雙擁 \n一、abc")), max_size=60),
       st.sampled_from(["txt", "md", "html", "docx"]))
def test_map_is_monotonic_and_in_bounds(text, fmt):
    n = normalize(text, fmt)
    assert len(n.starts) == len(n.text) == len(n.ends)
    last = 0
    for a, b in zip(n.starts, n.ends):
        assert 0 <= a < b <= len(text)
        assert a >= last
        last = a


def test_star_gaps_next_to_units_are_not_bold():
    assert normalize("慰问金**元，共**户", "md").text == "慰问金**元,共**户"
    assert normalize("## **一、健全组织，加强领导**", "md").text == "## 一、健全组织,加强领导"


def test_single_spaces_around_numbers_vanish_but_columns_and_item_numbers_stay():
    src = "我镇将于 7 月 24 日组织初检，任务数 12 人，不低于 65%。\n2021 年的工作\n1 开展宣传\n序号  1  7月下旬"
    n = normalize(src, "txt")
    assert "于7月24日组织" in n.text and "任务数12人" in n.text and "不低于65%" in n.text
    assert "\n2021年的工作" in n.text  # a year opening a line is no item number
    assert "\n1 开展宣传" in n.text  # an item number keeps its space
    assert "序号  1  7月下旬" in n.text  # two spaces separate table columns
    assert _source_of(src, n, "7月24日") == "7 月 24 日"  # the mention spans the spaces in the source


@pytest.mark.parametrize("src,text,piece,source", [
    # Windows and old-Mac line ends read as \n
    ("一、活动\r\n7月下旬召开座谈会\r二、要求\r\n", "一、活动\n7月下旬召开座谈会\n二、要求\n", "7月下旬", "7月下旬"),
    # zero-width spaces and joiners vanish
    ("县\u200b人武部于7\u200d月下旬召开座谈会", "县人武部于7月下旬召开座谈会", "县人武部", "县\u200b人武部"),
])
def test_invisible_characters_go_and_offsets_map_back(src, text, piece, source):
    n = normalize(src, "txt")
    assert n.text == text
    assert _source_of(src, n, piece) == source


def test_windows_line_ends_give_the_same_mentions_as_unix_ones():
    from syextract.io import read_bytes
    from syextract.pipeline import process
    path = os.path.join(os.path.dirname(__file__), "..", "corpus", "docs", "union_chunjie_scheme_2026.txt")
    raw = open(path, "rb").read()
    crlf = raw.replace(b"\n", b"\r\n")
    a, b = process(read_bytes(raw, path)), process(read_bytes(crlf, path))
    text = crlf.decode("utf-8")
    for cat in ("times", "quantities", "people", "organizations", "activities", "placeholders"):
        ta = [m.text for p in a.plans for m in getattr(p, cat)]
        tb = [m.text for p in b.plans for m in getattr(p, cat)]
        assert ta == tb, cat
        assert all(text[m.start:m.end] == m.text for p in b.plans for m in getattr(p, cat))


def test_hard_wrapped_lines_join_but_items_and_short_lines_stay():
    import textwrap
    para = ("为进一步做好新形势下双拥工作，巩固和发展军政军民团结，根据上级有关要求，结合我县实际，特制定本计划。"
            "春节、八一期间，县委、县政府领导带队走访慰问驻县部队和重点优抚对象，发放慰问金和慰问品，帮助解决实际困难。"
            "七月下旬，由县双拥办牵头组织召开军政座谈会，听取驻县部队对地方工作的意见建议，推动双拥工作深入开展。")
    wrapped = "\n".join(textwrap.wrap(para, 30))
    src = "某县2025年双拥工作计划\n" + wrapped + "\n二、工作要求\n各单位要高度重视。\n"
    n = normalize(src, "txt")
    assert para.replace("，", ",") in n.text  # the wraps are gone …
    assert "\n二、工作要求\n各单位要高度重视。\n" in n.text  # … the item and the short lines keep theirs
    assert _source_of(src, n, "驻县部队").replace("\n", "") == "驻县部队"
    plain = "某县计划\n一、目标\n巩固成果。\n二、任务\n7月下旬召开座谈会。\n"
    assert normalize(plain, "txt").text == plain  # no wrapping found: nothing joined




def test_a_bold_title_before_a_unit_character_is_bold_not_a_gap():
    n = normalize("- **责任落实。**年初召开会议。慰问金**元，共**户", "md")
    assert n.text == "- 责任落实。年初召开会议。慰问金**元,共**户"
