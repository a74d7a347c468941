"""The part-of-speech tag of a word in jieba's dictionary (plus the domain dictionary), looked up on demand.

Extractors ask for the tags of a few hundred words per document (is 热水器 a
noun, is 开放 a verb). The reference answer is jieba's ``dict.txt`` read into
a table of 349,000 words (:func:`full_table`), which costs about 0.16 s at
start-up, a tenth of the cold start of ``syextract extract``.

:class:`TagTable` answers the same without that table. rjieba (jieba-rs)
holds the same dictionaries: ``has_word`` says whether a word is in them and
``tag`` gives its tag when the word cuts as one token. For the few thousand
words that do not (一七 cuts as 一|七, a domain word without a tag), the answer
is in the shipped file ``lexicons/jieba_tag_exceptions.txt``, generated from
the full table by ``python -m syextract.tagtable`` and stamped with the
dictionaries and rjieba version it was made from. When the stamp does not
match what is installed, or rjieba is missing, :func:`tag_table` falls back to
the full table. ``tests/test_segment.py`` checks every word of both
dictionaries against the full table.
"""
from __future__ import annotations

import glob
import hashlib
import importlib.util
import os
from typing import Optional

LEXICON_DIR = os.path.join(os.path.dirname(__file__), "lexicons")
DOMAIN_DICT = os.path.join(LEXICON_DIR, "jieba_domain.txt")
EXCEPTIONS = os.path.join(LEXICON_DIR, "jieba_tag_exceptions.txt")
_NONE = "-"  # a word rjieba knows that has no tag in the table


def _jieba_dict() -> Optional[str]:
    """jieba's dictionary file, found without importing jieba (0.13 s, which the rjieba pipeline never needs)."""
    spec = importlib.util.find_spec("jieba")
    return os.path.join(os.path.dirname(spec.origin), "dict.txt") if spec and spec.origin else None


def full_table() -> dict[str, str]:
    """Tag of every word of jieba's dictionary, then of the domain dictionary (which overrides), as jieba reads them."""
    tags: dict[str, str] = {}
    for path in (_jieba_dict(), DOMAIN_DICT):
        if path is None:
            continue
        with open(path, encoding="utf-8") as f:
            data = f.read()
        words = data.split()
        lines = data.count("\n") + (not data.endswith("\n"))
        if len(words) == 3 * lines and data.count(" ") == 2 * lines and "\t" not in data and "\r" not in data:
            tags.update(zip(words[0::3], words[2::3]))  # every line "word freq tag": one split, no loop
            continue
        for line in data.splitlines():
            parts = line.split()
            if len(parts) == 3:
                tags[parts[0]] = parts[2]
    return tags


def stamp() -> str:
    """What the exceptions depend on: the size of jieba's dictionary, the domain dictionary's
    digest and the installed rjieba release."""
    jd = _jieba_dict()
    size = os.path.getsize(jd) if jd else 0
    with open(DOMAIN_DICT, "rb") as f:
        domain = hashlib.sha256(f.read()).hexdigest()[:16]
    spec = importlib.util.find_spec("rjieba")
    release = "none"
    if spec and spec.origin:
        site = os.path.dirname(os.path.dirname(spec.origin))
        found = sorted(glob.glob(os.path.join(site, "rjieba-*.dist-info")))
        release = os.path.basename(found[-1])[len("rjieba-"):-len(".dist-info")] if found else "unknown"
    return f"jieba-dict-bytes={size} domain-sha256={domain} rjieba={release}"


class TagTable:
    """``get(word)``: the word's tag as :func:`full_table` gives it, or None (or ``default``)."""

    def __init__(self, seg, exceptions: dict[str, Optional[str]]):
        self._has = seg.has_word
        self._tag = seg.tag
        self._exceptions = exceptions

    def _rjieba(self, word: str) -> Optional[str]:
        if not word or not self._has(word):
            return None
        cut = self._tag(word, False)
        return cut[0][1] if len(cut) == 1 else None

    def get(self, word: str, default=None):
        try:
            tag = self._exceptions[word]
        except KeyError:
            tag = self._rjieba(word)
        return default if tag is None else tag


def _segmenter():
    from .segment import RJieba

    return RJieba([DOMAIN_DICT]).seg  # the pipeline's instance: the same dictionaries


def read_exceptions(path: str = EXCEPTIONS) -> tuple[Optional[str], dict[str, Optional[str]]]:
    """(stamp, {word: tag or None}) from the exceptions file."""
    if not os.path.exists(path):
        return None, {}
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    head = lines[0][2:] if lines and lines[0].startswith("# ") else None
    out: dict[str, Optional[str]] = {}
    for line in lines[1:]:
        word, _, tag = line.rpartition(" ")
        out[word] = None if tag == _NONE else tag
    return head, out


def exceptions(table: dict[str, str], seg) -> dict[str, Optional[str]]:
    """The words on which rjieba's answer differs from ``table`` (of both dictionaries' words)."""
    probe = TagTable(seg, {})
    words = set(table)
    with open(DOMAIN_DICT, encoding="utf-8") as f:
        words.update(line.split()[0] for line in f if line.strip())
    return {w: table.get(w) for w in sorted(words) if probe.get(w) != table.get(w)}


def write_exceptions(path: str = EXCEPTIONS) -> int:
    exc = exceptions(full_table(), _segmenter())
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"# {stamp()}\n")
        for w, tag in exc.items():
            f.write(f"{w} {tag if tag is not None else _NONE}\n")
    return len(exc)


def tag_table():
    """A :class:`TagTable` when the shipped exceptions fit the installed dictionaries and rjieba,
    else the full table (a dict)."""
    if importlib.util.find_spec("rjieba") is not None:
        head, exc = read_exceptions()
        if head is not None and head == stamp():
            return TagTable(_segmenter(), exc)
    return full_table()


if __name__ == "__main__":  # regenerate the exceptions after changing the domain dictionary or upgrading rjieba
    n = write_exceptions()
    print(f"{n} exceptions written to {EXCEPTIONS} ({stamp()})")
