"""The tour notebook runs clean in the suite (nbclient), so it cannot rot."""
import os

import pytest

HERE = os.path.dirname(__file__)
NOTEBOOK = os.path.join(os.path.dirname(HERE), "notebooks", "tour.ipynb")


def test_tour_notebook_executes():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": os.path.dirname(NOTEBOOK)}})
    client.execute()  # raises CellExecutionError on any failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any(o.get("output_type") == "display_data" and "image/png" in o.get("data", {}) for o in outputs), \
        "the plots did not render"
    printed = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "time moved" in printed and "completion" in printed
