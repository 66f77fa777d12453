"""Liquid's syntax, the parts that more than one reader of a post needs.

Jekyll runs Liquid over a post before Markdown; the viewer runs it too
(:mod:`reader.core.jekyll_liquid`). Search (:mod:`reader.core.search`) does not run it,
but keeps what a ``{% raw %}`` block keeps as written: its text, braces included.
"""

from __future__ import annotations

import re

#: ``{% raw %}…{% endraw %}``, with Liquid's whitespace-trimming ``{%-`` / ``-%}`` forms;
#: group 1 is the text inside, which Liquid leaves exactly as written.
RAW_BLOCK = re.compile(r"{%-?\s*raw\s*-?%}(.*?){%-?\s*endraw\s*-?%}", re.S)
