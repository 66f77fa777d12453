"""A hostile archive for the reading pane: posts that try every way a page can make Qt
read a file outside the archive, block on a named pipe, read a device without end, or
reach the network, in the shapes of OWASP's filter-evasion cheat sheet.

Beside the archive (``tmp/archive``) lies ``tmp/outside``: a solid magenta image and a
style sheet that turns text and backgrounds pure green. Nothing of either may ever be
opened or drawn. Post names tell what each must show:

- ``out-*``: shapes that reach outside; no magenta, no green, in any mode.
- ``css-*``: a post's own CSS that survives a naive filter; no green once rendered
  (the pane's style is the reader's, not the post's).
- ``control-*``: what must show (an image inside the archive: blue; magenta inside the
  archive: magenta; green text by a <font> tag: green), proving the pixel checks see.
- ``dev-*`` (the devices archive only): /dev/zero, a named pipe named like an image, links
  to them; the viewer must neither hang nor grow.
"""

from __future__ import annotations

import base64
import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

MAGENTA = (255, 0, 255)
BLUE = (0x33, 0x66, 0xCC)
GREEN_CSS = (
    "p, div, td, li, span, body, table { color: #00ff00 !important; background-color: #00ff00; }\n"
    "body { background: #00ff00; }\n"
)
#: Bigger than the pane's limit on one file (32 MiB).
HUGE_BYTES = 33 * 1024 * 1024


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A solid RGB PNG."""
    row = b"\x00" + bytes(rgb) * width
    return _png(width, height, zlib.compress(row * height, 9))


def _png(width: int, height: int, idat: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def bomb_png() -> bytes:
    """A small file that claims 60000 × 60000 pixels (about 14 GB decoded)."""
    return _png(60000, 60000, zlib.compress(b"\x00" * 200_000, 9))


def svg_reaching_out(outside: Path) -> bytes:
    image = f"file://{outside}/magenta.png"
    return (
        '<?xml version="1.0"?>\n'
        f'<?xml-stylesheet type="text/css" href="{outside}/evil.css"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="120" height="120">\n'
        f'<style>@import url("{outside}/evil.css");</style>\n'
        f'<image x="0" y="0" width="120" height="120" xlink:href="{outside}/magenta.png"/>\n'
        f'<image x="0" y="0" width="120" height="120" href="{image}"/>\n'
        '<image x="0" y="0" width="120" height="120" href="../../outside/magenta.png"/>\n'
        '<rect x="50" y="50" width="20" height="20" fill="#3366cc"/>\n'
        "</svg>\n"
    ).encode()


@dataclass(frozen=True)
class Corpus:
    root: Path  # the archive
    outside: Path  # what must never be read
    forbidden: tuple[str, ...]  # paths (files or folders) never to be opened
    posts: dict[str, str]  # post name -> its HTML


def table(attributes: str, cell_attributes: str = "", cell: str = "td") -> str:
    inner = f'<{cell} {cell_attributes} height="200">t</{cell}>'
    return f'<table {attributes} width="300"><tr>{inner}</tr></table>'


def images(*sources: str) -> str:
    return "".join(f'<img src="{source}" width="200" height="200">' for source in sources)


def _posts(outside: Path, root: Path, port: int) -> dict[str, str]:
    out = str(outside)
    up = "../" * 12
    http = f"http://127.0.0.1:{port}"
    magenta = f"{out}/magenta.png"
    magenta_b64 = base64.b64encode(svg_reaching_out(outside)).decode()
    big = 'width="200" height="200"'
    text = '<p><b><font size="7">TEXT TEXT TEXT</font></b></p>'
    shapes = {
        # plain references
        "abs-path": f'<img src="{magenta}" {big}>',
        "file-url": f'<img src="file://{magenta}" {big}>',
        "file-url-no-slashes": f'<img src="file:{magenta}" {big}>',
        "file-url-localhost": f'<img src="file://localhost{magenta}" {big}>',
        "file-upper-scheme": f'<img src="FILE://{magenta}" {big}>',
        "dotdot-cwd": f'<img src="{up}{magenta.lstrip("/")}" {big}>',
        "dotdot-post-folder": f'<img src="../../outside/magenta.png" {big}>',
        "dotdot-site-absolute": f'<img src="/../outside/magenta.png" {big}>',
        "dotdot-inside-path": f'<img src="/img/../../outside/magenta.png" {big}>',
        "backslashes": f'<img src="..\\..\\outside\\magenta.png" {big}>',
        # encodings
        "percent-dotdot": f'<img src="%2e%2e/%2e%2e/outside/magenta.png" {big}>',
        "percent-file-url": f'<img src="file://{quote(magenta, safe="")}" {big}>',
        "percent-slashes": f'<img src="..%2f..%2foutside%2fmagenta.png" {big}>',
        "entity-scheme": f'<img src="&#102;&#105;&#108;&#101;&#58;//{magenta}" {big}>',
        "entity-colon": f'<img src="file&#58;//{magenta}" {big}>',
        "entity-hex": f'<img src="&#x66;ile&#x3A;//{magenta}" {big}>',
        "entity-path": f'<img src="{magenta.replace("/", "&#47;")}" {big}>',
        "nul-byte": f'<img src="/img/inside.png%00/../../../outside/magenta.png" {big}>',
        "javascript-src": f'<img src="javascript:alert(1)" {big}><img src="&#106;avascript:x" {big}>',
        # attribute tricks
        "case-tag": f'<IMG SRC="{magenta}" WIDTH=200 HEIGHT=200>',
        "newlines": f'<img\nsrc\n=\n"{magenta}"\n{big}\n>',
        "tabs": f'<img\tsrc\t=\t"{magenta}"\t{big}>',
        "unquoted": f"<img src={magenta} width=200 height=200>",
        "single-quoted": f"<img src='{magenta}' {big}>",
        "backticks": f"<img src=`{magenta}` {big}>",
        "no-space": f'<img/src="{magenta}"/{big}>',
        "double-src": f'<img src="/img/missing.png" src="{magenta}" {big}>',
        "srcset": f'<img srcset="{magenta} 1x, file://{magenta} 2x" src="{magenta}" {big}>',
        "broken-tag": f'<img src="{magenta}" {big} <b>bold</b>',
        "nested-quote": f'<img """><img src="{magenta}" {big}>">',
        # backgrounds
        "table-background": table(f'background="{magenta}"'),
        "td-background": table("", f'background="file://{magenta}"'),
        "th-background": table("", f'background="{magenta}"', cell="th"),
        "body-background": f'<body background="{magenta}"><p>body</p></body>',
        "style-background-image": f'<p style="background-image: url({magenta}); height: 200px">s</p>',
        "style-background-quoted": f"<p style=\"background: url('file://{magenta}')\">s<br>s<br>s</p>",
        "style-background-entity": f'<div style="background-image:url(&quot;{magenta}&quot;)">d<br>d</div>',
        "style-background-escaped": f'<p style="background-image: u\\72l({magenta})">s<br>s</p>',
        "table-style-background": table(f'style="background-image: url({magenta})"'),
        # style sheets
        "style-import": f'<style>@import url("{outside}/evil.css");</style><p>text</p>',
        "style-import-bare": f'<style>@import "{outside}/evil.css";</style><p>text</p>',
        "style-import-file-url": f"<style>@import url(file://{outside}/evil.css);</style><p>text</p>",
        "style-import-broken-tag": f'<sty<style></style>le>@import url("{outside}/evil.css");</style>{text}',
        "style-import-unclosed": f'<p>text</p><style>@import url("{outside}/evil.css");',
        "style-url": f"<style>p {{ background-image: url({magenta}) }}</style><p>text<br>text<br>text</p>",
        "link-stylesheet": f'<link rel="stylesheet" href="{outside}/evil.css"><p>text</p>',
        "link-stylesheet-unquoted": f"<link rel=stylesheet href=file://{outside}/evil.css><p>text</p>",
        "link-upper": f'<LINK REL="STYLESHEET" HREF="{outside}/evil.css"><p>text</p>',
        # other elements
        "base-href": f'<base href="file://{outside}/"><img src="magenta.png" {big}>',
        "object": f'<object data="{magenta}" type="image/png" {big}></object><p>o</p>',
        "embed": f'<embed src="{magenta}" type="image/png" {big}><p>e</p>',
        "iframe": f'<iframe src="{outside}/page.html" {big}></iframe><p>i</p>',
        "input-image": f'<input type="image" src="{magenta}" {big}><p>i</p>',
        "video-poster": f'<video poster="{magenta}" {big}></video><p>v</p>',
        # links out of the archive, files that are not what their name says
        "symlink-file": f'<img src="/img/link.png" {big}><img src="../img/link.png" {big}>',
        "symlink-folder": f'<img src="/img/outdir/magenta.png" {big}>',
        "symlink-absolute-name": f'<img src="{root}/img/link.png" {big}>',
        "huge-image": f'<img src="/img/huge.png" {big}><img src="{root}/img/huge.png" {big}>',
        "pixel-bomb": f'<img src="/img/bomb.png" {big}><img src="{root}/img/bomb.png" {big}>',
        "svg-reaching-out": f'<img src="/img/evil.svg" {big}><img src="{root}/img/evil.svg" {big}>',
        "svg-named-png": f'<img src="/img/svg-as.png" {big}><img src="{root}/img/svg-as.png" {big}>',
        "svg-entities": images("/img/entities.svg"),
        "svg-data-url": f'<img src="data:image/svg+xml;base64,{magenta_b64}" {big}>',
        "proc-self": f'<img src="/proc/self/environ" {big}><img src="file:///proc/self/cmdline" {big}>',
        "etc-hostname": f'<img src="file:///etc/hostname" {big}><img src="/etc/passwd" {big}>',
        "etc-dotdot": f'<img src="{up}etc/passwd" {big}><img src="../../../etc/hostname" {big}>',
        "long-name": f'<img src="/{"a" * 5000}.png" {big}><img src="{"../" * 3000}x.png" {big}>',
        # the network
        "http-img": images(f"{http}/img.png", f"//127.0.0.1:{port}/scheme-relative.png"),
        "http-background": table(f'background="{http}/table.png"')
        + f'<p style="background-image: url({http}/style.png)">s</p>',
        "http-style": f'<link rel="stylesheet" href="{http}/link.css">'
        f"<style>@import url({http}/import.css);</style>"
        f'<sty<style></style>le>@import url("{http}/bypass.css");</style>{text}',
        "http-srcset": f'<img srcset="{http}/srcset.png 2x" {big}>',
    }
    posts = {f"out-{name}": html for name, html in shapes.items()}
    # A post over the size the pane shows at once is prepared by a worker and added a part
    # at a time, through documents of its own: the same shapes must read nothing there too.
    padding = "<p>" + "大文件填充文字。" * 700 + "</p>\n"  # 16.8 KB, over SYNC_BYTES
    for name in ("abs-path", "dotdot-cwd", "table-background", "style-import", "link-stylesheet",
                 "style-import-broken-tag", "etc-hostname", "http-style"):  # fmt: skip
        posts[f"out-big-{name}"] = padding + shapes[name]
    posts["control-big-inside-magenta"] = padding + f'<img src="/img/inside-magenta.png" {big}>'
    posts["out-markdown.md"] = (
        f"![abs]({magenta})\n\n![file](file://{magenta})\n\n![up](../../outside/magenta.png)\n\n"
        f"![ref][r]\n\n[r]: file://{magenta}\n\n![net]({http}/markdown.png)\n\n<{magenta}>\n"
    )
    posts["css-inline-broken-tag"] = f"<sty<style></style>le>p {{ color: #00ff00 }}</style>{text}"
    posts["css-inline-unclosed"] = f"{text}<style>p {{ color: #00ff00 }}"
    posts["css-inline-nested"] = f"<style><style></style>p {{ color: #00ff00 }}</style>{text}"
    posts["control-inside-image"] = f'<img src="/img/inside.png" {big}><img src="../img/inside.png" {big}>'
    posts["control-inside-magenta"] = f'<img src="/img/inside-magenta.png" {big}>'
    posts["control-green-text"] = (
        '<p><font color="#00ff00" size="7"><b>GREEN GREEN GREEN GREEN</b></font></p>'
    )
    posts["svg-inside"] = f'<img src="/img/clean.svg" {big}>'
    blue = base64.b64encode(png(64, 64, BLUE)).decode()
    posts["control-data-url"] = f'<img src="data:image/png;base64,{blue}" {big}>'
    return posts


def _devices(root: Path) -> dict[str, str]:
    big = 'width="200" height="200"'
    fifo = f"{root}/img/fifo.png"
    return {
        "dev-zero": f'<img src="/dev/zero" {big}><img src="file:///dev/zero" {big}>',
        "dev-zero-background": table('background="/dev/zero"')
        + '<p style="background-image: url(/dev/zero)">s</p>',
        "dev-zero-style": '<style>@import url("/dev/zero");</style><link rel="stylesheet" href="/dev/zero">',
        "dev-zero-link": images("/img/zero.png", f"{root}/img/zero.png"),
        "dev-fifo": images("/img/fifo.png", "../img/fifo.png", fifo),
        "dev-fifo-file-url": images(f"file://{fifo}") + table(f'background="{fifo}"'),
        "dev-fifo-style": f'<style>@import url("{fifo}");</style><link rel="stylesheet" href="{fifo}">',
        "dev-fifo-link": f'<img src="/img/fifolink.png" {big}><img src="{root}/img/fifolink.png" {big}>',
        "dev-stdin": f'<img src="/dev/stdin" {big}><img src="file:///dev/stdin" {big}>',
        "dev-huge": f'<img src="/img/huge.png" {big}><img src="{root}/img/huge.png" {big}>',
        "dev-bomb": f'<img src="/img/bomb.png" {big}><img src="{root}/img/bomb.png" {big}>',
        "control-inside-image": f'<img src="/img/inside.png" {big}>',
    }


def _post_file(name: str, html: str, number: int) -> tuple[str, str]:
    stem, _, extension = name.partition(".")
    date = f"2022-01-{1 + number // 24:02d} {number % 24:02d}:00:00 +0000"
    text = f'---\ntitle: "{stem}"\ndate: {date}\n---\n\n{html}\n'
    return f"_posts/2022-01-01-{stem}.{extension or 'html'}", text


def build(tmp: Path, port: int, *, devices: bool = False, only: tuple[str, ...] = ()) -> Corpus:
    """The hostile archive under ``tmp`` (``tmp/archive``, ``tmp/outside``), with only the
    posts whose names start with one of ``only`` when it is given."""
    outside = tmp / "outside"
    outside.mkdir(parents=True)
    (outside / "magenta.png").write_bytes(png(64, 64, MAGENTA))
    (outside / "evil.css").write_text(GREEN_CSS, encoding="utf-8")
    (outside / "page.html").write_text(f"<style>{GREEN_CSS}</style><p>page</p>", encoding="utf-8")
    root = tmp / "archive"
    (root / "_posts").mkdir(parents=True)
    images = root / "img"
    images.mkdir()
    (images / "inside.png").write_bytes(png(64, 64, BLUE))
    (images / "inside-magenta.png").write_bytes(png(64, 64, MAGENTA))
    (images / "link.png").symlink_to(outside / "magenta.png")
    (images / "outdir").symlink_to(outside, target_is_directory=True)
    with (images / "huge.png").open("wb") as huge:
        huge.write(png(64, 64, MAGENTA))
        huge.truncate(HUGE_BYTES)  # a valid image first, then more than the limit
    (images / "bomb.png").write_bytes(bomb_png())
    (images / "evil.svg").write_bytes(svg_reaching_out(outside))
    (images / "svg-as.png").write_bytes(svg_reaching_out(outside))
    (images / "entities.svg").write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/hostname">'
        + f'<!ENTITY i "<image href=&#34;{outside}/magenta.png&#34; width=&#34;120&#34; '.encode()
        + b'height=&#34;120&#34;/>">]><svg xmlns="http://www.w3.org/2000/svg" width="120" height="120">'
        b"&i;<text>&x;</text></svg>"
    )
    (images / "clean.svg").write_bytes(
        b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
        b'<rect width="64" height="64" fill="#3366cc"/></svg>'
    )
    forbidden = [str(outside), "/etc/hostname", "/etc/passwd", "/proc/self/environ", "/proc/self/cmdline"]
    if devices:
        os.mkfifo(images / "fifo.png")
        (images / "fifolink.png").symlink_to("fifo.png")
        (images / "zero.png").symlink_to("/dev/zero")
        forbidden += ["/dev/zero", "/dev/stdin", str(images / "fifo.png")]
        posts = _devices(root)
    else:
        posts = _posts(outside, root, port)
    if only:
        posts = {name: html for name, html in posts.items() if name.startswith(only)}
    for number, (name, html) in enumerate(posts.items()):
        relative, text = _post_file(name, html, number)
        (root / relative).write_text(text, encoding="utf-8")
    return Corpus(root, outside, tuple(forbidden), posts)
