"""One module per category; each exposes ``extract(ctx) -> list[Span]``."""
