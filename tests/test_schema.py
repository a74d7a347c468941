"""The checked-in JSON Schema is generated from the pydantic models and must not drift."""
import json
import os

from syextract import records as R
from syextract.cli import main

ROOT = os.path.dirname(os.path.dirname(__file__))
SCHEMA = os.path.join(ROOT, "schemas", "document.schema.json")


def test_checked_in_schema_matches_models():
    with open(SCHEMA, encoding="utf-8") as f:
        checked_in = json.load(f)
    assert checked_in == R.document_schema(), "schemas/document.schema.json is stale: run `syextract schema`"


def test_schema_command_writes_the_same_file(tmp_path):
    out = tmp_path / "s.json"
    assert main(["schema", "-o", str(out)]) == 0
    with open(SCHEMA, encoding="utf-8") as f:
        assert f.read() == out.read_text(encoding="utf-8")


def test_spec_field_names_present():
    """The spec's field names are a public contract."""
    props = R.document_schema()["$defs"]
    assert {"id", "source", "title", "plans", "warnings"} <= set(R.Document.model_fields)
    assert {"path", "format", "encoding", "sha256", "chars"} <= set(R.SourceInfo.model_fields)
    assert {"id", "title", "start", "end", "issuer", "year", "sections", "activities", "times", "quantities",
            "people", "organizations", "placeholders"} <= set(props["Plan"]["properties"])
    assert {"id", "number", "title", "level", "parent", "start", "end"} <= set(props["Section"]["properties"])
    assert {"year", "month", "day", "month_end", "day_end", "festival", "part", "relation", "season",
            "recurrence", "placeholder", "iso"} <= set(props["TimeExpr"]["properties"])
    assert {"value", "unit", "of", "approx", "placeholder"} <= set(props["Quantity"]["properties"])
    assert {"name", "title", "role", "placeholder"} <= set(props["Person"]["properties"])
    assert {"name", "role", "kind"} <= set(props["Organization"]["properties"])
    assert {"action", "name", "times", "responsible", "quantities", "recurrence", "section"} <= set(
        props["Activity"]["properties"])
    assert {"kind"} <= set(props["Placeholder"]["properties"])
