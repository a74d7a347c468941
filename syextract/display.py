"""``syextract.displacy(doc)``: spaCy's span visualiser on the extracted spans.

The spans are handed to displaCy in its manual "span" mode with one token
per character, so every highlighted span is exactly the mention's offsets
(no widening to jieba token boundaries).
"""
from __future__ import annotations

from typing import Optional, Sequence

from . import records as R

DEFAULT = ("times", "quantities", "people", "organizations", "placeholders")
COLORS = {"TIMES": "#ffd59a", "QUANTITIES": "#bfe8c4", "PEOPLE": "#f5c6e6", "ORGANIZATIONS": "#d9cfff",
          "PLACEHOLDERS": "#ffc4c4", "ACTIVITIES": "#cfe3ff"}


def displacy_data(doc: R.Document, text: str, categories: Sequence[str] = DEFAULT) -> dict:
    spans = []
    for plan in doc.plans:
        for cat in categories:
            for m in getattr(plan, cat):
                spans.append({"start_token": m.start, "end_token": m.end, "label": cat.upper()})
    spans.sort(key=lambda s: (s["start_token"], -s["end_token"]))
    return {"text": text, "tokens": list(text), "spans": spans}


def displacy(doc: R.Document, text: Optional[str] = None, categories: Sequence[str] = DEFAULT,
             jupyter: Optional[bool] = None, path: Optional[str] = None) -> str:
    """Render the document's mentions with ``spacy.displacy`` (style "span"); returns the HTML.

    ``text`` is the source text (read from ``doc.source.path`` or ``doc.source.text`` when omitted).
    """
    from spacy import displacy as _displacy

    if text is None:
        text = doc.source.text
    if text is None:
        from .io import read

        text = read(doc.source.path).text
    data = displacy_data(doc, text, categories)
    html = _displacy.render(data, style="span", manual=True, jupyter=False,
                            options={"colors": COLORS, "spans_key": "sc"})
    if path:
        with open(path, "w", encoding="utf-8") as f:
            f.write(html)
    if jupyter or (jupyter is None and _in_notebook()):
        from IPython.display import HTML, display

        display(HTML(html))
    return html


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython

        shell = get_ipython()
        return shell is not None and shell.__class__.__name__ == "ZMQInteractiveShell"
    except ImportError:
        return False
