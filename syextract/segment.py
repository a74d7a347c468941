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
from typing import Iterable

from spacy.lang.zh import ChineseTokenizer
from spacy.tokens import Doc
from spacy.util import DummyTokenizer

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


def words_and_spaces(words: Iterable[str], text: str) -> tuple[list[str], list[bool]]:
    """``spacy.util.get_words_and_spaces`` in linear time.

    spaCy's version searches ``text[pos:]``, copying the rest of the text for
    every word, which is quadratic in the length of a document; this one
    searches from ``pos`` in place and gives the same words and spaces.
    """
    words = list(words)
    # jieba's and rjieba's cuts tile the text: each word's offset is then the sum of the lengths
    # before it, and no search is needed (half the time)
    tiled = "".join(words) == text
    out_w: list[str] = []
    out_s: list[bool] = []
    pos, at, n = 0, 0, len(text)  # end of the text the output covers; offset of the word when tiled
    for w in words:
        i = at
        at += len(w)
        if not w or w.isspace():
            continue
        if not tiled:
            i = text.find(w, pos)
            if i < 0:
                raise ValueError(f"token {w!r} not found in the text after offset {pos}")
        if i > pos:
            out_w.append(text[pos:i])
            out_s.append(False)
        out_w.append(w)
        pos = i + len(w)
        if pos < n and text[pos] == " ":
            out_s.append(True)
            pos += 1
        else:
            out_s.append(False)
    if pos < n:
        out_w.append(text[pos:])
        out_s.append(False)
    return out_w, out_s


class JiebaTokenizer(ChineseTokenizer):
    """spaCy's zh tokenizer with ``segmenter="jieba"``, aligning words in linear time."""

    def __init__(self, vocab):
        super().__init__(vocab, segmenter="jieba")

    def __call__(self, text: str) -> Doc:
        words, spaces = words_and_spaces(self.jieba_seg.cut(text, cut_all=False), text)
        return Doc(self.vocab, words=words, spaces=spaces)


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
        out: list[str] = []
        has = self.seg.has_word
        for w in words:
            if len(w) > 1 and _ASCII_WORD.fullmatch(w) and not has(w):
                out.extend(x for x in RE_SKIP.split(w) if x)
            else:
                out.append(w)
        return out

    lcut = cut


class RJiebaTokenizer(DummyTokenizer):
    """A spaCy tokenizer giving the same Doc as spaCy's zh tokenizer with jieba, via rjieba."""

    def __init__(self, vocab, userdicts: Iterable[str] = ()):
        self.vocab = vocab
        self.segmenter = "rjieba"
        self.rjieba_seg = RJieba(userdicts)

    def __call__(self, text: str) -> Doc:
        words, spaces = words_and_spaces(self.rjieba_seg.cut(text), text)
        return Doc(self.vocab, words=words, spaces=spaces)
