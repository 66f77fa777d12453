"""Liquid's ``{% raw %}`` blocks: one definition, read alike by the viewer and search."""

from __future__ import annotations

import pytest

from reader.core.liquid import RAW_BLOCK
from reader.core.render import render_liquid
from reader.core.search import body_text


@pytest.mark.parametrize(
    "block",
    [
        "{% raw %}{{ kept }}{% endraw %}",
        "{%- raw -%}{{ kept }}{%- endraw -%}",
        "{%raw%}{{ kept }}{%endraw%}",
        "{% raw %}\n{{ kept }}\n{% endraw %}",
    ],
)
def test_every_form_of_a_raw_block_keeps_its_text(block):
    match = RAW_BLOCK.search(f"before {block} after")
    assert match is not None
    assert match.group(1).strip() == "{{ kept }}"
    assert render_liquid(block, {}, {}).text.strip() == "{{ kept }}"
    assert body_text(block).split() == ["kept"]


def test_two_raw_blocks_are_two_matches():
    text = "{% raw %}{{ a }}{% endraw %} {{ gone }} {% raw %}{% b %}{% endraw %}"
    assert [m.group(1) for m in RAW_BLOCK.finditer(text)] == ["{{ a }}", "{% b %}"]
    assert render_liquid(text, {}, {}).text == "{{ a }}  {% b %}"
    assert body_text(text).split() == ["a", "%", "b", "%"]


def test_the_viewer_and_search_share_the_definition():
    from reader.core import render, search

    assert not [name for name in (*vars(render), *vars(search)) if "RAW" in name and name != "RAW_BLOCK"]
