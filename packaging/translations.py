"""Keep the interface's translations current: update the Qt Linguist sources from the
code, then compile them to the .qm files the program loads.

    python packaging/translations.py          # lupdate, then lrelease
    python packaging/translations.py --check  # fail when a string lacks a translation

Edit resources/translations/*.ts with Qt Linguist (pyside6-linguist) or by hand.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "resources" / "translations"
SOURCES = sorted(str(p) for p in (ROOT / "reader" / "ui").glob("*.py"))
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    local = BIN / f"pyside6-{name}"
    return str(local) if local.exists() else f"pyside6-{name}"


def untranslated(ts_file: Path) -> list[str]:
    """Source texts of ``ts_file`` with no finished translation."""
    missing = []
    for message in ET.parse(ts_file).getroot().iter("message"):
        translation = message.find("translation")
        source = message.findtext("source") or ""
        if translation is None or translation.get("type") in ("unfinished", "obsolete", "vanished"):
            if translation is None or translation.get("type") == "unfinished":
                missing.append(source)
            continue
        forms = translation.findall("numerusform")
        texts = [f.text or "" for f in forms] if forms else [translation.text or ""]
        if not all(t.strip() for t in texts):
            missing.append(source)
    return missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that every string is translated")
    options = parser.parse_args()
    ts_files = sorted(FOLDER.glob("*.ts"))
    if not options.check:
        for ts_file in ts_files:
            # English needs only plural forms ("1 post", "2 posts"): the source text is English.
            plural_only = ["-pluralonly"] if ts_file.stem.endswith("_en") else []
            update = [tool("lupdate"), *plural_only, "-no-obsolete", *SOURCES, "-ts", str(ts_file)]
            subprocess.run(update, check=True)
            compiled = str(ts_file.with_suffix(".qm"))
            subprocess.run([tool("lrelease"), str(ts_file), "-qm", compiled], check=True)
    failed = False
    for ts_file in ts_files:
        missing = untranslated(ts_file)
        for source in missing:
            print(f"{ts_file.name}: not translated: {source!r}")
        failed |= bool(missing)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
