"""PDF: the text layer, page by page (pypdf); a scan without one is refused with a clear error.

Source text (what offsets index): each page's extracted text, pages joined with
"\\n"; the Document carries it in ``source.text`` since no file holds it. The
layout is pypdf's reading order, not the printed page; tables come out as lines.
"""
from __future__ import annotations

import io
import logging
import warnings
from typing import Optional

from .source import Block, InputError, Source

#: Extracted text above this many characters is refused (a PDF whose streams inflate without end).
MAX_PDF_CHARS = 20_000_000

# pypdf reports damaged files on its logger; without a handler Python would print them on stderr,
# where syextract promises one line per failed input.
logging.getLogger("pypdf").addHandler(logging.NullHandler())


def read_pdf(data: bytes, path: Optional[str] = None) -> Source:
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - pypdf is a dependency
        raise InputError("unsupported", "PDF needs the pypdf package; or extract its text first "
                         "(e.g. `pdftotext -layout FILE`)", path) from None
    pieces: list[str] = []
    blocks: list[Block] = []
    pos = 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                try:
                    reader.decrypt("")
                except Exception:
                    raise InputError("unsupported", "encrypted PDF: decrypt it first "
                                     "(e.g. `qpdf --decrypt IN OUT`)", path) from None
            for page in reader.pages:
                text = page.extract_text() or ""
                if pieces:
                    pos += 1
                blocks.append(Block(pos, pos + len(text), kind="page"))
                pieces.append(text)
                pos += len(text)
                if pos > MAX_PDF_CHARS:
                    raise InputError("too_large", f"PDF text above the limit of {MAX_PDF_CHARS} characters", path)
    except InputError:
        raise
    except Exception as e:  # pypdf raises many kinds on damaged files
        raise InputError("unsupported", f"PDF could not be parsed ({type(e).__name__}: {e}); repair or "
                         "convert it first (e.g. `pdftotext -layout FILE`)", path) from None
    text = "\n".join(pieces)
    if not text.strip():
        raise InputError("unsupported", f"PDF without a text layer ({len(pieces)} page(s), a scan?): "
                         "run OCR first (e.g. `ocrmypdf -l chi_sim IN OUT`)", path)
    return Source(text=text, format="pdf", encoding=None, path=path, blocks=blocks)
