"""What a link does: open a post, select a node, go to the browser, or nothing."""

from __future__ import annotations

import pytest

from reader.core.archive import load_archive
from reader.core.links import LinkTarget, classify
from tests.conftest import post_text


@pytest.fixture
def archive(write_archive):
    return load_archive(
        write_archive(
            {
                "_posts/2022-06-01-first-post.md": post_text(categories="cailianshe", tags="财联社新闻"),
                "old_post/2022-05-01-NW2.md": post_text(date="2022-05-01"),
            }
        )
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("//finews.withounder.com/category/cailianshe.html", LinkTarget("category", "cailianshe")),
        ("/category/cailianshe.html", LinkTarget("category", "cailianshe")),
        ("/categories/cailianshe/", LinkTarget("category", "cailianshe")),
        ("/tags/财联社新闻/", LinkTarget("tag", "财联社新闻")),
        ("/tag/%E8%B4%A2%E8%81%94%E7%A4%BE%E6%96%B0%E9%97%BB.html", LinkTarget("tag", "财联社新闻")),
        ("reader:category/cailianshe", LinkTarget("category", "cailianshe")),
        ("reader:post/2022-06-01-first-post", LinkTarget("post", "2022-06-01-first-post.md")),
        ("reader:file/_posts/2022-06-01-first-post.md", LinkTarget("post", "2022-06-01-first-post.md")),
        ("/2022/06/01/first-post.html", LinkTarget("post", "2022-06-01-first-post.md")),
        ("2022-05-01-NW2.md", LinkTarget("post", "2022-05-01-NW2.md")),
        ("https://example.com/page", LinkTarget("external", "https://example.com/page")),
        ("//example.com/page", LinkTarget("external", "https://example.com/page")),
        ("/category/unknown.html", LinkTarget("none")),
        ("javascript:alert(1)", LinkTarget("none")),
        ("JavaScript:alert(1)", LinkTarget("none")),
        ("data:text/html,<b>x</b>", LinkTarget("none")),
        ("file:///etc/passwd", LinkTarget("none")),
        ("mailto:someone@example.com", LinkTarget("none")),
        ("reader:unknown/x", LinkTarget("none")),
        ("reader:post/not-there", LinkTarget("none")),
    ],
)
def test_classify(archive, url, expected):
    assert classify(url, archive) == expected
