"""One post as the reading pane shows it, for the window and for scripts alike.

:func:`render_post` is what the viewer calls for a post's body and what
``reader render`` prints: Liquid with the archive's ``site`` and ``page``
(:mod:`reader.core.site_vars`), Markdown by the site's ``markdown_ext``, then the
sanitizer (:func:`reader.core.render.render_body`). :func:`body_problems` is what
``reader check`` says of a post's body: its Liquid that cannot run, and front matter
that Jekyll does not see.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

from reader.core import front_matter
from reader.core.archive import Archive
from reader.core.post import Post
from reader.core.render import Rendered, render_body
from reader.core.resources import open_post_file
from reader.core.site_vars import SiteVariables, page_variables, site_variables

#: The most of a post's file ``reader check`` reads for its body (a post is a few KB).
CHECK_LIMIT = 4 << 20

#: A blank line (or several) and then ``---``: front matter Jekyll does not read.
_LATE_FRONT_MATTER = re.compile(r"\A(?:[ \t]*\r?\n)+---[ \t]*\r?\n")


def render_post(
    archive: Archive,
    post: Post,
    body: str | None = None,
    *,
    site: SiteVariables | None = None,
    remote_images: bool | Callable[[str], bool] = False,
) -> Rendered:
    """The post's body (``body``, else read now) rendered as the viewer shows it."""
    if body is None:
        body = archive.read_body(post)
    return render_body(
        body,
        extension=os.path.splitext(post.path)[1],
        site=site if site is not None else site_variables(archive),
        page=page_variables(archive, post),
        remote_images=remote_images,
        root=str(archive.root),
        post_path=post.path,
    )


def body_problems(archive: Archive, post: Post, site: SiteVariables | None = None) -> list[str]:
    """What is wrong with the post's body for a reader: Liquid that cannot run (as its
    banner says), front matter after a blank line. Never raises for a bad file."""
    try:
        with open_post_file(post.path, archive.root) as file:
            raw = file.read(CHECK_LIMIT)
        text = front_matter.decode(raw, truncated=len(raw) >= CHECK_LIMIT).text
    except (OSError, front_matter.UndecodableError):
        return []  # the load has said so already
    problems: list[str] = []
    front, body = front_matter.split_text(text)
    if front is None and _LATE_FRONT_MATTER.match(text):
        problems.append("front matter does not start on the first line: Jekyll reads none")
    if "{%" in body or "{{" in body:
        from reader.core import jekyll_liquid

        site = site if site is not None else site_variables(archive)
        outcome = jekyll_liquid.run_liquid(
            body, site, page_variables(archive, post), root=str(archive.root), post_path=post.path
        )
        problems.extend(outcome.problems)
    return problems
