"""HTML: the source text is the decoded page, unchanged (offsets index it).

Tag stripping happens in the normalised view (``syextract.normalize``), which
maps every visible character back to the page source, so a mention's offsets
point into the raw HTML and ``source[start:end] == text`` still holds.
"""
from __future__ import annotations

import re
from typing import Optional

import html as _html

from .source import Block, Source
from .text import decode

_TABLE = re.compile(r"<table\b.*?</table\s*>", re.S | re.I)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)(?=<tr\b|</table|$)", re.S | re.I)
_CELL = re.compile(r"<t[dh]\b([^>]*)>(.*?)(?=<t[dh]\b|</tr|</table|$)", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")
_SPAN = {k: re.compile(k + r"""\s*=\s*["']?(\d+)""", re.I) for k in ("rowspan", "colspan")}


def _span(attrs: str, kind: str) -> int:
    m = _SPAN[kind].search(attrs)
    return max(1, min(int(m.group(1)), 100)) if m else 1


def table_blocks(page: str) -> list[Block]:
    """Cells of the page's tables (source offsets of each cell's content), the first row as headers.

    Cells are placed on the table's grid: a ``colspan`` cell covers several columns (the next
    cell's header is the one after them) and a ``rowspan`` cell stands in each row it spans, as
    one more cell block on the same text (its time or unit belongs to every row it covers)."""
    blocks: list[Block] = []
    for t_index, tm in enumerate(_TABLE.finditer(page)):
        headers: list[str] = []
        below: dict[int, tuple[int, int, int]] = {}  # grid column -> (rows still covered, start, end)
        for r, rm in enumerate(_ROW.finditer(page, tm.start(), tm.end())):
            col = 0

            def header() -> Optional[str]:  # the current column's header (none in the header row)
                return headers[col] if r > 0 and col < len(headers) else None

            def carry() -> None:  # the cells that rowspans above stand in at the current column
                nonlocal col
                while col in below:
                    left, a0, b0 = below[col]
                    blocks.append(Block(a0, b0, kind="cell", table=t_index, row=r, col=col, header=header()))
                    if left > 1:
                        below[col] = (left - 1, a0, b0)
                    else:
                        del below[col]
                    col += 1

            for cm in _CELL.finditer(page, rm.start(1), rm.end(1)):
                carry()
                a, b = cm.start(2), cm.end(2)
                close = re.search(r"</t[dh]\s*>\s*$", page[a:b], re.I)
                if close:
                    b = a + close.start()
                cols, rows = _span(cm.group(1), "colspan"), _span(cm.group(1), "rowspan")
                label = _html.unescape(_TAG.sub("", page[a:b])).strip()
                if r == 0:
                    headers.extend([label] * cols)
                blocks.append(Block(a, b, kind="cell", table=t_index, row=r, col=col, header=header()))
                if rows > 1:
                    below[col] = (rows - 1, a, b)
                col += cols
            carry()
    return blocks

_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([\w-]+)", re.I)


def read_html(data: bytes, path: Optional[str] = None, warnings: Optional[list] = None) -> Source:
    m = _META_CHARSET.search(data[:4096])
    if m:
        enc = m.group(1).decode("ascii", "replace").lower()
        enc = {"gb2312": "gb18030", "gbk": "gb18030"}.get(enc, enc)
        try:
            page = data.decode(enc)
            return Source(text=page, format="html", encoding=enc, path=path, blocks=table_blocks(page))
        except (UnicodeDecodeError, LookupError):
            pass
    text, enc = decode(data, path, warnings)
    return Source(text=text, format="html", encoding=enc, path=path, blocks=table_blocks(text))
