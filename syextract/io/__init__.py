"""Readers: a file (or bytes) -> :class:`Source` (exact source text + layout blocks)."""
from .source import Block, InputError, Source, read, read_bytes, read_text

__all__ = ["Block", "InputError", "Source", "read", "read_bytes", "read_text"]
