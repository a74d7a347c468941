"""structure's one-match shortcuts stand for the plain steps they replace: each gives what the steps
give, on random lines made of the pieces they read and on every corpus line."""
import glob
import os
import random

import pytest

from syextract import structure
from syextract.normalize import normalize

ROOT = os.path.dirname(os.path.dirname(__file__))
PIECES = ["一、", "(二)", "3.", "①", "二是", "第一", " ", "  ", "\t", "\u3000", "*", "**", "。", "；", ";", ":",
          "，", ",", "加强组织领导", "成立工作小组", "各单位要高度重视", "x" * 25]


def _lines() -> list[str]:
    rng = random.Random(7)
    lines = ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 12))) for _ in range(4000)]
    for path in sorted(glob.glob(os.path.join(ROOT, "corpus", "docs", "*.*"))):
        with open(path, encoding="utf-8", errors="replace") as f:
            lines += normalize(f.read()).text.split("\n")
    return lines


def _plain_title(text: str, scheme) -> str:
    """The title as first written: the text up to its first stop, at most 60 characters, stripped."""
    stops = "，,。；;:" if scheme == "shi" else "。；;:"
    cut = min([k for k, ch in enumerate(text) if ch in stops] + [len(text), 60])
    return text[:cut].strip(" *")


@pytest.mark.parametrize("scheme", ["shi", "cn_dun", None])
def test_titles_are_the_plain_cut(scheme):
    """_title_of reads the title by one match, and _title_after the title of the text after a marker
    (lstripped, up to ``endpos``), not by a slice, an lstrip, a search for a stop and a slice."""
    rng = random.Random(5)
    for line in _lines():
        assert structure._title_of(line, scheme) == _plain_title(line, scheme), line
        pos = rng.randint(0, len(line))
        end = rng.randint(pos, len(line))
        assert structure._title_after(line, pos, end, scheme) == _plain_title(line[pos:end].lstrip(), scheme), line
