"""SVG images made self-contained before they are drawn.

Qt's SVG reader follows what a drawing names outside itself: ``<image href="/any/file">``
reads that file, ``<?xml-stylesheet href=…?>`` reads a style sheet. :func:`clean_svg` parses
the drawing and writes it out again with only the shapes, text, gradients, patterns and
styles that stand alone: no embedded image or foreign content, no reference but to the
drawing's own parts (``#id``), no ``url()`` or ``@import`` that leaves it, no processing
instruction, document type or entity. Qt then reads the text this module wrote, never the
file's own.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

_SVG = "http://www.w3.org/2000/svg"
# Attributes in these namespaces are written back with the usual prefixes; others are dropped.
_PREFIXES = {"": "", "http://www.w3.org/1999/xlink": "xlink:", "http://www.w3.org/XML/1998/namespace": "xml:"}
_ALLOWED = frozenset(
    {
        "svg", "g", "defs", "symbol", "use", "switch", "a", "title", "desc",
        "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
        "text", "tspan", "textArea", "tbreak",
        "linearGradient", "radialGradient", "stop", "solidColor",
        "clipPath", "mask", "pattern", "marker", "style",
        "filter", "feGaussianBlur", "feOffset", "feMerge", "feMergeNode", "feColorMatrix",
        "feFlood", "feComposite", "feBlend",
    }
)  # fmt: skip
# A url(…) or @import that does not point at the drawing's own parts.
_OUTWARD = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)|@import|\\", re.I)


def _local(name: str) -> tuple[str, str]:
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


def _keep(element: ET.Element) -> ET.Element | None:
    namespace, local = _local(element.tag)
    if namespace not in ("", _SVG) or local not in _ALLOWED:
        return None
    kept = ET.Element(local)
    for name, value in element.attrib.items():
        namespace, attribute = _local(name)
        prefix = _PREFIXES.get(namespace)
        if prefix is None or attribute in ("base", "xmlns") or _OUTWARD.search(value):
            continue
        if attribute == "href" and not value.strip().startswith("#"):
            continue
        kept.set(prefix + attribute, value)
    text = element.text or ""
    kept.text = "" if local == "style" and _OUTWARD.search(text) else text
    for child in element:
        clean = _keep(child)
        if clean is not None:
            clean.tail = child.tail
            kept.append(clean)
    return kept


def clean_svg(data: bytes) -> bytes | None:
    """``data`` as an SVG drawing that refers to nothing outside itself, or None when it
    is not an SVG drawing (not XML, or its root is not ``<svg>``)."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        return None
    try:
        root = ET.fromstring(data)
    except (ET.ParseError, ValueError):
        return None
    if _local(root.tag)[1] != "svg":
        return None
    kept = _keep(root)
    if kept is None:
        return None
    kept.set("xmlns", _SVG)
    kept.set("xmlns:xlink", "http://www.w3.org/1999/xlink")
    written: bytes = ET.tostring(kept, encoding="utf-8", xml_declaration=True)
    return written
