"""A big post in pieces: read from disk a block at a time, and cut where each piece
renders alone as its part of the whole."""

from __future__ import annotations

import html as html_module
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core import front_matter
from reader.core.archive import read_body
from reader.core.pieces import READ_BLOCK, BodyPieces, cut, split
from reader.core.render import render_body
from tests.conftest import REPO

NEWS = "".join(f"<p>第{i}段：央行公布人民币汇率中间价，市场保持稳定。</p>" for i in range(400))


def visible(html: str) -> str:
    """The words of some HTML, without tags or spacing."""
    return re.sub(r"\s+", "", re.sub(r"<[^>]*>", "", html))


def test_news_html_on_one_line_is_cut_after_whole_paragraphs():
    pieces = list(split(NEWS, 1000))
    assert len(pieces) > 10
    assert "".join(pieces) == NEWS  # nothing added, nothing lost
    assert all(len(p) <= 1000 and p.startswith("<p>") and p.endswith("</p>") for p in pieces)


def test_markdown_is_cut_at_blank_lines_first():
    text = "\n\n".join(f"Paragraph {i} has\nseveral lines of text in it." for i in range(200))
    pieces = list(split(text, 500, markdown=True))
    assert "".join(pieces) == text
    assert all(p.endswith("\n\n") for p in pieces[:-1])


def test_a_code_fence_longer_than_a_piece_is_closed_and_reopened():
    code = "\n".join(f"line {i} = {{'x': {i}}}" for i in range(300))
    text = f"Before.\n\n```python\n{code}\n```\n\nAfter.\n"
    pieces = list(split(text, 600, markdown=True))
    assert len(pieces) > 5
    html = [render_body(piece).html for piece in pieces]
    assert "```" not in "".join(html)  # every piece is a whole code block
    assert all("<pre>" in h for h in html[1:-1])
    shown = html_module.unescape(re.sub(r"<[^>]+>", "", "".join(html)))
    assert all(f"line {i} =" in shown for i in range(300))
    shown = "".join(html)
    assert shown.count("language-python") == len(pieces) - (not html[-1].count("language-python"))


def test_a_table_longer_than_a_piece_is_a_table_in_every_piece():
    rows = "".join(f"<tr><td>{i}</td><td>股价{i}</td></tr>" for i in range(300))
    text = f'<p>前言</p><table class="quotes"><tbody>{rows}</tbody></table><p>结尾</p>'
    pieces = list(split(text, 800))
    assert len(pieces) > 5
    for piece in pieces:
        assert piece.count("<table") == piece.count("</table>")
        assert piece.count("<tbody") == piece.count("</tbody>")
    assert all(p.startswith('<table class="quotes"><tbody>') for p in pieces[1:-1])
    assert visible("".join(pieces)) == visible(text)


def test_a_comment_across_a_cut_never_shows():
    text = "<p>a</p><!-- " + "hidden " * 400 + "--><p>b</p>"
    pieces = list(split(text, 500))
    shown = "".join(render_body(p, extension=".html").html for p in pieces)
    assert "hidden" not in re.sub(r"<!--.*?-->", "", shown, flags=re.S)
    assert "<p>a</p>" in shown and "<p>b</p>" in shown


def test_liquid_raw_across_a_cut_keeps_its_braces():
    text = "{% raw %}\n" + "{{ page.title }} stays\n" * 100 + "{% endraw %}\nafter\n"
    pieces = list(split(text, 400, markdown=True))
    shown = "".join(render_body(p).html for p in pieces)
    assert shown.count("{{ page.title }} stays") == 100


def test_text_with_no_place_to_cut_is_cut_at_the_limit():
    assert [len(p) for p in split("字" * 1000, 300)] == [300, 300, 300, 100]
    where = cut("x" * 290 + '<img src="a.png" alt="unfinished', 300)
    assert where.at == 290  # not inside the tag


TOKENS = [
    "<p>", "</p>", "\n", "\n\n", "文字", "word ", "<br>", "<table>", "</table>", "<tr><td>x</td></tr>",
    "<div>", "</div>", "<!--", "-->", "<pre>", "</pre>", "```\n", "{% raw %}", "{% endraw %}", "<ul><li>",
    "</li></ul>", "<", ">",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=300), st.integers(40, 400), st.booleans())
def test_split_always_ends_and_keeps_pieces_near_the_limit(tokens, limit, markdown):
    text = "".join(tokens)
    pieces = list(split(text, limit, markdown=markdown))
    assert sum(len(p) for p in pieces) >= len(text) or not text
    opening = limit // 4  # the longest opening a piece takes on
    assert all(len(p) <= limit + opening + 200 for p in pieces)
    plain = [t for t in tokens if t in ("<p>", "</p>", "\n", "\n\n", "文字", "word ", "<br>")]
    if len(plain) == len(tokens):  # nothing to close and reopen: the pieces are the text
        assert "".join(pieces) == text


def write_post(path: Path, body: str | bytes, front: str = 'title: "Big"\ndate: 2022-06-01') -> Path:
    data = body if isinstance(body, bytes) else body.encode("utf-8")
    path.write_bytes(f"---\n{front}\n---\n".encode() + data)
    return path


def test_body_pieces_read_a_big_file_as_read_body_does(tmp_path):
    body = NEWS * 30  # ~1.8 MB
    path = write_post(tmp_path / "big.md", body)
    with BodyPieces(path, 10_000) as pieces:
        assert pieces.size == path.stat().st_size
        first = pieces.next_piece()
        assert first is not None and first.startswith("<p>第0段") and len(first) <= 10_000
        assert 0 < pieces.remaining < pieces.size
        rest = list(pieces)
        assert pieces.done and pieces.remaining == 0
    assert first + "".join(rest) == body == read_body(path)


def test_body_pieces_of_gb18030_with_crlf_and_no_front_matter(tmp_path):
    body = "\r\n".join(f"第{i}行：人民币汇率。" for i in range(60_000))
    path = tmp_path / "gb.txt"
    path.write_bytes(body.encode("gb18030"))
    with BodyPieces(path, 5000) as pieces:
        assert pieces.encoding == "gb18030"
        assert "".join(pieces) == body


def test_body_pieces_drop_a_bom_and_show_bad_bytes_past_the_first_block(tmp_path):
    good = "<p>好</p>" * (READ_BLOCK // 8)
    path = tmp_path / "mixed.md"
    path.write_bytes(front_matter.BOM + b"---\ntitle: x\n---\n" + good.encode() + b"\xff\xfe<p>end</p>")
    with BodyPieces(path, 50_000) as pieces:
        text = "".join(pieces)
    assert pieces.encoding == "utf-8"
    assert text.startswith("<p>好</p>") and text.endswith("\ufffd\ufffd<p>end</p>")


def test_body_pieces_refuse_a_file_that_is_no_text(tmp_path):
    path = tmp_path / "binary.md"
    path.write_bytes(b"\x81\x00\xff" * 1000)
    with pytest.raises(front_matter.UndecodableError):
        BodyPieces(path, 1000)


def test_read_body_with_a_limit_reads_only_that_much(tmp_path):
    body = "央" * 400_000  # 1.2 MB of UTF-8, three bytes a character
    path = write_post(tmp_path / "big.md", body)
    header = len(path.read_bytes()) - len(body.encode())
    # A limit that cuts a character in two: the part read is still UTF-8, not GB18030.
    limited = read_body(path, header + 3 * 1000 + 2)
    assert limited == "央" * 1000
    assert read_body(path, 10**9) == body
    # A front matter not closed within the limit: no body rather than the front matter.
    long_front = write_post(tmp_path / "front.md", "body", front="title: x\n" + "tags: a\n" * 1000)
    assert read_body(long_front, 100) == ""


def test_reading_a_50_mb_body_a_piece_at_a_time_holds_only_a_piece(tmp_path):
    """Peak memory of a child process going through a 50 MB post's pieces: bounded
    (all of it at once: the bytes, the text and the body, 150 MB and more)."""
    path = write_post(tmp_path / "huge.md", NEWS * 1700)
    assert path.stat().st_size > 50_000_000
    code = (
        "import sys\n"
        "from reader.core.pieces import BodyPieces\n"
        "def peak():\n"
        "    with open('/proc/self/status') as status:\n"
        "        return next(int(l.split()[1]) for l in status if l.startswith('VmHWM:'))\n"
        "before = peak()\n"
        "with BodyPieces(sys.argv[1], 32_000) as pieces:\n"
        "    count = sum(1 for _ in pieces)\n"
        "print(count, peak() - before)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True, cwd=REPO
    )
    count, grown_kb = (int(value) for value in result.stdout.split())
    assert count > 500
    assert grown_kb < 20_000, f"reading grew the process by {grown_kb} KB"
