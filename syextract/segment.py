"""Word segmentation backends: jieba (the reference) and rjieba (jieba-rs, same cuts, faster).

jieba's dictionary format and behaviour are the reference: the pipeline's
default tokenizer is spaCy's own ``zh`` tokenizer with ``segmenter="jieba"``
and syextract's domain dictionary loaded with ``jieba.load_userdict``.

``rjieba`` binds jieba-rs, a Rust port that ships the same default dictionary
and HMM. It has no ``load_userdict``, so :func:`load_userdict` parses jieba's
user-dictionary format (``word [freq] [tag]`` a line, exactly jieba's regular
expression) and calls ``add_word`` per entry, with jieba's frequency rule for
an entry without a frequency (``suggest_freq``).

One behaviour differs and is corrected here: jieba-rs yields a run of
non-Chinese word characters that is not a dictionary word (``6-8``,
``2024-03-05``, ``masked_name``) as one token, where jieba splits it with the
pattern ``[a-zA-Z0-9]+(?:\\.\\d+)?%?`` (``6`` ``-`` ``8``). :func:`cut` re-splits
such tokens exactly as jieba does, and ``tests/test_segment.py`` checks that
both backends cut the whole corpus, the example corpora and random mixed
text identically.
"""
from __future__ import annotations

import os
import re
from itertools import accumulate
from typing import Iterable, Optional

#: jieba's user-dictionary line (jieba/__init__.py, ``re_userdict``)
RE_USERDICT = re.compile(r"^(.+?)( [0-9]+)?( [a-z]+)?$", re.U)
#: jieba's finalseg split of non-Chinese text (jieba/finalseg/__init__.py, ``re_skip``)
RE_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
#: the characters jieba keeps in one block with Chinese (jieba/__init__.py, ``re_han_default``), minus Chinese
_ASCII_WORD = re.compile(r"[a-zA-Z0-9+#&._%\-]{2,}")


def userdict_entries(path: str) -> Iterable[tuple[str, int | None, str | None]]:
    """(word, freq or None, tag or None) per line of a jieba user dictionary."""
    with open(path, "rb") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.strip()
            if not isinstance(line, str):
                line = line.decode("utf-8").lstrip("\ufeff")
            if not line:
                continue
            m = RE_USERDICT.match(line)
            if not m:  # pragma: no cover - jieba raises on such a line too
                raise ValueError(f"invalid dictionary entry in {path} at line {lineno}: {line}")
            word, freq, tag = m.groups()
            yield word, int(freq.strip()) if freq else None, tag.strip() if tag else None


def token_spans(words: Iterable[str], text: str) -> tuple[list[tuple[int, int]], list[bool]]:
    """The tokens spaCy's Doc makes of ``words`` cut from ``text``, as (start, end) offsets, and
    whether each is followed by a single space (``spacy.util.get_words_and_spaces``, in linear time).

    A whitespace word is dropped; the text between two words (more than one space, a line break)
    becomes a token of its own; a single space after a word is that word's trailing space.
    spaCy's version searches ``text[pos:]``, copying the rest of the text for every word, which
    is quadratic in the length of a document; this one searches from ``pos`` in place.
    """
    words = words if isinstance(words, list) else list(words)
    tiled = _tiled(words, text)
    if tiled is not None:
        spans, trailing = tiled
        spaces = [False] * len(spans)
        for k in trailing:
            spaces[k] = True
        return spans, spaces
    out: list[tuple[int, int]] = []
    spaces: list[bool] = []
    append, space = out.append, spaces.append
    n = len(text)
    pos = 0  # end of the text the tokens cover
    for w in words:
        if not w or w.isspace():
            continue
        i = text.find(w, pos)
        if i < 0:
            raise ValueError(f"token {w!r} not found in the text after offset {pos}")
        if i > pos:
            append((pos, i))
            space(False)
        e = i + len(w)
        append((i, e))
        if e < n and text[e] == " ":
            space(True)
            pos = e + 1
        else:
            space(False)
            pos = e
    if pos < n:
        append((pos, n))
        space(False)
    return out, spaces


def token_offsets(words: Iterable[str], text: str) -> list[tuple[int, int]]:
    """The offsets of :func:`token_spans` alone (what the stages read), without the list of spaces."""
    words = words if isinstance(words, list) else list(words)
    tiled = _tiled(words, text)
    return tiled[0] if tiled is not None else token_spans(words, text)[0]


def _tiled(words: list[str], text: str) -> Optional[tuple[list[tuple[int, int]], list[int]]]:
    """:func:`token_spans` for a cut that tiles the text with words that are either all whitespace
    or hold none (as jieba's and rjieba's do), else None: the spans, and the indices of those
    followed by a single space.

    Each word's offset is then the sum of the lengths before it, and only the runs of
    whitespace words need a look: C-level passes over the words instead of a Python loop
    per word (three times faster). A run of one whitespace word other than a space (a line
    break, a tab: most runs) is a token as it stands, like the words around it.
    """
    if "".join(words) != text:
        return None
    ends = list(accumulate(map(len, words)))
    starts = [0] + ends[:-1]
    blank = [k for k, w in enumerate(words) if not w or w.isspace()]
    if sum(len(words[k]) for k in blank) != len(text) - len("".join(text.split())):
        return None  # a word mixes whitespace and other characters
    out: list[tuple[int, int]] = []
    trailing: list[int] = []
    prev, k, m = 0, 0, len(blank)
    while k < m:  # one run of whitespace words: blank[k] .. blank[j - 1]
        j = k + 1
        while j < m and blank[j] == blank[j - 1] + 1:
            j += 1
        first, last = blank[k], blank[j - 1]
        a, b = starts[first], ends[last]
        if first == last and a < b and text[a] != " ":  # a token as it stands: left to the words' run
            k = j
            continue
        out.extend(zip(starts[prev:first], ends[prev:first]))
        if first > prev and a < b and text[a] == " ":  # one space after a word: the word's trailing space
            trailing.append(len(out) - 1)
            a += 1
        if a < b:
            out.append((a, b))
        prev, k = last + 1, j
    out.extend(zip(starts[prev:], ends[prev:]))
    return out, trailing


def words_and_spaces(words: Iterable[str], text: str) -> tuple[list[str], list[bool]]:
    """``spacy.util.get_words_and_spaces`` in linear time (see :func:`token_spans`)."""
    spans, spaces = token_spans(words, text)
    return [text[a:b] for a, b in spans], spaces


_LOADED: set = set()


class RJieba:
    """An ``rjieba.Jieba`` with user dictionaries, cutting exactly as ``jieba.lcut``."""

    def __init__(self, userdicts: Iterable[str] = ()):
        import rjieba

        # rjieba builds its default instance (the whole default dictionary) on import: use it, as
        # jieba's pipeline uses jieba's global one, rather than building a second (0.3 s).
        self.seg = getattr(rjieba, "_DEFAULT_JIEBA", None) or rjieba.Jieba()
        for path in userdicts:
            self.load_userdict(path)

    def load_userdict(self, path: str) -> None:
        key = (id(self.seg), os.path.abspath(path))
        if key in _LOADED:  # the shared instance has it already
            return
        for word, freq, tag in userdict_entries(path):
            self.seg.add_word(word, freq, tag)
        _LOADED.add(key)

    def add_word(self, word: str, freq: int | None = None, tag: str | None = None) -> None:
        self.seg.add_word(word, freq, tag)

    def cut(self, text: str) -> list[str]:
        words = self.seg.cut(text, True)
        if not _ASCII_WORD.search(text):
            return words
        has = self.seg.has_word
        # the few words to re-split, found in one pass (isascii() first: most words are Chinese)
        fix = [k for k, w in enumerate(words)
               if w.isascii() and len(w) > 1 and _ASCII_WORD.fullmatch(w) and not has(w)]
        if not fix:
            return words
        out: list[str] = []
        prev = 0
        for k in fix:
            out.extend(words[prev:k])
            out.extend(x for x in RE_SKIP.split(words[k]) if x)
            prev = k + 1
        out.extend(words[prev:])
        return out

    lcut = cut

    def token_spans(self, text: str) -> list[tuple[int, int]]:
        """The (start, end) offsets of the tokens spaCy's Doc makes of ``cut(text)`` (:func:`token_spans`)."""
        return token_offsets(self.cut(text), text)


def __getattr__(name):  # the spaCy tokenizers live in syextract.tokenizers (they import spaCy)
    if name in ("JiebaTokenizer", "RJiebaTokenizer"):
        from . import tokenizers

        return getattr(tokenizers, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
