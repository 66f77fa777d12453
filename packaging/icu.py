"""A smaller ICU data library for the bundle: Qt Core links ICU, whose data (31 MB)
holds every locale, converter and transliterator. Qt formats dates and numbers with
its own CLDR tables; ICU serves collation, case mapping, normalisation and break
rules. This keeps those, plus the locale data of the interface's languages (root,
English, Chinese), and drops legacy-encoding converters, transliterators and the
locale data of other languages (which fall back to root).

    python packaging/icu.py SOURCE_LIBICUDATA OUTPUT_DIR   # prints the new library's path

Needs ``nm`` and ``gcc`` (binutils, gcc) and ``icupkg`` (Debian's icu-devtools). When
one is missing it says so and the bundle keeps Qt's own library.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

#: Locale data kept: the interface's languages and the root they fall back to.
KEPT_LOCALES = re.compile(r"(root|en|zh)(_.*)?\.res$")
#: A locale's data file (``de.res``, ``sr_Latn_BA.res``); other .res files are shared data.
LOCALE_FILE = re.compile(r"[a-z]{2,3}(_[A-Za-z0-9]*)*\.res$")


def dropped(item: str) -> bool:
    """Whether an item of the ICU data package (``coll/de.res``, ``ibm-943_P15A-2003.cnv``)
    is left out."""
    name = item.rsplit("/", 1)[-1]
    if item.endswith(".cnv") or item.startswith("translit/"):
        return True
    if LOCALE_FILE.fullmatch(name):
        return not KEPT_LOCALES.fullmatch(name)
    return False


def trim(source: Path, output: Path) -> Path | None:
    tools = {name: shutil.which(name) for name in ("nm", "gcc", "icupkg")}
    missing = [name for name, path in tools.items() if path is None]
    if missing:
        print(f"ICU data kept whole: {', '.join(missing)} not found", file=sys.stderr)
        return None
    symbols = subprocess.run(
        ["nm", "-D", "-S", "--defined-only", str(source)], check=True, capture_output=True, text=True
    ).stdout
    match = re.search(r"^([0-9a-f]+) ([0-9a-f]+) R (icudt(\d+)_dat)$", symbols, re.M)
    if match is None:
        print(f"ICU data kept whole: no icudt*_dat symbol in {source}", file=sys.stderr)
        return None
    # The library is linked so that .rodata's address is its file offset.
    offset, size, symbol, version = int(match[1], 16), int(match[2], 16), match[3], match[4]
    output.mkdir(parents=True, exist_ok=True)
    data = output / f"icudt{version}l.dat"
    with open(source, "rb") as handle:
        handle.seek(offset)
        data.write_bytes(handle.read(size))
    if data.read_bytes()[2:4] != b"\xda\x27":  # ICU data header magic
        print("ICU data kept whole: the symbol does not hold ICU data", file=sys.stderr)
        return None
    items = subprocess.run(["icupkg", "-l", str(data)], check=True, capture_output=True, text=True).stdout
    remove = [item for item in items.split() if dropped(item)]
    original = data.read_bytes()
    for _attempt in range(10):
        # Kept items may need dropped ones (zh_Hant_HK falls back to yue): keep those too.
        (output / "remove.txt").write_text("\n".join(remove) + "\n")
        result = subprocess.run(
            ["icupkg", "-r", str(output / "remove.txt"), str(data)],
            check=False,
            capture_output=True,
            text=True,
        )
        if result.returncode == 0:
            break
        needed = set(re.findall(r"depends on missing item (\S+)", result.stdout + result.stderr))
        if not needed:
            print(f"ICU data kept whole: icupkg failed: {result.stderr.strip()}", file=sys.stderr)
            return None
        remove = [item for item in remove if item not in needed]
        data.write_bytes(original)
    else:
        print("ICU data kept whole: its items' dependencies did not settle", file=sys.stderr)
        return None
    assembly = output / "icudata.S"
    assembly.write_text(
        f".section .rodata\n.globl {symbol}\n.type {symbol}, @object\n.balign 16\n"
        f'{symbol}:\n.incbin "{data}"\n.size {symbol}, . - {symbol}\n'
        '.section .note.GNU-stack,"",@progbits\n'
    )
    library = output / source.name
    subprocess.run(
        ["gcc", "-shared", "-nostdlib", f"-Wl,-soname,{source.name}", "-o", str(library), str(assembly)],
        check=True,
    )
    kept = data.stat().st_size
    print(f"ICU data: {size / 1e6:.1f} MB -> {kept / 1e6:.1f} MB ({len(remove)} items left out)")
    return library


if __name__ == "__main__":
    result = trim(Path(sys.argv[1]), Path(sys.argv[2]))
    print(result or "")
