"""Placeholder until the linker lands (being written now)."""


def extract(ctx):
    return []
