"""The bundled sample archive loads cleanly, except for the problems it shows on purpose."""

from __future__ import annotations

from reader.core.archive import load_archive
from reader.core.paths import bundled_seeds

ON_PURPOSE = "problems-on-purpose"


def test_bundled_sample_has_problems_only_on_purpose():
    archive = load_archive(bundled_seeds())
    assert archive.problems == []
    with_problems = [post for post in archive.posts if post.problems]
    assert with_problems, "the sample shows what a problem looks like"
    assert all(ON_PURPOSE in post.categories for post in with_problems)
    assert all(not post.problems for post in archive.posts if ON_PURPOSE not in post.categories)


def test_bundled_sample_covers_languages_years_and_forms():
    archive = load_archive(bundled_seeds())
    assert {"en", "zh", "guide", "指南", "examples", "cailianshe"} <= set(archive.by_category)
    assert len({post.date.year for post in archive.posts}) >= 4
    assert any(post.path.startswith("old_post/") for post in archive.posts)
    assert any(post.draft for post in archive.posts)
    assert any(not post.published and not post.draft for post in archive.posts)
