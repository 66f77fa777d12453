#!/bin/sh
# Set up everything Reader needs to run and be tested, in ./.venv:
#   - Qt's runtime libraries (and a C compiler, when there is none) from Debian's packages,
#     when any is missing and we may install;
#   - a virtual environment with Reader and its test tools.
# Safe to run again: it only installs what is missing.
set -eu
cd "$(dirname "$0")/.."

# Libraries PySide6's Qt needs on Linux (offscreen and X11 windows alike).
DEBIAN_PACKAGES="libegl1 libgl1 libopengl0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 \
libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0 libxcb-render-util0 \
libxcb-image0 libxcb-xkb1 libxcb-xinerama0 libglib2.0-0"
# The tests watch what the reading pane opens (strace) and compile a UTF-8 locale from the
# locales package's sources (localedef) to print names that are not UTF-8 under it.
DEBIAN_PACKAGES="$DEBIAN_PACKAGES strace locales"
# The fidelity test (tests/fidelity/) builds its corpus and the sample with Jekyll itself.
DEBIAN_PACKAGES="$DEBIAN_PACKAGES jekyll"
# A C compiler builds reader/core/_fastio_c/ (the module reader.core._fastio), which loads big archives faster.
command -v cc >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1 || DEBIAN_PACKAGES="$DEBIAN_PACKAGES gcc libc6-dev"

missing=""
if command -v dpkg-query >/dev/null 2>&1; then
    for package in $DEBIAN_PACKAGES; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing="$missing $package"
    done
fi
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "bootstrap: installing Debian packages:$missing"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null
        # shellcheck disable=SC2086
        apt-get install -y -qq --no-install-recommends $missing >/dev/null
    else
        echo "bootstrap: Reader may need these Debian packages (install them as root):$missing" >&2
    fi
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
stamp=.venv/.reader-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ setup.py -nt "$stamp" ] \
    || [ -n "$(find reader/core/_fastio_c -newer "$stamp")" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e '.[test]'
    touch "$stamp"
fi
