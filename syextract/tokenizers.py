"""The spaCy tokenizers of syextract's pipelines (``pipeline.load``): spaCy's zh tokenizer with jieba,
aligning words in linear time, and the same Doc from rjieba (``syextract.segment``).

Kept apart from :mod:`syextract.segment` because they import spaCy, which records alone
(``syextract.extract``, ``syextract extract``) do not need.
"""
from __future__ import annotations

from typing import Iterable

from spacy.lang.zh import ChineseTokenizer
from spacy.tokens import Doc
from spacy.util import DummyTokenizer

from .segment import RJieba, token_offsets, words_and_spaces


class JiebaTokenizer(ChineseTokenizer):
    """spaCy's zh tokenizer with ``segmenter="jieba"``, aligning words in linear time."""

    def __init__(self, vocab):
        super().__init__(vocab, segmenter="jieba")

    def __call__(self, text: str) -> Doc:
        words, spaces = words_and_spaces(self.jieba_seg.cut(text, cut_all=False), text)
        return Doc(self.vocab, words=words, spaces=spaces)

    def token_spans(self, text: str) -> list[tuple[int, int]]:
        """The (start, end) offsets of the tokens ``self(text)`` would make, without making the Doc."""
        return token_offsets(self.jieba_seg.lcut(text, cut_all=False), text)


class RJiebaTokenizer(DummyTokenizer):
    """A spaCy tokenizer giving the same Doc as spaCy's zh tokenizer with jieba, via rjieba."""

    def __init__(self, vocab, userdicts: Iterable[str] = ()):
        self.vocab = vocab
        self.segmenter = "rjieba"
        self.rjieba_seg = RJieba(userdicts)

    def __call__(self, text: str) -> Doc:
        words, spaces = words_and_spaces(self.rjieba_seg.cut(text), text)
        return Doc(self.vocab, words=words, spaces=spaces)

    def token_spans(self, text: str) -> list[tuple[int, int]]:
        """The (start, end) offsets of the tokens ``self(text)`` would make, without making the Doc."""
        return self.rjieba_seg.token_spans(text)
