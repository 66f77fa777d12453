"""Reader's rendering of a site's posts against Jekyll's build of the same site.

For each post Jekyll builds (not drafts, not ``published: false``, not future ones):
the visible text of Jekyll's page and of Reader's rendering (``reader.core.post_view``,
the reading pane's code, remote images shown), their similarity (difflib's ratio on the
text with whitespace collapsed), and their link targets and image sources, with Reader's
own ``reader:`` links written as the site's addresses (``{% post_url %}``, ``{% link %}``)
and ``//host`` as ``https://host`` on both sides. Used by the fidelity test and by
``python -m tests.fidelity.measure`` (Jekyll's own ``test/source``).
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote

from reader.core.archive import Archive, load_archive
from reader.core.kramdown import is_markdown
from reader.core.post import Post
from reader.core.post_view import render_post
from reader.core.site_vars import page_variables
from reader.core.visible_text import parse

#: The similarity of visible text a post must reach (the issue's goal).
SIMILARITY = 0.95


@dataclass
class PostComparison:
    path: str
    similarity: float
    links_missing: list[str] = field(default_factory=list)  # in Jekyll's page, not Reader's
    links_extra: list[str] = field(default_factory=list)  # in Reader's, not Jekyll's
    images_missing: list[str] = field(default_factory=list)
    images_extra: list[str] = field(default_factory=list)
    problems: tuple[str, ...] = ()
    jekyll_text: str = ""
    reader_text: str = ""
    note: str = ""  # when there is no page to compare with

    @property
    def matches(self) -> bool:
        return (
            not self.note
            and self.similarity >= SIMILARITY
            and not (self.links_missing or self.links_extra or self.images_missing or self.images_extra)
        )

    def report(self) -> str:
        verdict = "same" if self.matches else "DIFFERENT"
        parts = [f"{verdict:9} {self.similarity:.3f}  {self.path}"]
        if self.note:
            parts.append(f"    {self.note}")
        for label, values in (
            ("links only in Jekyll", self.links_missing),
            ("links only in Reader", self.links_extra),
            ("images only in Jekyll", self.images_missing),
            ("images only in Reader", self.images_extra),
            ("Reader's problems", list(self.problems)),
        ):
            if values:
                parts.append(f"    {label}: {values}")
        if self.similarity < 1 and not self.note:
            diff = difflib.unified_diff(
                self.jekyll_text.splitlines(),
                self.reader_text.splitlines(),
                "jekyll",
                "reader",
                lineterm="",
                n=0,
            )
            parts.extend(
                "    " + (line if len(line) < 160 else line[:157] + "…") for line in list(diff)[2:14]
            )
        return "\n".join(parts)


def build(source: Path, destination: Path) -> subprocess.CompletedProcess[str]:
    """``jekyll build`` of ``source`` into ``destination`` (Debian's jekyll, no plugins)."""
    jekyll = shutil.which("jekyll")
    assert jekyll is not None
    return subprocess.run(
        [jekyll, "build", "--quiet", "--source", str(source), "--destination", str(destination)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "JEKYLL_ENV": "production", "LANG": "C.UTF-8"},
        check=False,
    )


def _normal_text(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def _normal_url(url: str) -> str:
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    return unquote(url)


def _reader_links(links: list[str], archive: Archive, urls: dict[str, str]) -> list[str]:
    stems = archive.key_by_stem()
    paths = {post.path: post for post in archive.posts}
    shown = []
    for link in links:
        shown_link = link
        if link.startswith("reader:post/"):
            key = stems.get(unquote(link.removeprefix("reader:post/")))
            shown_link = urls.get(key, link) if key else link
        elif link.startswith("reader:file/"):
            post = paths.get(unquote(link.removeprefix("reader:file/")))
            shown_link = urls.get(post.key, link) if post else link
        shown.append(shown_link)
    return shown


def _built(post: Post, now: datetime) -> bool:
    return post.published and not post.draft and post.timestamp <= now.timestamp()


def _page_file(site: Path, url: str, output_ext: str) -> Path:
    """Where Jekyll writes the page at ``url`` (``Document#destination``)."""
    relative = unquote(url).lstrip("/")
    if not relative or relative.endswith("/"):
        relative += "index.html"
    if not relative.endswith(output_ext):
        relative += output_ext
    return site / relative


def compare_site(source: Path, site: Path, *, posts_only: bool = False) -> list[PostComparison]:
    """Every built post of the archive at ``source``, compared with Jekyll's ``site``;
    with ``posts_only``, only what Jekyll reads as posts (files in a ``_posts`` folder),
    not the files Reader also reads as posts elsewhere (``old_post/``)."""
    archive = load_archive(source, use_cache=False, workers=1)
    now = datetime.now(timezone.utc)
    posts = [
        post
        for post in archive.posts
        if _built(post, now) and (not posts_only or "/_posts/" in "/" + post.path)
    ]
    urls = {post.key: str(page_variables(archive, post)["url"]) for post in archive.posts}
    # Jekyll 4's post_url and link give the address under the site's baseurl.
    base = str(archive.config.values.get("baseurl") or "").rstrip("/")
    linked = {key: base + url for key, url in urls.items()}
    results = []
    for post in sorted(posts, key=lambda p: p.path):
        extension = os.path.splitext(post.path)[1]
        webpage = extension.lower() in (".html", ".htm") or is_markdown(extension, archive.config.values)
        output_ext = ".html" if webpage else extension
        page = _page_file(site, urls[post.key], output_ext)
        if not page.is_file():
            results.append(PostComparison(post.path, 0.0, note=f"Jekyll built no {urls[post.key]}"))
            continue
        jekyll_text, jekyll_links, jekyll_images = parse(page.read_text(encoding="utf-8", errors="replace"))
        rendered = render_post(archive, post, remote_images=True)
        reader_text, reader_links, reader_images = parse(rendered.html)
        reader_links = _reader_links(reader_links, archive, linked)
        one, other = _normal_text(jekyll_text), _normal_text(reader_text)
        similarity = (
            difflib.SequenceMatcher(None, one, other, autojunk=False).ratio() if one or other else 1.0
        )
        links_j, links_r = Counter(map(_normal_url, jekyll_links)), Counter(map(_normal_url, reader_links))
        images_j, images_r = (
            Counter(map(_normal_url, jekyll_images)),
            Counter(map(_normal_url, reader_images)),
        )
        results.append(
            PostComparison(
                post.path,
                similarity,
                sorted((links_j - links_r).elements()),
                sorted((links_r - links_j).elements()),
                sorted((images_j - images_r).elements()),
                sorted((images_r - images_j).elements()),
                rendered.problems,
                one,
                other,
            )
        )
    return results
