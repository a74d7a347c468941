"""Readers: encodings detected and recorded, .docx paragraphs + cells + numbering, HTML, errors."""
import io
import os

import docx
import pytest

from syextract.io import InputError, read, read_bytes

PLAN = "太平门社区2024年双拥工作计划\n一、组织领导\n春节前夕走访慰问烈属25户，發放慰問金1.2萬元。\n"


@pytest.mark.parametrize("encoding,recorded", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030"),
    ("utf-16", "utf-16"), ("big5", "big5"),
])
def test_text_encodings(tmp_path, encoding, recorded):
    text = PLAN if encoding != "big5" else "太平門社區雙擁工作計劃\n一、組織領導\n春節前夕走訪慰問烈屬二十五戶，並發放慰問金。\n" * 3
    if encoding in ("gbk", "gb18030"):
        text = text.replace("發放慰問金1.2萬元", "发放慰问金1.2万元")
    p = tmp_path / "plan.txt"
    p.write_bytes(text.encode(encoding))
    src = read(str(p))
    assert src.text == text
    assert src.encoding == recorded
    assert src.format == "txt"


def test_crlf_kept_exactly(tmp_path):
    p = tmp_path / "crlf.txt"
    p.write_bytes("一、领导\r\n春节前走访\r\n".encode("utf-8"))
    assert read(str(p)).text == "一、领导\r\n春节前走访\r\n"


def test_markdown_format_by_extension(tmp_path):
    p = tmp_path / "plan.md"
    p.write_text("# 计划\n\\_\\_\\_月\n", encoding="utf-8")
    src = read(str(p))
    assert src.format == "md" and src.text == "# 计划\n\\_\\_\\_月\n"


def _docx_bytes():
    d = docx.Document()
    d.add_paragraph("2023年八一建军节慰问活动方案", style="Title")
    d.add_paragraph("活动时间", style="List Number")
    d.add_paragraph("7月25日至8月1日。")
    d.add_paragraph("活动安排", style="List Number")
    t = d.add_table(rows=3, cols=3)
    for row, cells in enumerate([["时间", "活动内容", "责任单位"], ["7月下旬", "走访慰问驻军", "县双拥办"],
                                 ["8月1日前", "召开军政座谈会", "县人武部"]]):
        for col, value in enumerate(cells):
            t.cell(row, col).text = value
    d.add_paragraph("结束语")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_paragraphs_cells_numbering_in_order():
    src = read_bytes(_docx_bytes(), "scheme.docx")
    assert src.format == "docx"
    assert src.text == ("2023年八一建军节慰问活动方案\n活动时间\n7月25日至8月1日。\n活动安排\n"
                        "时间\n活动内容\n责任单位\n7月下旬\n走访慰问驻军\n县双拥办\n8月1日前\n召开军政座谈会\n县人武部\n结束语")
    numbered = [(src.text[b.start:b.end], b.number) for b in src.blocks if b.number]
    assert numbered == [("活动时间", "1."), ("活动安排", "2.")]  # labels come from numbering.xml, not the text
    cells = {src.text[b.start:b.end]: b.header for b in src.blocks if b.kind == "cell"}
    assert cells["县双拥办"] == "责任单位" and cells["7月下旬"] == "时间" and cells["时间"] is None
    for b in src.blocks:
        assert 0 <= b.start <= b.end <= len(src.text)


def test_docx_format_by_content_not_extension(tmp_path):
    p = tmp_path / "scheme.txt"
    p.write_bytes(_docx_bytes())
    assert read(str(p)).format == "docx"


def test_html_source_is_the_page_and_text_is_visible_only():
    from syextract.pipeline import process

    page = ("<html><head><title>x</title><style>p{color:red}</style><script>var a='春节';</script></head>"
            "<body><p>2023年双拥工作计划</p><p>春节前夕走访慰问烈属&nbsp;25户。</p></body></html>")
    src = read_bytes(page.encode("utf-8"), "page.html")
    assert src.format == "html" and src.text == page
    doc = process(src)
    for plan in doc.plans:
        for cat in ("times", "quantities", "placeholders", "people", "organizations", "activities"):
            for m in getattr(plan, cat):
                assert page[m.start:m.end] == m.text
                assert "<" not in m.text


@pytest.mark.parametrize("data,name,kind", [
    (b"", "empty.txt", "empty"),
    (b"   \n\t\n", "blank.txt", "empty"),
    (bytes(range(256)) * 40, "junk.txt", "undecodable"),
    (b"PK\x03\x04not really a zip", "broken.docx", "unreadable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.doc", "unsupported"),
    (b"%PDF-1.4\n%...", "scan.pdf", "unsupported"),
])
def test_bad_inputs_raise_input_error_naming_the_file(data, name, kind):
    with pytest.raises(InputError) as e:
        read_bytes(data, name)
    assert e.value.kind == kind
    assert name in str(e.value)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError) as e:
        read(str(tmp_path / "nope.txt"))
    assert e.value.kind == "unreadable" and "nope.txt" in str(e.value)
    with pytest.raises(InputError) as e:
        read(str(tmp_path))
    assert "directory" in e.value.message


def test_corpus_docx_numbering_is_recovered_and_matches_its_text_dump():
    root = os.path.dirname(os.path.dirname(__file__))
    src = read(os.path.join(root, "corpus", "docs", "bayi_scheme_2023.docx"))
    with open(os.path.join(root, "corpus", "text", "bayi_scheme_2023.txt"), encoding="utf-8") as f:
        assert src.text == f.read()
    labels = [b.number for b in src.blocks if b.number]
    assert labels[:3] == ["一、", "二、", "三、"]  # chineseCounting lvlText "%1、", not in the text
    assert all(not src.text[b.start:b.end].startswith(b.number) for b in src.blocks if b.number)
    headers = {b.header for b in src.blocks if b.kind == "cell"}
    assert {"时间", "责任单位", "牵头单位"} <= headers


def test_chinese_counting():
    from syextract.io.docx import chinese_counting

    assert [chinese_counting(n) for n in (1, 9, 10, 11, 20, 21, 100, 105, 110)] == [
        "一", "九", "十", "十一", "二十", "二十一", "一百", "一百零五", "一百一十"]


def _merged_table_docx() -> bytes:
    d = docx.Document()
    d.add_paragraph("某县2025年春节期间双拥活动方案")
    t = d.add_table(rows=3, cols=3)
    for i, h in enumerate(["时间", "活动内容", "牵头单位"]):
        t.cell(0, i).text = h
    t.cell(1, 0).text = "1月20日—25日"
    t.cell(1, 1).text = "走访慰问驻县部队官兵"
    t.cell(1, 2).text = "县委办"
    t.cell(2, 1).text = "慰问重点优抚对象"
    t.cell(2, 2).text = "县退役军人事务局"
    t.cell(1, 0).merge(t.cell(2, 0))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_vertical_merge_is_written_once_and_stands_in_each_row():
    src = read_bytes(_merged_table_docx(), "plan.docx")
    assert src.text.count("1月20日—25日") == 1
    date = [b for b in src.blocks if b.kind == "cell" and src.text[b.start:b.end] == "1月20日—25日"]
    assert [(b.row, b.col, b.header) for b in date] == [(1, 0, "时间"), (2, 0, "时间")]
    from syextract.pipeline import process
    doc = process(src)
    acts = {a.text: [r.text for r in a.times] for p in doc.plans for a in p.activities}
    assert acts == {"走访慰问驻县部队官兵": ["1月20日—25日"], "慰问重点优抚对象": ["1月20日—25日"]}


def test_html_rowspan_and_colspan_place_cells_on_the_grid():
    page = ("<p>某县活动方案</p><table><tr><td colspan='2'>时间</td><td>活动内容</td><td>责任单位</td></tr>"
            "<tr><td>1</td><td rowspan=\"2\">7月下旬</td><td>召开军政座谈会</td><td>县人武部</td></tr>"
            "<tr><td>2</td><td>走访慰问驻县部队</td><td>县双拥办</td></tr></table>")
    src = read_bytes(page.encode("utf-8"), "p.html")
    cells = {(b.row, b.col): (page[b.start:b.end], b.header) for b in src.blocks if b.kind == "cell"}
    assert cells[(1, 1)] == ("7月下旬", "时间") and cells[(2, 1)] == ("7月下旬", "时间")
    assert cells[(2, 2)] == ("走访慰问驻县部队", "活动内容") and cells[(2, 3)] == ("县双拥办", "责任单位")
