"""placeholders runs its regexes over the stretch of the text holding their characters (_stretch), which
reads "blank_after" and "after_mask" characters past the last one: the same gaps as a run over the whole
text, on corpus documents, example texts and random texts."""
import pytest

from syextract.extractors import placeholders
from syextract.extractors.base import Ctx, lexicon
from test_speed_people import corpus_texts, random_texts


def _gaps(text: str) -> list:
    return [(s.start, s.end, s.attrs) for s in placeholders.extract(Ctx(text=text))]


def _check(monkeypatch, texts) -> None:
    stretched = [_gaps(t) for t in texts]
    with monkeypatch.context() as m:
        m.setattr(placeholders, "_stretch", lambda text, chars, after: (0, len(text)))
        whole = [_gaps(t) for t in texts]
    for text, a, b in zip(texts, stretched, whole):
        assert a == b, text[:200]


def test_stretch_on_corpus_and_examples(monkeypatch):
    _check(monkeypatch, corpus_texts())


@pytest.mark.parametrize("seed", range(4))
def test_stretch_on_random_texts(monkeypatch, seed):
    lx = lexicon("placeholders")
    words = (lx["place_suffixes"] + lx["number_followers"] + lx["date_followers"] + lx["year_followers"]
             + lx["name_followers"] + lx["mask_words"] + ["20", "19", "__", "**", "□□", "xx", "www.", "a@b"])
    _check(monkeypatch, random_texts(seed, words, "_*□xX×○ \n aZ1.@镇名"))
