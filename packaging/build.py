"""Build the standalone Reader: ``dist/reader/`` (onedir), or one file with ``--onefile``.

    python packaging/build.py [--onefile] [--no-exclude]

Uses the PyInstaller of the running Python (``pip install -e '.[packaging]'``);
installs nothing itself and needs no network.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def folder_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--onefile", action="store_true", help="one executable file instead of a folder")
    parser.add_argument(
        "--no-exclude", action="store_true", help="keep every Qt part (to measure the exclusions)"
    )
    parser.add_argument("--dist", default=str(ROOT / "dist"), help="where to put the result")
    options = parser.parse_args()
    env = {**os.environ, "READER_ONEFILE": "1" if options.onefile else "0"}
    if options.no_exclude:
        env["READER_NO_EXCLUDE"] = "1"
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        options.dist,
        "--workpath",
        str(ROOT / "build"),
        str(ROOT / "packaging" / "reader.spec"),
    ]
    result = subprocess.run(command, env=env, cwd=ROOT, check=False, capture_output=True, text=True)
    for line in (result.stdout + result.stderr).splitlines():
        if line.startswith("READER-EXCLUDED") or result.returncode != 0:
            print(line.removeprefix("READER-EXCLUDED "))
    if result.returncode != 0:
        return result.returncode
    target = Path(options.dist) / "reader"
    print(f"built {target}: {folder_size(target) / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
