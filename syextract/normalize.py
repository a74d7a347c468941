"""The normalised view that every rule matches on, with an offset map back to the source.

Normalisation (each step documented, each reversible through the map):

* HTML (``format == "html"``): tags, comments, ``<script>``/``<style>`` bodies
  vanish; block-level tags become ``\\n``; entities become their character.
* Markdown escapes ``\\_`` ``\\*`` ``\\#`` … become the escaped character (the
  backslash belongs to its span); paired ``**bold**`` markers vanish.
* Full-width ASCII (digits, letters, punctuation such as （）：，) and the
  ideographic space become half-width; no-break spaces (``&nbsp;``) and the
  other typographic spaces become plain spaces.
* Line ends: the ``\r`` of a Windows ``\r\n`` vanishes and a lone ``\r`` reads as ``\n``;
  zero-width spaces and joiners (pasted from web pages: 县\u200b人武部) vanish.
* Traditional characters become simplified (OpenCC's character table, one
  code point to one code point).
* A single space between a digit and a Chinese character (``2021 年``,
  ``7 月 24 日``, ``不低于 65%``, ``任务数 12 人``: the spacing of PDF exports and of
  pages typeset with spaces around numbers), after a percent sign (``98% 以上``) and
  inside such a date (``5 月 底前``, ``30 日 前``, ``1 月 至 3 月``) vanishes, so that dates and counts
  read as they would unspaced; the mention still spans the spaces in the
  source. Runs of two or more spaces (table columns) and a number opening a
  line as an item number (``1 开展…``) are left alone.

``NormText.span(a, b)`` maps a normalised span to the source span that
produced it, so ``source[s:e]`` is always the exact text a user sees.
"""
from __future__ import annotations

import html as _html
import os
import re
from array import array
from dataclasses import dataclass
from functools import lru_cache

import numpy as np  # (spaCy's own dependency)

_MD_ESCAPABLE = "\\`*_{}[]()#+-.!|<>~\"'"
_MD_ESCAPE_RE = re.compile(r"\\([" + re.escape(_MD_ESCAPABLE) + r"])")
_GAP_NEIGHBOURS = set("元户人名个次年月日号届万")  # a unit right inside/after "**": a gap (慰问金**元)
_BOLD_RE = re.compile(r"\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*")
_HAN = "\u4e00-\u9fff"
_CR_RE = re.compile("\r\n?")
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_ZERO_WIDTH_RE = re.compile("[%s]+" % _ZERO_WIDTH)
_DATE_GO_ON = "初|中旬|上旬|下旬|底|末|前|后|至|到|起|以来|期间|份"
# the space first, its neighbours checked after it (lookbehinds of fixed width that include it): the
# engine then only stops at spaces, not at every character of the text; and a digit, % or Chinese
# character after it (what every branch looks ahead for) is tested before the branches are tried
_S = "[ \u3000\u00a0]"
_NUM_SPACE_RE = re.compile(
    r"%s(?=[0-9%%%s])(?:(?<=[%s]%s)(?=[0-9])|(?<=[0-9]%s)(?=[%s%%])|(?<=%%%s)(?=[%s])"
    # … and inside a spaced date: 5 月 底前, 6 月 30 日 前, 1 月 至 3 月, 9 月 下旬
    r"|(?:(?<=[0-9][年月日号]%s)|(?<=[0-9] [年月日号]%s))(?=%s)|(?<=[0-9] [月日]底 )(?=[前后]))"
    % (_S, _HAN, _HAN, _S, _S, _HAN, _S, _HAN, _S, _S, _DATE_GO_ON))


@lru_cache(maxsize=1)
def _char_table() -> dict[int, int]:
    """Full-width -> half-width and traditional -> simplified, one code point each."""
    table: dict[int, int] = {0x3000: 0x20, 0xA0: 0x20, 0x202F: 0x20}  # ideographic and no-break spaces
    table.update({cp: 0x20 for cp in range(0x2000, 0x200B)})  # en/em/thin … spaces
    for cp in range(0xFF01, 0xFF5F):
        table[cp] = cp - 0xFEE0
    try:
        import opencc  # opencc-python-reimplemented ships OpenCC's dictionaries

        path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "TSCharacters.txt")
        with open(path, encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 2:
                    continue
                trad, simp = parts[0], parts[1].split(" ")[0]
                if len(trad) == 1 and len(simp) == 1 and trad != simp:
                    table[ord(trad)] = ord(simp)
    except (ImportError, OSError):  # pragma: no cover - the dependency is declared
        pass
    return table


@lru_cache(maxsize=1)
def _char_str() -> str:
    """The same table as a string indexed by code point (``str.translate`` reads it with no lookup
    error for each character it leaves alone, as a dict raises: 1.6x faster)."""
    table = _char_table()
    return "".join(chr(table.get(cp, cp)) for cp in range(max(table) + 1))


@lru_cache(maxsize=1)
def _char_codes() -> np.ndarray:
    """The same table as code points, for numpy: ``_char_codes()[cp]`` is what ``cp`` becomes."""
    return np.frombuffer(_char_str().encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _translate(text: str) -> str:
    """``text.translate(_char_str())``: one code point to one code point.

    ``str.translate`` looks each character of a non-ASCII text up through the mapping protocol
    (a Python int and a one-character string per character); numpy indexes the table with all
    the code points at once (UTF-32 in and out, C loops): eight times faster on a document.
    Short strings (a table header) keep ``str.translate``, whose set-up is cheaper."""
    if len(text) < 128:
        return text.translate(_char_str())
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    table = _char_codes()
    try:
        out = table[codes]  # (the index is checked in the same C loop: no pass for the largest code)
    except IndexError:  # code points past the table's last entry stay as they are
        n = len(table)
        out = np.where(codes < n, table[np.minimum(codes, n - 1)], codes)
    return out.tobytes().decode("utf-32-le", "surrogatepass")


_OFFSET = np.dtype(f"i{array('l').itemsize}")  # numpy's name for the C long of array("l")


def _identity(n: int) -> array:
    """``array("l", range(n))``, built by numpy for a text (50x faster than from the range, element
    by element), directly for a short string such as a table header."""
    if n < 256:
        return array("l", range(n))
    return array("l", np.arange(n, dtype=_OFFSET).tobytes())


@dataclass
class NormText:
    """Normalised text; ``starts[i]``/``ends[i]`` give the source span of character i."""
    text: str
    starts: array
    ends: array
    source_len: int

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Source span of the normalised span [a, b)."""
        if b <= a:
            s = self.starts[a] if a < len(self.text) else self.source_len
            return s, s
        return self.starts[a], self.ends[b - 1]

    def norm_pos(self, source_offset: int) -> int:
        """First normalised index whose source span starts at or after ``source_offset``."""
        import bisect

        return bisect.bisect_left(self.starts, source_offset)


_HTML_BLOCK_NAMES = (r"p|div|br|li|ul|ol|tr|td|th|table|h[1-6]|section|article|header|footer|nav|"
                     r"title|blockquote|pre|hr")


#: an HTML comment, script/style/noscript/title element (a title element is the browser tab's, not
#: the page's text), tag or entity; a block-level tag is told apart by the match itself: the
#: optional group 2 holds ``</?NAME\b`` at the start of the tag (tried first, then left out, so the
#: tag ends at its first ``>`` either way), and no second regex is run on each tag
_HTML_TOKEN_KIND = re.compile(r"<!--.*?-->|<(script|style|noscript|title)\b.*?</\1\s*>|<(/?(?:%s)\b)?[^>]*>|&#?\w+;"
                              % _HTML_BLOCK_NAMES, re.S | re.I)


def _html_edits(text: str) -> list[tuple[int, int, str]]:
    edits: list[tuple[int, int, str]] = []
    unescape = _html.unescape
    for m in _HTML_TOKEN_KIND.finditer(text):
        if m.lastindex == 2:  # a block-level tag
            edits.append((m.start(), m.end(), "\n"))
        else:
            tok = m.group(0)  # an entity becomes its character (an unknown one stays itself); the rest goes
            edits.append((m.start(), m.end(), unescape(tok) if tok[0] == "&" else ""))
    return edits


def _markdown_edits(text: str) -> list[tuple[int, int, str]]:
    edits = [(m.start(), m.end(), m.group(1)) for m in _MD_ESCAPE_RE.finditer(text)]
    for m in _BOLD_RE.finditer(text):
        # "慰问金**元，共**户": stars against a unit are template gaps, not a bold pair
        if (text[m.start() + 2] in _GAP_NEIGHBOURS or text[m.end():m.end() + 1] in _GAP_NEIGHBOURS) \
                and not m.group(1).endswith(("。", "：", ":", "！")):  # (**责任落实。**年初…: a bold title)
            continue
        edits.append((m.start(), m.start() + 2, ""))
        edits.append((m.end() - 2, m.end(), ""))
    return edits


def _spacing_edits(text: str) -> list[tuple[int, int, str]]:
    """Single spaces between a number and a Chinese character go (see the module docstring)."""
    out = []
    for m in _NUM_SPACE_RE.finditer(text):
        a = m.start()
        if text[a - 1].isdigit():  # the number must not open its line (an item number: "1 开展…")
            k = a - 1
            while k > 0 and text[k - 1].isdigit():
                k -= 1
            at_line_start = k == 0 or text[k - 1] == "\n" or (
                text[k - 1] in " \t\u3000" and (k == 1 or text[k - 2] in " \t\u3000\n"))
            if at_line_start and a - k <= 2:
                continue
        out.append((a, m.end(), ""))
    return out


_ITEM_START = re.compile(r"\s*(?:[#>*\-+|]|[一二三四五六七八九十]{1,3}[、.]|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.．)）]"
                         r"|第[一二三四五六七八九十\d]{1,3}[部章节条篇]|[①-⑳⑴-⒇㈠-㈩]|[一二三四五六七八九十]{1,2}是)")


def _wrap_edits(text: str) -> list[tuple[int, int, str]]:
    """Hard line wraps of a PDF export or a fixed-width text: most body lines are cut at one width
    (30 characters, say), mid-sentence and mid-word. When at least five lines of at least 15
    characters share a width (±1), and they are a fifth of such lines, the line break after each
    full-width line vanishes, unless the next line opens an item (一、, （二）, 3.) or is blank."""
    lines = text.split("\n")
    widths: dict[int, int] = {}
    long_lines = 0
    for ln in lines:
        n = len(ln.rstrip())
        if n >= 15 and "|" not in ln and "\t" not in ln:
            long_lines += 1
            widths[n] = widths.get(n, 0) + 1
    if not widths:
        return []
    w = max(widths, key=lambda k: widths[k] + widths.get(k - 1, 0) + widths.get(k + 1, 0))
    full = widths[w] + widths.get(w - 1, 0) + widths.get(w + 1, 0)
    if full < 5 or full * 5 < long_lines:
        return []
    out = []
    pos = 0
    for i, ln in enumerate(lines[:-1]):
        end = pos + len(ln)
        nxt = lines[i + 1]
        if abs(len(ln.rstrip()) - w) <= 1 and "|" not in ln and nxt.strip() and not _ITEM_START.match(nxt) \
                and not ln.rstrip().endswith(("。", "：", ":", "！", "？")):
            out.append((end, end + 1, ""))
        pos = end + 1
    return out


def normalize(text: str, format: str = "txt") -> NormText:
    edits = _html_edits(text) if format == "html" else []
    if format != "docx":
        # Markdown escapes also appear in .txt exports of web pages (the seed is one).
        edits += _markdown_edits(text)
    edits += _spacing_edits(text)
    if format in ("txt", "pdf"):
        edits += _wrap_edits(text)
    if any(c in text for c in _ZERO_WIDTH):  # zero-width spaces and joiners pasted from web pages: gone
        # (five ``in`` tests, C-speed substring searches: 8x faster than the class regex's scan)
        edits += [(m.start(), m.end(), "") for m in _ZERO_WIDTH_RE.finditer(text)]
    if "\r" in text:  # Windows (\r\n) and old Mac (\r) line ends read as \n, as every rule expects
        edits += [(m.start(), m.start() + 1, "" if m.end() - m.start() == 2 else "\n")
                  for m in _CR_RE.finditer(text)]
    edits.sort()
    out: list[str] = []
    starts = array("l")
    ends = array("l")
    ident = _identity(len(text) + 1)  # the kept stretches' offsets are slices of it
    pos = 0
    for a, b, rep in edits:
        if a < pos:  # overlapping edit (e.g. an escape inside a tag already removed)
            continue
        if a > pos:
            out.append(text[pos:a])
            starts.extend(ident[pos:a])
            ends.extend(ident[pos + 1:a + 1])
        if rep:
            out.append(rep)
            starts.extend([a] * len(rep))
            ends.extend([b] * len(rep))
        pos = b
    if pos < len(text):
        out.append(text[pos:])
        starts.extend(ident[pos:len(text)])
        ends.extend(ident[pos + 1:len(text) + 1])
    norm = _translate("".join(out))
    return NormText(norm, starts, ends, len(text))
