"""Quality floors on the corpus gold, scored by the user's scorer (vendored in benchmarks/score.py).

The floors are the issues' acceptance figures; a change that drops a category
below them fails here. `python benchmarks/quality.py --details` shows every miss.
"""
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(__file__))
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))

FLOORS = {  # category: (F1, attributes, links) over the whole corpus; the issues' acceptance figures
    # were 0.93/0.97/0.85/0.75/0.75 (links 0.70): these sit a little below what the 73 documents score
    # now (2026-11-29), so a change that loses ground fails here
    "times": (0.97, 0.97, None),
    "quantities": (0.98, 0.97, None),
    "placeholders": (0.99, None, None),
    "people": (0.95, 0.97, None),
    "organizations": (0.93, None, None),
    "activities": (0.92, None, 0.93),
}


@pytest.fixture(scope="module")
def scored():
    import quality

    return quality.evaluate()


def test_no_invalid_mentions_and_plans_split(scored):
    total, results = scored
    assert total["invalid_mentions"] == 0
    n = len(results)
    assert total["plans_split_ok"] == f"{n}/{n}"
    ok, all_ = total["plan_years_ok"].split("/")
    assert ok == all_


@pytest.mark.parametrize("category", list(FLOORS))
def test_category_floor(scored, category):
    total, _ = scored
    row = total["categories"][category]
    f1, attr, links = FLOORS[category]
    assert row["f1"] >= f1, row
    if attr is not None and row["attributes"] is not None:
        assert row["attributes"] >= attr, row
    if links is not None and row["links"] is not None:
        assert row["links"] >= links, row


def test_the_users_seed_stays_exact(scored):
    """The user's own sample: every gold item found, nothing extra, every attribute and link right."""
    _, results = scored
    seed = next(r for r in results if r["id"] == "seed")
    for cat in ("times", "quantities", "people", "organizations", "activities", "placeholders"):
        c = seed[cat]
        assert c["gold"] == c["pred"] == c["tp"], (cat, c)
        assert c["attr_ok"] == c["attr_total"], (cat, c)
    assert seed["activities"].get("link_ok", 0) == seed["activities"].get("link_total", 0), seed["activities"]
    assert seed["invalid"] == 0
