#!/usr/bin/env python3
"""Build corpus/docs/bayi_scheme_2023.docx and its source text.

Run with the project venv (python-docx is needed):

    /work/main/.venv/bin/python corpus/build_docx.py

Outputs (both checked in):
  corpus/docs/bayi_scheme_2023.docx  the Word document
  corpus/text/bayi_scheme_2023.txt   its SOURCE TEXT (what gold offsets index)

The document exercises:
  * Word AUTOMATIC list numbering: the section labels 一、…五、 (level 0,
    chineseCounting, lvlText "%1、") and （一）（二）（三） (level 1,
    chineseCounting, lvlText "（%2）") come from numbering.xml through
    <w:numPr><w:ilvl/><w:numId/></w:numPr>; the label text is NOT in the
    paragraph text.
  * a table (序号 | 时间 | 活动内容 | 责任单位 | 牵头单位, 9 activity rows) whose last row has a
    horizontally merged cell (one <w:tc> with gridSpan=4), which the source
    text rule emits once.
  * empty paragraphs, which contribute "" to the source text.

SOURCE TEXT rule (see source_text below): walk the body's block items in
document order; a paragraph contributes paragraph.text; a table contributes,
row by row, each cell's text (cell.text, the cell's paragraphs joined with
"\n"), skipping a cell whose underlying _tc element is the same as the previous
cell's (merged cells); all pieces are joined with "\n".

The build is deterministic: fixed core properties and fixed zip timestamps, so
running it twice gives byte-identical files.
"""
from __future__ import annotations

import io
import os
import zipfile
import datetime as dt

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.shared import OxmlElement
from docx.shared import Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

HERE = os.path.dirname(os.path.abspath(__file__))
DOCX_PATH = os.path.join(HERE, "docs", "bayi_scheme_2023.docx")
TEXT_PATH = os.path.join(HERE, "text", "bayi_scheme_2023.txt")

FIXED_TIME = dt.datetime(2023, 7, 15, 9, 0, 0)
ZIP_TIME = (2023, 7, 15, 9, 0, 0)

TITLE = "2023年“八一”建军节拥军慰问活动方案"

INTRO = ("为庆祝中国人民解放军建军96周年，进一步弘扬拥军优属光荣传统，巩固和发展军政军民团结，"
         "经县双拥工作领导小组研究，决定在“八一”建军节期间开展系列拥军慰问活动，特制定本方案。")

HEADER = ["序号", "时间", "活动内容", "责任单位", "牵头单位"]
ROWS = [
    ["1", "7月下旬", "召开庆祝建军96周年军政座谈会，总结交流双拥工作经验", "县人武部", "县双拥办"],
    ["2", "7月25日", "走访慰问驻县部队官兵，送去慰问金和慰问品", "县双拥办", "县退役军人事务局"],
    ["3", "7月27日至28日", "组织医疗专家到驻县部队开展巡回义诊，服务官兵约300人次", "县卫健局", "县双拥办"],
    ["4", "8月1日前", "走访慰问重点优抚对象120户，每户发放慰问金500元", "县退役军人事务局", "县双拥办"],
    ["5", "7月下旬", "举办“军民鱼水情”文艺慰问演出2场", "县文旅局", "团县委"],
    ["6", "8月1日前", "开展“送清凉进军营”活动，为一线官兵送去防暑降温物品", "县总工会", "团县委"],
    ["7", "7月26日", "组织青年志愿者到驻县部队开展“军营开放日”联谊活动", "团县委", "县人武部"],
    ["8", "7月28日", "举办“最美军嫂”表彰会，表彰先进军嫂10名", "县妇联", "县双拥办"],
    ["9", "8月1日", "在人民广场举行“八一”升旗仪式，军地领导、官兵代表和群众约500人参加", "县人武部", "县双拥办"],
]
NOTE_ROW = ["备注", "以上活动所需经费约3.6万元，从县双拥工作专项经费中列支。"]


# ---------------------------------------------------------------- numbering
def _lvl(ilvl: int, lvl_text: str, indent_left: int, hanging: int) -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}">'
        '<w:start w:val="1"/>'
        '<w:numFmt w:val="chineseCounting"/>'
        f'<w:lvlText w:val="{lvl_text}"/>'
        '<w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{indent_left}" w:hanging="{hanging}"/></w:pPr>'
        '</w:lvl>'
    )


def add_chinese_numbering(document) -> int:
    """Add an abstractNum (一、 / （一）) and a num referencing it; return the numId."""
    numbering = document.part.numbering_part.element
    existing = [int(v) for v in numbering.xpath("./w:abstractNum/@w:abstractNumId")]
    abstract_id = max(existing, default=-1) + 1
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="multilevel"/>'
        + _lvl(0, "%1、", 640, 640)
        + _lvl(1, "（%2）", 1280, 640)
        + '</w:abstractNum>'
    )
    # schema order: every w:abstractNum precedes every w:num
    nums = numbering.findall(qn("w:num"))
    if nums:
        nums[0].addprevious(abstract)
    else:
        numbering.append(abstract)
    num = numbering.add_num(abstract_id)
    return int(num.numId)


def set_numbering(paragraph, num_id: int, ilvl: int) -> None:
    pPr = paragraph._p.get_or_add_pPr()
    numPr = OxmlElement("w:numPr")
    ilvl_el = OxmlElement("w:ilvl")
    ilvl_el.set(qn("w:val"), str(ilvl))
    numId_el = OxmlElement("w:numId")
    numId_el.set(qn("w:val"), str(num_id))
    numPr.append(ilvl_el)
    numPr.append(numId_el)
    pPr.append(numPr)


# ---------------------------------------------------------------- document
def build() -> Document:
    document = Document()
    cp = document.core_properties
    cp.author = "syextract corpus"
    cp.last_modified_by = "syextract corpus"
    cp.title = TITLE
    cp.created = FIXED_TIME
    cp.modified = FIXED_TIME
    cp.revision = 1

    style = document.styles["Normal"]
    style.font.size = Pt(12)

    num_id = add_chinese_numbering(document)

    def numbered(text: str, ilvl: int = 0):
        p = document.add_paragraph(text)
        set_numbering(p, num_id, ilvl)
        return p

    title = document.add_paragraph()
    run = title.add_run(TITLE)
    run.bold = True
    run.font.size = Pt(16)
    document.add_paragraph("")
    document.add_paragraph(INTRO)

    document.add_paragraph(
        "本次活动以“军民同心铸长城、鱼水情深庆八一”为主题，坚持节俭务实、注重实效的原则，"
        "把走访慰问与解决实际问题结合起来，把集中活动与经常性工作结合起来，"
        "切实把党和政府的关怀送到部队官兵和优抚对象的心坎上。")

    numbered("活动时间")
    document.add_paragraph("2023年7月20日至8月5日。其中，集中走访慰问时间为7月25日至8月1日。")

    numbered("组织领导")
    document.add_paragraph(
        "成立活动领导小组，由县委常委、县人武部政委刘振华任组长，副县长陈xx任副组长，"
        "县双拥办、县退役军人事务局、县人武部政工科为成员单位。"
        "领导小组办公室设在县双拥办，负责活动的统筹协调和督促检查。")

    numbered("活动安排")
    document.add_paragraph("各项活动按下表分工落实，时间如有调整另行通知。"
                           "县双拥办要于7月20日前汇总各项活动的具体实施方案，报领导小组审定后组织实施。")

    table = document.add_table(rows=1 + len(ROWS) + 1, cols=len(HEADER))
    table.style = "Table Grid"
    for i, text in enumerate(HEADER):
        table.rows[0].cells[i].text = text
    for r, row in enumerate(ROWS, start=1):
        for c, text in enumerate(row):
            table.rows[r].cells[c].text = text
    last = table.rows[len(ROWS) + 1]
    last.cells[0].text = NOTE_ROW[0]
    merged = last.cells[1].merge(last.cells[len(HEADER) - 1])
    merged.text = NOTE_ROW[1]

    numbered("经费保障")
    document.add_paragraph("活动经费由县财政统筹安排，县双拥办负责经费的统一管理和使用，"
                           "活动结束后及时办理报销手续，确保专款专用。")

    numbered("工作要求")
    numbered("加强组织协调。各成员单位要按照表中时间节点抓好落实，主动做好衔接，确保各项活动有序开展。", 1)
    numbered("注重宣传报道。县融媒体中心要对重点慰问活动进行跟踪报道，在县电视台和“云溪发布”客户端开设“八一”专栏，"
             "营造全社会关心支持国防和军队建设的浓厚氛围。", 1)
    numbered("严守廉洁纪律。各项慰问活动要严格执行中央八项规定精神，轻车简从，不得借慰问之机搞铺张浪费。", 1)
    numbered("注重安全保障。各项活动要提前制定安全预案，县公安局负责大型活动的现场安保工作，"
             "县卫健局安排医护人员全程保障。", 1)
    numbered("及时总结上报。各单位于8月10日前将活动开展情况书面报县双拥办。", 1)

    document.add_paragraph("")
    document.add_paragraph("县双拥工作领导小组办公室")
    document.add_paragraph("2023年7月15日")
    return document


# ---------------------------------------------------------------- source text
def source_text(document) -> str:
    """The SOURCE TEXT of a .docx, exactly by the rule in the module docstring."""
    pieces: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            pieces.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                prev_tc = None
                for cell in row.cells:
                    if cell._tc is prev_tc:
                        continue
                    prev_tc = cell._tc
                    pieces.append(cell.text)
    return "\n".join(pieces)


def deterministic_bytes(document) -> bytes:
    """Save, then rewrite the zip with fixed timestamps and a stable entry order."""
    raw = io.BytesIO()
    document.save(raw)
    raw.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, data)
    return out.getvalue()


def main() -> None:
    document = build()
    data = deterministic_bytes(document)
    os.makedirs(os.path.dirname(DOCX_PATH), exist_ok=True)
    os.makedirs(os.path.dirname(TEXT_PATH), exist_ok=True)
    with open(DOCX_PATH, "wb") as f:
        f.write(data)
    # the source text is computed from the saved file, as a reader would see it
    text = source_text(Document(io.BytesIO(data)))
    with open(TEXT_PATH, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    print(f"wrote {DOCX_PATH} ({len(data)} bytes) and {TEXT_PATH} ({len(text)} chars)")


if __name__ == "__main__":
    main()
