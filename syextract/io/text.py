"""Plain text and markdown: decode with detection, keep the text exactly."""
from __future__ import annotations

import codecs
import re
from typing import Optional

from .source import InputError

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
]
# Candidates for text without a BOM, in the order a Chinese archive makes likely.
_CANDIDATES = ["utf_8", "gb18030", "big5", "utf_16_le", "utf_16_be"]


#: what binary data decodes to and text does not hold: control characters other than \t \n \v \f \r,
#: and the specials block (U+FFF0-U+FFFF, U+FFFD among them)
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\ufff0-\uffff]")


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:20000]
    return len(_CONTROL.findall(sample)) / len(sample)


def _check(text: str, encoding: str, path: Optional[str]) -> tuple[str, str]:
    if _control_ratio(text) > 0.05:
        raise InputError("undecodable", f"looks like binary data, not text (decoded as {encoding})", path)
    return text, encoding


def _mostly_utf8(data: bytes) -> Optional[tuple[str, int]]:
    """UTF-8 text with a few broken byte sequences (a truncated copy, an encoded surrogate such as
    ``ED A0 80``, a stray Latin-1 byte): the text with each bad byte as U+FFFD and the number
    replaced, or None when the bytes are not essentially UTF-8 (GBK and Big5 break at almost
    every character)."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    multibyte = len(text) - len(text.encode("ascii", "ignore")) - text.count("\ufffd")
    if 0 < bad <= max(16, len(text) // 200) and multibyte >= 10 * bad:
        return text, bad
    return None


def decode(data: bytes, path: Optional[str] = None, warnings: Optional[list] = None) -> tuple[str, str]:
    """Return (text, encoding name). BOMs first, strict UTF-8 next, then detection.

    Never returns surrogate code points (strict codecs refuse them); UTF-8 with a
    few invalid bytes is decoded with U+FFFD in their place and a warning
    appended to ``warnings``."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return _check(data.decode(enc), enc, path)
            except UnicodeDecodeError as e:
                # a few broken units (a lone UTF-16 surrogate, a truncated last character): U+FFFD in their place
                text = data.decode(enc, "replace")
                bad = text.count("\ufffd") - data.decode(enc, "ignore").count("\ufffd")
                if 0 < bad <= max(1, len(text) // 1000):
                    if warnings is not None:
                        warnings.append(f"{bad} invalid {enc} code unit(s) ({e.reason}) replaced by U+FFFD")
                    return _check(text, enc, path)
                raise InputError("undecodable", f"has a {enc} byte-order mark but is not valid {enc}: {e.reason} "
                                 f"at byte {e.start}", path) from None
    try:
        return _check(data.decode("utf-8"), "utf-8", path)
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        if warnings is not None:
            warnings.append(f"{mostly[1]} invalid UTF-8 byte(s) replaced by U+FFFD")
        return _check(mostly[0], "utf-8", path)
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
