"""Word .docx: paragraphs and table cells in document order, list numbering recovered.

Source text (what offsets index): every paragraph's text and every table
cell's text (its paragraphs joined with "\\n"; a merged cell once, horizontally or vertically: the
rows below a vertical merge get a cell block on the same text),
in document order, joined with "\\n". A numbered paragraph's label (一、,
（二）, 1.) is not in its text: it lives in numbering.xml and is recovered into
``Block.number``.
"""
from __future__ import annotations

import io
import zipfile
from typing import Optional

from .source import Block, InputError, Source

#: Uncompressed size above which a .docx is refused (zip bombs).
MAX_UNCOMPRESSED = 200 * 1024 * 1024
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

_CN_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese_counting(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 105 -> 一百零五 (Word's chineseCounting)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else ("零" + _CN_DIGITS[rest] if rest < 10 else
                                     ("一" + chinese_counting(rest) if rest < 20 else chinese_counting(rest)))
        return _CN_DIGITS[n // 100] + "百" + tail
    return str(n)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "taiwaneseCounting",
               "chineseLegalSimplified"):
        return chinese_counting(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt in ("upperRoman", "lowerRoman"):
        vals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        out, k = "", n
        for v, s in vals:
            while k >= v:
                out, k = out + s, k - v
        return out if fmt == "upperRoman" else out.lower()
    if fmt == "bullet" or fmt == "none":
        return ""
    return str(n)


class _Numbering:
    """Word list numbering: numId/ilvl -> label, with counters as Word keeps them."""

    def __init__(self, document):
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (abstractId, ilvl) -> (fmt, text, start)
        self.num_abstract: dict[str, str] = {}
        self.overrides: dict[tuple[str, int], int] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        for an in root.findall(f"{_W}abstractNum"):
            aid = an.get(f"{_W}abstractNumId")
            for lvl in an.findall(f"{_W}lvl"):
                il = int(lvl.get(f"{_W}ilvl", "0"))
                fmt = _val(lvl.find(f"{_W}numFmt")) or "decimal"
                text = _val(lvl.find(f"{_W}lvlText")) or ""
                start = int(_val(lvl.find(f"{_W}start")) or 1)
                self.levels[(aid, il)] = (fmt, text, start)
        for num in root.findall(f"{_W}num"):
            nid = num.get(f"{_W}numId")
            a = num.find(f"{_W}abstractNumId")
            if a is not None:
                self.num_abstract[nid] = _val(a)
            for ov in num.findall(f"{_W}lvlOverride"):
                so = ov.find(f"{_W}startOverride")
                if so is not None:
                    self.overrides[(nid, int(ov.get(f"{_W}ilvl", "0")))] = int(_val(so))

    def label(self, num_id: str, ilvl: int) -> Optional[str]:
        aid = self.num_abstract.get(num_id)
        if aid is None or num_id == "0":
            return None
        counters = self.counters.setdefault(aid, {})
        start = self.overrides.get((num_id, ilvl), self.levels.get((aid, ilvl), ("decimal", "", 1))[2])
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        fmt, text, _ = self.levels.get((aid, ilvl), ("decimal", f"%{ilvl + 1}.", 1))
        if fmt == "bullet":
            return None
        out = text
        for k in range(ilvl, -1, -1):
            kfmt = self.levels.get((aid, k), ("decimal", "", 1))[0]
            kstart = self.levels.get((aid, k), ("decimal", "", 1))[2]
            out = out.replace(f"%{k + 1}", _format_number(counters.get(k, kstart), kfmt))
        return out or None


def _val(el) -> Optional[str]:
    return None if el is None else el.get(f"{_W}val")


def _num_pr(paragraph, style) -> Optional[tuple[str, int]]:
    """numId/ilvl of a paragraph, directly or through the chain of its ``style``."""
    p_pr = paragraph._p.pPr
    num_pr = p_pr.numPr if p_pr is not None else None
    style = style if num_pr is None else None
    while num_pr is None and style is not None:
        s_ppr = style.element.pPr
        num_pr = s_ppr.numPr if s_ppr is not None else None
        style = style.base_style
    if num_pr is None or num_pr.numId is None:
        return None
    ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
    return str(num_pr.numId.val), int(ilvl)


def _check_zip(data: bytes, path: Optional[str]) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            total = sum(i.file_size for i in z.infolist())
            names = set(z.namelist())
    except zipfile.BadZipFile as e:
        raise InputError("unreadable", f"not a valid .docx (zip) file: {e}", path) from None
    if total > MAX_UNCOMPRESSED:
        raise InputError("too_large", f".docx expands to {total} bytes, above the limit of {MAX_UNCOMPRESSED}", path)
    if "word/document.xml" not in names:
        raise InputError("unsupported", "zip file without word/document.xml: not a Word document", path)


def read_docx(data: bytes, path: Optional[str] = None) -> Source:
    _check_zip(data, path)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises many kinds on broken packages
        raise InputError("unreadable", f"broken .docx: {type(e).__name__}: {e}", path) from None
    numbering = _Numbering(document)
    pieces: list[str] = []
    blocks: list[Block] = []
    pos = 0

    def add(text: str, block: Block) -> None:
        nonlocal pos
        if pieces:
            pos += 1  # the joining "\n"
        block.start, block.end = pos, pos + len(text)
        pieces.append(text)
        blocks.append(block)
        pos += len(text)

    # a paragraph's style by its style id, resolved once per document: python-docx resolves
    # ``Paragraph.style`` anew on every access, and a paragraph without a style id costs a walk
    # over every style of the document (half the time of reading a .docx)
    styles: dict = {}

    for t_index, item in enumerate(document.iter_inner_content()):
        if isinstance(item, Paragraph):
            sid = item._p.style
            if sid not in styles:
                styles[sid] = item.style
            p_style = styles[sid]
            label, level = None, None
            npr = _num_pr(item, p_style)
            if npr is not None:
                label = numbering.label(*npr)
                level = npr[1]
            style = p_style.name if p_style is not None else None
            kind = "heading" if style and style.lower().startswith(("heading", "title", "标题")) else "paragraph"
            add(item.text, Block(0, 0, kind=kind, number=label, level=level, style=style))
        elif isinstance(item, Table):
            headers: list[str] = []
            placed: dict = {}  # tc element -> its block (held, so lxml keeps one proxy per node): written once
            for r, row in enumerate(item.rows):
                prev = None
                col = 0
                for cell in row.cells:
                    if prev is not None and cell._tc is prev:
                        continue
                    prev = cell._tc
                    above = placed.get(cell._tc)
                    header = headers[col] if r > 0 and col < len(headers) else None
                    if above is not None:  # the rows below a vertical merge share its text (and its offsets)
                        blocks.append(Block(above.start, above.end, kind="cell", table=t_index, row=r, col=col,
                                            header=header))
                        col += 1
                        continue
                    text = cell.text
                    if r == 0:
                        headers.append(text.strip())
                    add(text, Block(0, 0, kind="cell", table=t_index, row=r, col=col, header=header))
                    placed[cell._tc] = blocks[-1]
                    col += 1
    return Source(text="\n".join(pieces), format="docx", encoding=None, path=path, blocks=blocks)
