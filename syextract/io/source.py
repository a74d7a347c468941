"""The Source every reader returns, and format dispatch by content."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from typing import Optional

#: Inputs above this size are refused before reading (documented in the README).
MAX_INPUT_BYTES = 50 * 1024 * 1024


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


def read_bytes(data: bytes, path: Optional[str] = None, format: Optional[str] = None) -> Source:
    from . import docx as docx_reader
    from . import html as html_reader
    from . import text as text_reader

    ext = os.path.splitext(path or "")[1].lower()
    fmt = format or _sniff(data, ext)
    if fmt == "docx":
        src = docx_reader.read_docx(data, path)
    elif fmt in ("txt", "md"):
        text, enc = text_reader.decode(data, path)
        src = Source(text=text, format=fmt, encoding=enc, path=path)
    elif fmt == "html":
        src = html_reader.read_html(data, path)
    elif fmt == "doc":
        raise InputError("unsupported", "old Word .doc format is not supported; convert it to .docx "
                         "(e.g. `libreoffice --headless --convert-to docx FILE`)", path)
    elif fmt == "pdf":
        raise InputError("unsupported", "PDF is not supported; extract its text first "
                         "(e.g. `pdftotext -layout FILE`)", path)
    else:
        raise InputError("unsupported", f"unsupported format ({fmt})", path)
    src.sha256 = hashlib.sha256(data).hexdigest()
    src.path = path
    if not src.text.strip():
        raise InputError("empty", "no text in the document", path)
    return src


def read(path: str, format: Optional[str] = None) -> Source:
    """Read a file into a Source; raises InputError naming the file and the reason."""
    p = os.fspath(path)
    if os.path.isdir(p):
        raise InputError("unreadable", "is a directory", p)
    try:
        size = os.path.getsize(p)
        if size > MAX_INPUT_BYTES:
            raise InputError("too_large", f"file is {size} bytes, above the limit of {MAX_INPUT_BYTES}", p)
        with open(p, "rb") as f:
            data = f.read()
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError("unreadable", "no such file", p) from None
    except PermissionError:
        raise InputError("unreadable", "permission denied", p) from None
    except OSError as e:
        raise InputError("unreadable", e.strerror or str(e), p) from None
    return read_bytes(data, p, format)


def read_text(text: str, format: str = "txt", path: Optional[str] = None) -> Source:
    """A Source from text already in memory (the API's ``extract("…")``)."""
    data = text.encode("utf-8", "surrogatepass")
    return Source(text=text, format=format, encoding=None, path=path, sha256=hashlib.sha256(data).hexdigest())
