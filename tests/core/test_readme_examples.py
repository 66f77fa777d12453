"""The README's search examples find what it says in the sample that ships with Reader:
not merely the guide quoting them, but a post holding the words."""

from __future__ import annotations

import re

import pytest

from reader.core.archive import load_archive
from reader.core.paths import bundled_seeds
from reader.core.search import scan_search
from tests.conftest import REPO

GUIDE = {"guide", "指南"}  # the sample's guide posts quote the examples themselves


def search_paragraph() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return readme.split("- **Search.**", 1)[1].split("\n- **", 1)[0]


def readme_examples() -> list[tuple[str, str]]:
    """(query, what it must find): ``X`` finds ``Y``, and each of the "one or two
    characters too (...)" list, which finds itself."""
    text = search_paragraph()
    pairs = re.findall(r"`([^`]+)` finds `([^`]+)`", text)
    listed = re.search(r"characters too\s*\(([^)]*)\)", text)
    assert listed is not None and pairs, "the README's search examples moved: update this test"
    return [(word, word) for word in re.findall(r"`([^`]+)`", listed.group(1))] + pairs


@pytest.mark.parametrize(("query", "found"), readme_examples())
def test_each_search_example_of_the_readme_finds_a_post_of_the_sample(query, found):
    archive = load_archive(bundled_seeds())
    posts = [archive.posts[hit.post_index] for hit in scan_search(query, archive)]
    news = [post for post in posts if not GUIDE & set(post.categories)]
    assert news, f"{query!r} finds only the guide in the sample"
    assert any(found in archive.read_body(post) for post in news)
