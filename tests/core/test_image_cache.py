"""The on-disk image cache: only images kept, least recently used evicted past the cap,
kept across restarts; and finding a post's remote images."""

from __future__ import annotations

import os

from reader.core.image_cache import ImageCache, absolute_url, image_kind, remote_image_urls
from reader.core.render import render_body

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def png(size: int) -> bytes:
    return PNG[:8] + b"\x01" * (size - 8)


def test_image_kinds_by_their_first_bytes():
    assert image_kind(PNG) == "png"
    assert image_kind(b"\xff\xd8\xff\xe0rest") == "jpeg"
    assert image_kind(b"GIF89a...") == "gif"
    assert image_kind(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
    assert image_kind(b"<!doctype html><html>") is None
    assert image_kind(b"") is None


def test_only_images_are_kept_and_they_survive_a_restart(tmp_path):
    cache = ImageCache(tmp_path / "images")
    assert cache.put("https://a.example/x.png", PNG)
    assert not cache.put("https://a.example/page.png", b"<html>not an image</html>")
    assert "https://a.example/page.png" not in cache
    again = ImageCache(tmp_path / "images")
    assert again.get("https://a.example/x.png") == PNG
    assert again.get("https://a.example/other.png") is None


def test_least_recently_used_are_evicted_past_the_cap(tmp_path):
    cache = ImageCache(tmp_path / "images", limit=3000)
    for name in ("a", "b", "c"):
        assert cache.put(f"https://h.example/{name}", png(1000))
    # Make the order of use explicit (file times can tie within one clock tick).
    for age, name in enumerate(("b", "a", "c")):
        path = cache._path(f"https://h.example/{name}")
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    assert cache.total_size() == 3000
    cache.get("https://h.example/b")  # used just now: the newest
    assert cache.put("https://h.example/d", png(1000))
    assert "https://h.example/a" not in cache  # the least recently used
    assert all(f"https://h.example/{n}" in cache for n in ("b", "c", "d"))
    assert cache.total_size() <= 3000
    assert ImageCache(tmp_path / "images", limit=3000).total_size() == cache.total_size()


def test_an_image_bigger_than_the_cap_is_not_kept(tmp_path):
    cache = ImageCache(tmp_path / "images", limit=500)
    assert not cache.put("https://h.example/huge", png(1000))
    assert cache.total_size() == 0


def test_clear_removes_everything(tmp_path):
    cache = ImageCache(tmp_path / "images")
    cache.put("https://h.example/a", PNG)
    cache.clear()
    assert "https://h.example/a" not in cache
    assert cache.total_size() == 0


def test_remote_image_addresses_of_a_body():
    body = (
        '<p><img alt="x" src="https://cdn.example/a.jpg"><img src=\'//cdn.example/b.png\'>'
        '<img src="/local.png"><img src="https://cdn.example/a.jpg"></p>\n'
        "![chart](http://img.example/c.gif) ![local](img/d.png)"
    )
    assert remote_image_urls(body) == [
        "https://cdn.example/a.jpg",
        "https://cdn.example/b.png",
        "http://img.example/c.gif",
    ]
    assert absolute_url("//x.example/a.png") == "https://x.example/a.png"
    assert absolute_url("img/a.png") is None


def test_render_shows_the_remote_images_it_is_told_to():
    body = '<img src="https://a.example/1.png" alt="one"><img src="//b.example/2.png" alt="two">'
    rendered = render_body(body, extension=".html", remote_images=lambda url: "a.example" in url)
    assert '<img src="https://a.example/1.png"' in rendered.html
    assert "[two]" in rendered.html and '<img src="https://b.example' not in rendered.html
    assert rendered.remote_images == 1
    assert rendered.remote_urls == ("https://a.example/1.png", "https://b.example/2.png")
