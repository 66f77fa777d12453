"""Rendering speed: a post's body to the reading pane's HTML (Liquid, Markdown, sanitizer),
as :func:`reader.core.render.render_body` does it on the viewer's worker thread.

Goals (issue 20): a typical post ≤ 5 ms; a 1 MB HTML post ≤ 200 ms; a 1 MB Markdown post
≤ 1 s. Each case is timed as the median of several runs, after one warm-up run; the
baseline is Python-Markdown alone on the same text, measured in the same run (these
machines are shared: compare the ratio).

    .venv/bin/python -m tests.benchmarks.rendering [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

import markdown

from reader.core.render import render_body
from tests.benchmarks.generate import _paragraph

GOALS_MS = {"typical news post (.md, 3 KB)": 5, "typical blog post (.md, 8 KB, Liquid)": 5,
            "1 MB HTML post": 200, "1 MB Markdown post": 1000}  # fmt: skip


def news_post(rng: random.Random, size: int) -> str:
    """Raw HTML paragraphs of Chinese text and the two Markdown link lines of a news post."""
    parts, total = [], 0
    while total < size:
        paragraph = _paragraph(rng, [])
        parts.append(paragraph)
        total += len(paragraph.encode())
    return "".join(parts) + "\n\n<http://finews.example/a.html>\n\n[返回](//finews.example/category/c.html)\n"


def markdown_post(rng: random.Random, size: int) -> str:
    """A blog post in Markdown: headers, paragraphs with emphasis and links, lists, code."""
    words = ["reader", "jekyll", "archive", "post", "liquid", "markdown", "render", "window", "text", "link"]
    parts, total, section = [], 0, 0
    while total < size:
        section += 1
        sentence = lambda: " ".join(rng.choice(words) for _ in range(12)).capitalize() + "."  # noqa: E731
        block = (
            f"## Section {section}\n\n{sentence()} *{sentence()}* [a link](https://example.com/{section}) "
            f'and `code`. "Quoted" -- {sentence()}\n\n- {sentence()}\n- {sentence()}\n\n'
            f"```python\ndef f{section}(x):\n    return x * {section}\n```\n\n> {sentence()}\n\n"
        )
        parts.append(block)
        total += len(block)
    return "".join(parts)


def liquid_post(rng: random.Random) -> str:
    body = markdown_post(rng, 8000)
    return (
        "{% assign n = 3 %}Posted in {{ page.categories | join: ', ' }}"
        " on {{ page.date | date: '%Y-%m-%d' }}.\n\n"
        + body
        + "\n\n{% for i in (1..n) %}- item {{ i }}\n{% endfor %}\n"
        "{% highlight ruby %}\nputs 1\n{% endhighlight %}\n"
    )


def timed(run: Callable[[], object], runs: int) -> float:
    run()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    rng = random.Random(20)
    page = {"title": "T", "categories": ["news"], "date": "2022-06-01"}
    cases = {
        "typical news post (.md, 3 KB)": (news_post(rng, 3000), ".md"),
        "typical blog post (.md, 8 KB, Liquid)": (liquid_post(rng), ".md"),
        "1 MB HTML post": (news_post(rng, 1_000_000), ".html"),
        "1 MB Markdown post": (markdown_post(rng, 1_000_000), ".md"),
    }
    failed = 0
    print(f"{'case':40} {'Reader ms':>10} {'goal ms':>8} {'Python-Markdown alone ms':>25}")
    for name, (body, extension) in cases.items():
        ours = timed(lambda b=body, e=extension: render_body(b, extension=e, page=page), options.runs)
        plain = (
            timed(lambda b=body: markdown.markdown(b), max(1, options.runs // 2)) if extension == ".md" else 0
        )
        goal = GOALS_MS[name]
        failed += ours > goal
        print(f"{name:40} {ours:10.1f} {goal:8} {plain:25.1f}{'' if ours <= goal else '  OVER'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
