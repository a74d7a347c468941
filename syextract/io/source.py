"""The Source every reader returns, and format dispatch by content."""
from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from typing import Optional

#: Inputs above this size are refused before reading (documented in the README).
MAX_INPUT_BYTES = 50 * 1024 * 1024

# A Python str can hold surrogate code points (``"\udc80"`` from ``surrogateescape``, a lone half of a
# pair, a PDF's broken ToUnicode map); UTF-8 cannot, so no record holding one could be written as JSON.
_SURROGATES = re.compile("[\ud800-\udfff]")


class InputError(Exception):
    """A file that cannot be turned into a Source; ``kind`` is machine-readable."""

    def __init__(self, kind: str, message: str, path: Optional[str] = None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


@dataclass
class Block:
    """A layout unit of the source text: a paragraph, a table cell, a list item.

    ``number`` is a list label that is not part of the text (Word's automatic
    numbering); ``level`` its list level (0 = top); ``table``/``row``/``col``
    locate a table cell; ``header`` names the column of a cell when the table
    has a header row (时间, 责任单位 …).
    """
    start: int
    end: int
    kind: str = "paragraph"  # paragraph | heading | cell
    number: Optional[str] = None
    level: Optional[int] = None
    style: Optional[str] = None
    table: Optional[int] = None
    row: Optional[int] = None
    col: Optional[int] = None
    header: Optional[str] = None


@dataclass
class Source:
    text: str
    format: str
    encoding: Optional[str] = None
    path: Optional[str] = None
    sha256: str = ""
    blocks: list[Block] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def text_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()


def _sniff(data: bytes, ext: str) -> str:
    """Decide the format from the bytes, with the extension as a tie-breaker."""
    if data.startswith(b"PK\x03\x04"):
        return "docx" if ext in ("", ".docx", ".docm", ".zip") or b"word/" in data[:4096] else "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"{\\rtf"):
        return "rtf"
    head = data[:2048].lower()
    if ext in (".html", ".htm", ".xhtml") or b"<html" in head or b"<!doctype html" in head:
        return "html"
    if ext in (".md", ".markdown"):
        return "md"
    return "txt"


def sanitize(src: Source) -> Source:
    """Make the source text safe to write: surrogates become U+FFFD one for one (offsets unchanged),
    with a warning; NUL characters are kept (JSON and SQLite hold them) and counted in a warning."""
    text, n = _SURROGATES.subn("\ufffd", src.text)
    if n:
        src.text = text
        src.warnings.append(f"{n} surrogate code point(s) in the text replaced by U+FFFD (not encodable as UTF-8)")
    nul = src.text.count("\0")
    if nul:
        src.warnings.append(f"the text holds {nul} NUL character(s)")
    return src


def read_bytes(data: bytes, path: Optional[str] = None, format: Optional[str] = None) -> Source:
    from . import docx as docx_reader
    from . import html as html_reader
    from . import text as text_reader

    ext = os.path.splitext(path or "")[1].lower()
    fmt = format or _sniff(data, ext)
    warnings: list[str] = []
    if fmt == "docx":
        src = docx_reader.read_docx(data, path)
    elif fmt in ("txt", "md"):
        try:
            text, enc = text_reader.decode(data, path, warnings)
        except InputError as e:
            if ext in (".docx", ".docm") and e.kind == "undecodable":
                raise InputError("unreadable", "named .docx but not a Word document (not a zip file), "
                                 "and not text either", path) from None
            raise
        src = Source(text=text, format=fmt, encoding=enc, path=path)
    elif fmt == "html":
        src = html_reader.read_html(data, path, warnings)
    elif fmt == "pdf":
        from . import pdf as pdf_reader

        src = pdf_reader.read_pdf(data, path)
    elif fmt == "doc":
        raise InputError("unsupported", "old Word .doc format is not supported; convert it to .docx "
                         "(e.g. `libreoffice --headless --convert-to docx FILE`)", path)
    else:
        raise InputError("unsupported", f"unsupported format ({fmt})", path)
    src.warnings[:0] = warnings
    src.sha256 = hashlib.sha256(data).hexdigest()
    src.path = path
    sanitize(src)
    if not src.text.strip():
        raise InputError("empty", "no text in the document", path)
    return src


def check_regular(path: str, size_limit: int = MAX_INPUT_BYTES) -> os.stat_result:
    """``os.stat`` of an input, refusing what is not a regular file (a folder, a named pipe whose
    ``open`` would block forever, a device such as /dev/zero) and files above the size limit."""
    st = os.stat(path)
    if stat.S_ISDIR(st.st_mode):
        raise InputError("unreadable", "is a directory", path)
    if not stat.S_ISREG(st.st_mode):
        kind = ("named pipe" if stat.S_ISFIFO(st.st_mode) else "socket" if stat.S_ISSOCK(st.st_mode)
                else "device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "special file")
        raise InputError("unreadable", f"not a regular file ({kind})", path)
    if st.st_size > size_limit:
        raise InputError("too_large", f"file is {st.st_size} bytes, above the limit of {size_limit}", path)
    return st


def read_file_bytes(path: str) -> bytes:
    """A regular file's bytes, at most MAX_INPUT_BYTES; raises InputError naming the file and the reason."""
    p = os.fspath(path)
    try:
        check_regular(p)
        with open(p, "rb") as f:
            data = f.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:  # grew since the stat
            raise InputError("too_large", f"file is above the limit of {MAX_INPUT_BYTES} bytes", p)
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError("unreadable", "no such file", p) from None
    except PermissionError:
        raise InputError("unreadable", "permission denied", p) from None
    except OSError as e:
        raise InputError("unreadable", e.strerror or str(e), p) from None
    return data


def read(path: str, format: Optional[str] = None) -> Source:
    """Read a file into a Source; raises InputError naming the file and the reason."""
    p = os.fspath(path)
    return read_bytes(read_file_bytes(p), p, format)


def read_text(text: str, format: str = "txt", path: Optional[str] = None) -> Source:
    """A Source from text already in memory (the API's ``extract("…")``); an HTML page's tables
    are read as from a file."""
    data = text.encode("utf-8", "surrogatepass")
    blocks = []
    if format == "html":
        from .html import table_blocks  # (io.html imports this module)

        blocks = table_blocks(text)
    return sanitize(Source(text=text, format=format, encoding=None, path=path,
                           sha256=hashlib.sha256(data).hexdigest(), blocks=blocks))
