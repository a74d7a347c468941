"""The lexicons (syextract/lexicons/*.yaml) are data the extractors trust: a key written twice in
one mapping silently replaces the first (YAML keeps the last), so a new entry can undo an old one
unseen. Every mapping in every lexicon must have distinct keys."""
import glob
import os

import pytest
import yaml

LEXICONS = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "syextract", "lexicons", "*.yaml")))


class _StrictLoader(yaml.SafeLoader):
    pass


def _mapping(loader, node, deep=False):
    seen = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first at line {seen[key] + 1})", key_node.start_mark)
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


@pytest.mark.parametrize("path", LEXICONS, ids=os.path.basename)
def test_no_key_twice(path):
    with open(path, encoding="utf-8") as f:
        yaml.load(f, Loader=_StrictLoader)


def test_the_check_sees_a_duplicate():
    with pytest.raises(yaml.constructor.ConstructorError, match="duplicate key 'a'"):
        yaml.load("a: 1\nb: 2\na: 3\n", Loader=_StrictLoader)
