"""HTML: the source text is the decoded page, unchanged (offsets index it).

Tag stripping happens in the normalised view (``syextract.normalize``), which
maps every visible character back to the page source, so a mention's offsets
point into the raw HTML and ``source[start:end] == text`` still holds.
"""
from __future__ import annotations

import re
from typing import Optional

from .source import Source
from .text import decode

_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([\w-]+)", re.I)


def read_html(data: bytes, path: Optional[str] = None) -> Source:
    m = _META_CHARSET.search(data[:4096])
    if m:
        enc = m.group(1).decode("ascii", "replace").lower()
        enc = {"gb2312": "gb18030", "gbk": "gb18030"}.get(enc, enc)
        try:
            return Source(text=data.decode(enc), format="html", encoding=enc, path=path)
        except (UnicodeDecodeError, LookupError):
            pass
    text, enc = decode(data, path)
    return Source(text=text, format="html", encoding=enc, path=path)
