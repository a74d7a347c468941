"""Placeholder until the extractor lands (being written now)."""


def extract(ctx):
    return []
