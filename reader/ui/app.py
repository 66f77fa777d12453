"""Starting the window, and ``--screenshot``."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QEventLoop,
    QLibraryInfo,
    QLocale,
    QMessageLogContext,
    QTimer,
    QtMsgType,
    QTranslator,
    qInstallMessageHandler,
    qVersion,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from reader import __version__
from reader.core.paths import bundled_seeds, resources
from reader.ui.main_window import MainWindow
from reader.ui.nav_model import ALL
from reader.ui.post_model import DATE
from reader.ui.settings import LANGUAGE, LAST_ARCHIVE, Settings

SCREENSHOT_SIZE = (1280, 800)

log = logging.getLogger(__name__)


#: Qt messages that say nothing to a user: the offscreen platform cannot hint window sizes.
QUIET_MESSAGES = ("This plugin does not support propagateSizeHints()",)
_previous_handler: Any = None


#: The exit code when the window cannot start (as for an unusable folder).
EXIT_NO_WINDOW = 2
WITHOUT_DISPLAY = (
    "`reader check`, `list`, `search`, `render`, `update`, `clone` and `reader --screenshot FILE` "
    "work without one"
)


def no_display() -> str | None:
    """Why the window cannot open here, said before Qt aborts on it: on Linux and the
    BSDs, no display when Qt would look for one (no ``QT_QPA_PLATFORM`` naming another
    platform, neither ``DISPLAY`` nor ``WAYLAND_DISPLAY`` set)."""
    if sys.platform in ("darwin", "win32") or os.environ.get("QT_QPA_PLATFORM", "") not in (
        "",
        "xcb",
        "wayland",
    ):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "reader: no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set); "
        + WITHOUT_DISPLAY
    )


def _message_handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if message in QUIET_MESSAGES:
        return
    if kind == QtMsgType.QtFatalMsg and "platform plugin" in message:
        # Qt is about to abort (exit 134) advising to reinstall, which would not help.
        sys.stderr.write(
            "reader: the window cannot start: Qt cannot use the display's platform plugin "
            "(the lines above say why; scripts/bootstrap.sh names the system packages Qt needs); "
            f"{WITHOUT_DISPLAY}\n"
        )
        sys.stderr.flush()
        os._exit(EXIT_NO_WINDOW)
    if _previous_handler is not None:
        _previous_handler(kind, context, message)
    else:
        sys.stderr.write(message + "\n")


def _ensure_utf8_locale() -> None:
    """Qt needs a UTF-8 locale and warns when it is not; choose C.UTF-8 ourselves then."""
    import locale

    with contextlib.suppress(locale.Error):
        locale.setlocale(locale.LC_CTYPE, "")
    if locale.nl_langinfo(locale.CODESET).upper().replace("-", "") != "UTF8":
        os.environ["LC_CTYPE"] = "C.UTF-8"
        os.environ.pop("LC_ALL", None)
        with contextlib.suppress(locale.Error):
            locale.setlocale(locale.LC_CTYPE, "C.UTF-8")


#: How long a thread may hold the GIL while another waits for it (Python's default: 5 ms).
#: The load and the search index run on threads; at 5 ms the window, which needs the
#: GIL for each Python slot it runs, got it back only every 20-25 ms during a load.
SWITCH_INTERVAL = 0.001


def application(argv: list[str] | None = None) -> QApplication:
    global _previous_handler  # noqa: PLW0603 - one handler per process
    _ensure_utf8_locale()
    sys.setswitchinterval(SWITCH_INTERVAL)
    if _previous_handler is None:
        _previous_handler = qInstallMessageHandler(_message_handler)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(argv or [sys.argv[0]])
    app.setApplicationName("Reader")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("reader")
    log.debug(
        "Reader %s, Qt %s, platform %s, switch interval %.3f s",
        __version__,
        qVersion(),
        app.platformName(),
        sys.getswitchinterval(),
    )
    icon = resources() / "icons" / "reader.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return app


LANGUAGES = ("system", "en", "zh_CN")


def interface_language(choice: str | None) -> str:
    """ "en" or "zh_CN": the setting, or for "system" the system locale's language."""
    if choice in ("en", "zh_CN"):
        return choice
    return "zh_CN" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def install_language(app: QApplication, choice: str | None) -> str:
    """Load the interface's translation (and Qt's own, for standard dialogs) before any
    window is made; dates follow the same locale. Returns the language used."""
    language = interface_language(choice)
    if language == "en":
        translator = QTranslator(app)  # plural forms only: "1 post", "2 posts"
        if translator.load("reader_en", str(resources() / "translations")):
            app.installTranslator(translator)
    if language == "zh_CN":
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        for name, folder in (
            ("reader_zh_CN", str(resources() / "translations")),
            ("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
        ):
            translator = QTranslator(app)
            if translator.load(name, folder):
                app.installTranslator(translator)
    log.debug("interface language %s (setting: %s)", language, choice)
    return language


def initial_archive(path: str | None, settings: Settings) -> Path:
    """PATH when given; else the last archive when it still exists; else the sample."""
    if path:
        return Path(path)
    last = settings.get(LAST_ARCHIVE)
    if last is not None and Path(last).is_dir():
        return Path(last)
    return bundled_seeds()


def wait_for_load(window: MainWindow, timeout_ms: int = 120_000) -> bool:
    """Run the event loop until the window's load ends; True when it loaded."""
    loop = QEventLoop()
    outcome: list[bool] = []

    def finish(loaded: bool) -> None:
        outcome.append(loaded)
        loop.quit()

    window.archive_loaded.connect(lambda: finish(True))
    window.load_failed.connect(lambda _message: finish(False))
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    return bool(outcome and outcome[0])


#: Set to 1 to quit as soon as the first posts are drawn (used by the benchmarks).
EXIT_WHEN_SHOWN = "READER_EXIT_WHEN_SHOWN"


def _peak_rss_kb(resource: Any) -> int:
    """This program's peak resident memory. On Linux the kernel's high-water mark of
    this process image: ``ru_maxrss`` also counts the process that launched it, as it
    was when it forked (a benchmark's own hundreds of MB)."""
    with contextlib.suppress(OSError), open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def run(path: str | None = None, theme: str | None = None, language: str | None = None) -> int:
    reason = no_display()
    if reason is not None:
        print(reason, file=sys.stderr)
        return EXIT_NO_WINDOW
    app = application()
    settings = Settings()
    install_language(app, language or settings.get(LANGUAGE))
    window = MainWindow(settings)
    if theme is not None:
        window.set_theme(theme, remember=False)  # this run only, as the language
    window.show()
    if os.environ.get(EXIT_WHEN_SHOWN) == "1":

        def drawn() -> None:
            window.list.viewport().repaint()  # the first posts, drawn now
            import resource
            import time

            # When they were drawn (the benchmark launched this process at a known time),
            # and this process's own peak memory (not its helper processes').
            print(f"drawn-at {time.time():.6f}", flush=True)
            print(f"peak-rss-kb {_peak_rss_kb(resource)}", flush=True)
            window.close()  # stops the background work before quitting
            app.quit()

        window.posts_shown.connect(drawn)
        window.load_failed.connect(lambda _message: app.exit(1))
    archive = initial_archive(path, settings)
    log.debug("opening %s", archive)
    window.open_archive(archive)
    return app.exec()


def screenshot(
    target: str, path: str | None = None, theme: str | None = None, language: str | None = None
) -> int:
    """Open the window offscreen at 1280×800 on PATH, show its newest post, save a PNG."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = application()
    settings = Settings()
    install_language(app, language or settings.get(LANGUAGE))
    window = MainWindow(settings, background=False)
    if theme is not None:
        window.set_theme(theme, remember=False)  # this run only, as the language
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    window.open_archive(initial_archive(path, settings))
    loaded = wait_for_load(window)
    if loaded and window.archive is not None and window.archive.posts:
        window.select_node_path(f"{ALL}/")
        window.list.sortByColumn(DATE, window.post_model.sort_order.DescendingOrder)
        window.select_post_key(window.archive.posts[0].key, mark=False)
        deadline = time.monotonic() + 10
        while window.viewer.preparing and time.monotonic() < deadline:  # a big post comes in parts
            app.processEvents()
            time.sleep(0.005)
    window.resize(*SCREENSHOT_SIZE)
    for _ in range(3):
        app.processEvents()
    image = window.grab().toImage()
    ok = image.save(target, "PNG")  # type: ignore[call-overload]  # the stubs want bytes
    window.close()
    if not ok:
        print(f"reader: cannot write {target}", file=sys.stderr)
        return 2
    return 0 if loaded else 1
