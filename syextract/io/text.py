"""Plain text and markdown: decode with detection, keep the text exactly."""
from __future__ import annotations

import codecs
from typing import Optional

from .source import InputError

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
]
# Candidates for text without a BOM, in the order a Chinese archive makes likely.
_CANDIDATES = ["utf_8", "gb18030", "big5", "utf_16_le", "utf_16_be"]


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:20000]
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f\v") or 0xFFF0 <= ord(c) <= 0xFFFF)
    return bad / len(sample)


def _check(text: str, encoding: str, path: Optional[str]) -> tuple[str, str]:
    if _control_ratio(text) > 0.05:
        raise InputError("undecodable", f"looks like binary data, not text (decoded as {encoding})", path)
    return text, encoding


def decode(data: bytes, path: Optional[str] = None) -> tuple[str, str]:
    """Return (text, encoding name). BOMs first, strict UTF-8 next, then detection."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return _check(data.decode(enc), enc, path)
            except UnicodeDecodeError as e:
                raise InputError("undecodable", f"has a {enc} byte-order mark but is not valid {enc}: {e.reason} "
                                 f"at byte {e.start}", path) from None
    try:
        return _check(data.decode("utf-8"), "utf-8", path)
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is not None:
        enc = best.encoding.replace("_", "-")
        try:
            return _check(data.decode(best.encoding), enc, path)
        except (UnicodeDecodeError, LookupError):
            pass
    try:  # GB18030 maps most byte sequences; last resort for Chinese archives
        return _check(data.decode("gb18030"), "gb18030", path)
    except UnicodeDecodeError as e:
        raise InputError("undecodable", f"not valid UTF-8, GB18030, Big5 or UTF-16 (bad byte at {e.start})",
                         path) from None
