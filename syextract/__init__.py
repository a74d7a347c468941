"""syextract: typed, source-grounded records from Chinese 双拥 plan documents."""
from .pipeline import extract, load, process
from .records import Document

__all__ = ["extract", "load", "process", "Document", "to_frames", "displacy", "__version__"]
__version__ = "0.1.0"


def __getattr__(name):  # heavy optional parts (pandas, IPython) load on first use only
    if name == "to_frames":
        from .export import to_frames

        return to_frames
    if name == "displacy":
        from .display import displacy

        return displacy
    raise AttributeError(f"module 'syextract' has no attribute {name!r}")
