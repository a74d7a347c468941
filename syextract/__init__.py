"""syextract: typed, source-grounded records from Chinese 双拥 plan documents."""
from .pipeline import extract, load, process
from .records import Document

__all__ = ["extract", "load", "process", "Document", "__version__"]
__version__ = "0.1.0"
