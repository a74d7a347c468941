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
_CELL = re.compile(r"<t[dh]\b[^>]*>(.*?)(?=<t[dh]\b|</tr|</table|$)", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")


def table_blocks(page: str) -> list[Block]:
    """Cells of the page's tables (source offsets of each cell's content), the first row as headers."""
    blocks: list[Block] = []
    for t_index, tm in enumerate(_TABLE.finditer(page)):
        headers: list[str] = []
        for r, rm in enumerate(_ROW.finditer(page, tm.start(), tm.end())):
            for c, cm in enumerate(_CELL.finditer(page, rm.start(1), rm.end(1))):
                a, b = cm.start(1), cm.end(1)
                close = re.search(r"</t[dh]\s*>\s*$", page[a:b], re.I)
                if close:
                    b = a + close.start()
                label = _html.unescape(_TAG.sub("", page[a:b])).strip()
                if r == 0:
                    headers.append(label)
                header = headers[c] if r > 0 and c < len(headers) else None
                blocks.append(Block(a, b, kind="cell", table=t_index, row=r, col=c, header=header))
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
