"""Post bodies to HTML: Markdown with raw HTML, Liquid, and what is never shown."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape

import msgspec
import pytest

from reader.core.post import Post
from reader.core.render import render_body, render_header


def html(body: str, **kwargs) -> str:
    return render_body(body, **kwargs).html


def test_markdown_with_raw_html_paragraphs():
    out = html("<p>一</p><p>二</p>\n\n<https://a.example/x>\n\n[返回](//site.example/category/c.html)\n")
    assert "<p>一</p>" in out and "<p>二</p>" in out
    assert '<a href="https://a.example/x">https://a.example/x</a>' in out
    assert '<a href="//site.example/category/c.html">返回</a>' in out


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("| a | b |\n|---|---|\n| 1 | 2 |\n", "<table>"),
        ("```python\nx = 1\n```\n", '<code class="language-python">'),
        ("```python\nx = 1\n```\n", '<div class="highlight">'),
        ("    indented\n", "<pre"),
        ("Text[^1]\n\n[^1]: A note.\n", 'class="footnote"'),
        ("A paragraph\n{: .lead }\n", '<p class="lead">'),
    ],
)
def test_markdown_extensions_real_posts_use(source, expected):
    assert expected in html(source)


def test_html_files_skip_markdown():
    out = html("*not emphasis* <b>bold</b>", extension=".html")
    assert "<em>" not in out and "<b>bold</b>" in out


def visible(fragment: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", fragment))


def test_liquid_highlight_becomes_a_coloured_code_block():
    out = html("{% highlight ruby linenos %}\nputs 1 < 2\n{% endhighlight %}\n")
    assert '<div class="highlight"><pre class="highlight"><code class="language-ruby">' in out
    assert '<span class="nb">puts</span>' in out
    assert "puts 1 < 2" in visible(out)


def test_liquid_raw_keeps_its_contents():
    out = html("{% raw %}Use {{ page.title }} and {% if x %}{% endraw %}")
    assert "Use {{ page.title }} and {% if x %}" in out


def test_liquid_post_url_and_link_become_reader_links():
    out = html("[next]({% post_url 2010-07-21-name %}) [file]({% link _posts/2016-07-26-name.md %})")
    assert 'href="reader:post/2010-07-21-name"' in out
    assert 'href="reader:file/_posts/2016-07-26-name.md"' in out


def test_liquid_site_and_page_variables():
    out = html(
        "{{ site.title }} · {{ site.author.name | upcase }} · {{ page.title }}",
        site={"title": "站点", "author": {"name": "A"}},
        page={"title": "T"},
    )
    assert "站点 · A · T" in out


@pytest.mark.parametrize(
    "source",
    [
        "{{ content }}",
        "{% if site.x %}shown{% endif %}",
        "{% for p in site.posts %}{{ p.title }}{% endfor %}",
        "{%- assign x = 1 -%}",
        "{% comment %}hidden{% endcomment %}",
        "{{ site.missing }}",
    ],
)
def test_other_liquid_is_run_and_leaves_no_markup(source):
    out = html(f"Before {source} after")
    assert "{%" not in out and "%}" not in out and "{{" not in out and "}}" not in out
    assert "Before" in out and "after" in out
    assert "hidden" not in out


def test_active_content_is_dropped():
    out = html('<script>alert(1)</script><iframe src="x"></iframe><style>p{}</style><p onclick="x">ok</p>')
    assert "alert" not in out and "<iframe" not in out and "<style" not in out
    assert "ok" in out


def test_remote_images_become_placeholders_with_alt_text():
    rendered = render_body(
        '<img src="https://cdn.example/a.jpg" alt="chart"> <img src="//cdn.example/b.png"> '
        '<img src="local.png" alt="l">'
    )
    assert rendered.remote_images == 2
    assert "[chart]" in rendered.html and "[image]" in rendered.html
    assert "cdn.example/a.jpg" not in rendered.html.replace('title="https://cdn.example/a.jpg"', "")
    assert '<img src="local.png" alt="l">' in rendered.html


def test_remote_images_kept_when_asked():
    rendered = render_body('<img src="https://cdn.example/a.jpg" alt="chart">', remote_images=True)
    assert "<img" in rendered.html and rendered.remote_images == 0


def test_original_url_is_the_autolink_line():
    assert (
        render_body("<p>x</p>\n\n<http://news.example/a?b=1>\n").original_url == "http://news.example/a?b=1"
    )
    assert render_body("no link").original_url is None


def test_header_has_links_and_problems_banner():
    post = Post(
        key="k",
        path="_posts/2022-06-01-x.md",
        title="标题 <b>",
        written=datetime(2022, 6, 1),
        utc_offset=None,
        timestamp=0.0,
        categories=("cailianshe", "a b"),
        tags=("财联社新闻",),
        published=False,
        draft=False,
        problems=("date is empty",),
    )
    out = render_header(post, "2022-06-01 00:00")
    assert "标题 &lt;b&gt;" in out
    assert 'href="reader:category/cailianshe"' in out and 'href="reader:category/a%20b"' in out
    assert 'href="reader:tag/%E8%B4%A2%E8%81%94%E7%A4%BE%E6%96%B0%E9%97%BB"' in out
    assert "unpublished" in out
    assert "date is empty" in out and "_posts/2022-06-01-x.md" in out


def test_prepare_loads_the_markdown_extensions_once(monkeypatch):
    """So that the first post a window shows does not wait ~25 ms for them."""
    import sys

    from reader.core import render

    monkeypatch.setattr(render, "_prepared", [])
    monkeypatch.delitem(sys.modules, "markdown.extensions.footnotes")
    render.prepare()
    assert "markdown.extensions.footnotes" in sys.modules
    made: list[object] = []
    monkeypatch.setattr(render.kramdown.markdown, "Markdown", lambda **options: made.append(options))
    render.prepare()
    assert made == [], "prepared once"


def test_header_flags_are_in_the_interfaces_words():
    draft = Post(
        key="k",
        path="_drafts/x.md",
        title="t",
        written=datetime(2022, 6, 1),
        utc_offset=None,
        timestamp=0.0,
        categories=(),
        tags=(),
        published=False,
        draft=True,
        problems=(),
    )
    unpublished = msgspec.structs.replace(draft, draft=False)
    words = {"draft": "草稿", "unpublished": "未发布"}
    assert '<span class="flag">草稿</span>' in render_header(draft, "d", words)
    assert '<span class="flag">未发布</span>' in render_header(unpublished, "d", words)
    assert "draft" not in render_header(draft, "d", words).replace("_drafts", "")


@pytest.mark.parametrize(
    "source",
    [
        "<sty<style></style>le>p { color: red }</style>",
        "<scr<script>ipt>alert(1)</script>",
        "<script><script></script>alert(1)</script>",
        "<svg><script>alert(1)</script></svg>",
        "<math><style><img src=x onerror=alert(1)></style></math>",
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        '<img src="x" onerror="alert(1)">',
        "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    ],
)
def test_nested_and_broken_active_html_leaves_nothing_live(source):
    out = html(source, extension=".html")
    assert "<script" not in out and "<style" not in out and "<iframe" not in out
    assert "onerror" not in out and "javascript" not in out.lower().replace("&#x09;", "")
    assert "<svg" not in out and "<math" not in out


def test_style_attributes_keep_only_what_names_no_resource():
    out = html(
        '<p style="color: red; background-image: url(/etc/x.png); position: fixed">s</p>', extension=".html"
    )
    assert 'style="color:red"' in out


def test_what_qt_shows_of_html4_is_kept():
    out = html(
        '<center><font color="#123456" size="5">f</font></center><table border="1" bgcolor="#eee">'
        '<tr><td colspan="2" bgcolor="red">c</td></tr></table>',
        extension=".html",
    )
    assert '<font color="#123456" size="5">' in out and "<center>" in out
    assert 'colspan="2"' in out and 'border="1"' in out


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("{% include footer.html %}", "include 'footer.html'"),
        ("{% unknown_tag with args %}", "unknown tag 'unknown_tag'"),
        ("{% if x %}never closed", "Liquid (body line 1)"),
    ],
)
def test_liquid_that_cannot_run_is_shown_as_written_with_a_problem(source, problem):
    rendered = render_body(f"Before {source} after\n\n{{{{ page.title }}}}", page={"title": "The title"})
    assert "Before" in rendered.html and "The title" in rendered.html
    assert any(problem in p for p in rendered.problems), rendered.problems
    assert "shown as written" in rendered.problems[0]


def test_jekyll_tags_and_filters_run(tmp_path):
    (tmp_path / "_includes" / "posts").mkdir(parents=True)
    (tmp_path / "_includes" / "posts" / "zh.md").write_text(
        "Included {{ include.who | upcase }} for {{ page.title }}\n", encoding="utf-8"
    )
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "note.md").write_text("Relative *text*\n", encoding="utf-8")
    body = (
        '{% assign lang = "zh" %}{% include posts/{{ lang }}.md who="reader" %}\n\n'
        "{% include_relative note.md %}\n\n"
        "{{ '/a b/' | relative_url }} {{ 'x' | absolute_url }} {{ 'Hello World!' | slugify }} "
        "{{ page.tags | array_to_sentence_string }} {{ '<a&b>' | xml_escape }} "
        "{{ site.list | where: 'k', 1 | map: 'v' | join: ',' }} "
        "{{ site.list | where_exp: 'i', 'i.k > 1' | map: 'v' | join: ',' }} "
        "{{ 'one two  three' | number_of_words }}\n"
    )
    rendered = render_body(
        body,
        site={
            "baseurl": "/blog",
            "url": "https://x.example",
            "list": [{"k": 1, "v": "a"}, {"k": 2, "v": "b"}],
        },
        page={"title": "T", "tags": ["x", "y", "z"]},
        root=str(tmp_path),
        post_path="_posts/2020-01-01-a.md",
    )
    assert rendered.problems == ()
    text = visible(rendered.html)
    assert "Included READER for T" in text
    assert "<em>text</em>" in rendered.html
    assert "/blog/a%20b/ https://x.example/blog/x hello-world x, y, and z <a&b> a b 3" in text


def test_an_include_never_reads_outside_the_archive(tmp_path):
    (tmp_path / "_includes").mkdir()
    for source in (
        "{% include ../../etc/hostname %}",
        "{% include /etc/hostname %}",
        "{% include_relative ../../../etc/hostname %}",
    ):
        rendered = render_body(source, root=str(tmp_path), post_path="_posts/a.md")
        assert rendered.problems and "not a file inside the archive" in rendered.problems[0]


def test_a_recursive_include_stops_with_a_problem(tmp_path):
    (tmp_path / "_includes").mkdir()
    (tmp_path / "_includes" / "loop.html").write_text("x{% include loop.html %}", encoding="utf-8")
    rendered = render_body("{% include loop.html %}", root=str(tmp_path), post_path="_posts/a.md")
    assert rendered.problems and "shown as written" in rendered.problems[0]


@pytest.mark.parametrize(
    ("extension", "site", "markdown"),
    [
        (".md", None, True),
        (".mkdown", None, True),
        (".markdown", None, True),
        (".txt", None, False),
        (".text", None, False),
        ("", None, False),
        (".html", None, False),
        (".txt", {"markdown_ext": "txt,md"}, True),
        (".mkd", {"markdown_ext": "md"}, False),
    ],
)
def test_markdown_extensions_follow_the_sites_markdown_ext(extension, site, markdown):
    assert ("<em>" in html("*x*", extension=extension, site=site)) is markdown


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            r"[Metro](http://en.wikipedia.org/wiki/Metro_(design_language\))",
            r'href="http://en.wikipedia.org/wiki/Metro_(design_language\)"',
        ),
        ("[Bal](http://x.example/a_(b))", 'href="http://x.example/a_(b)"'),
        (
            "See [[Feature #1]].\n\n[Feature #1]: https://bugs.example/1\n",
            '[<a href="https://bugs.example/1">Feature #1</a>]',
        ),
        ("## Hello, World! 2\n", '<h2 id="hello-world-2">'),
        ('"quote" -- dash --- em... it\'s\n', "“quote” – dash — em… it’s"),
    ],
)
def test_kramdown_conventions(source, expected):
    assert expected in html(source)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("~~struck~~ text", "<del>struck</del>"),
        ("Items:\n1. one\n2. two\n", "<ol>"),
        ("1. First\n2. Second\n   - nested\n   - nested too\n", "<li>Second<ul>\n<li>nested</li>"),
        ("Term\n: Its definition.\n", "<dd>Its definition.</dd>"),
        ("```\n1. not\na list\n```\n", "1. not\na list"),
    ],
)
def test_gfm_as_jekylls_kramdown_reads_it(source, expected):
    assert expected in html(source)


@pytest.mark.parametrize(
    "source",
    [
        "{% for i in (1..100000000) %}x{% endfor %}",
        "{% for i in (1..1000) %}{% for j in (1..1000) %}x{% endfor %}{% endfor %}",
        "{% assign s = 'xxxxxxxxxx' %}" + "{% capture s %}{{ s }}{{ s }}{% endcapture %}" * 40 + "{{ s }}",
        "{% if true %}" * 3000 + "deep" + "{% endif %}" * 3000,
    ],
)
def test_hostile_liquid_is_bounded_and_said(source):
    import time

    started = time.perf_counter()
    rendered = render_body(f"Before\n\n{source}\n\nafter")
    assert time.perf_counter() - started < 20
    assert "Before" in rendered.html and "after" in rendered.html
    assert rendered.problems, "the limit reached is a problem, not a silent cut"
    assert len(rendered.html) < 40 * 1024 * 1024


def test_a_body_markdown_cannot_take_leaves_the_next_post_unharmed():
    with pytest.raises(RecursionError):
        render_body("- " * 3000 + "x")
    after = html("<p>第一段。</p>\n\n[link](//x.example/)\n")
    assert "<p>第一段。</p>" in after and '<p><a href="//x.example/">link</a></p>' in after
