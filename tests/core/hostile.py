"""A hostile archive, made on disk by the tests (no committed blobs).

:func:`build` writes, among good posts spread over the archive, one entry per kind of
bad input Reader must survive: YAML alias bombs at every field, huge posts and front
matter, deep nesting in YAML and in folders, bad and mixed encodings, NUL bytes, odd
file names, impossible dates, every kind of file that is not a regular one, links out
of the archive and in loops. It returns what a load must give: every good post, and for each bad entry the
problem it must be reported with, and whether it is still listed as a post.
:func:`build_locked` writes files and folders only their owner can read.

Folders are nested past the system's path length limit, so they are made with paths
relative to an open folder, and removed with :func:`remove` (``rm -rf``): Python 3.11's
``shutil.rmtree`` calls itself once per level and overflows.
"""

from __future__ import annotations

import os
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import post_text

#: Nesting depths: folders deep enough to overflow a walk that recurses (about 990),
#: but with a path under PATH_MAX (4096), so the post at the bottom must load; and
#: folders nested past PATH_MAX, which must be a problem, never a crash.
DEEP_FOLDERS = 1200
DEEPER_THAN_PATH_MAX = 2500
BIG_BODY_BYTES = 50 * 1024 * 1024
BIG_FRONT_MATTER_BYTES = 1024 * 1024
#: The fields Reader reads, and one it does not.
BOMB_FIELDS = ("title", "date", "tags", "tag", "categories", "category", "published", "permalink", "unread")


@dataclass(frozen=True)
class Good:
    path: str
    title: str


@dataclass(frozen=True)
class Bad:
    """A bad entry: ``problem`` is part of what it must be reported with (on its post,
    or on the archive for its path; parts split by ``…``, in order); ``post`` says
    whether it is still listed, and ``title`` what its title must then be."""

    path: str
    problem: str
    post: bool
    title: str | None = None
    #: ``path`` is the start of the path told of (which depends on the root's length)
    path_is_prefix: bool = False


@dataclass
class Hostile:
    root: Path
    good: list[Good] = field(default_factory=list)
    bad: list[Bad] = field(default_factory=list)
    #: posts that load, without a problem, however odd (names, sizes, encodings)
    fine: list[Good] = field(default_factory=list)
    #: files that are no post and no problem (binary files outside ``_posts``)
    not_posts: list[str] = field(default_factory=list)

    def write(self, relative: str, content: str | bytes) -> None:
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        target.write_bytes(content)


def alias_bomb(field_name: str, levels: int = 9) -> str:
    """A post of about 470 bytes whose ``field_name`` is ``levels`` levels of ten-fold
    aliases: 10^levels values once expanded."""
    lines = ["---", "layout: post", f"title: Bomb in {field_name}", "date: 2021-03-01 10:00:00 +0800"]
    lines = [line for line in lines if not line.startswith(f"{field_name}:")]
    lines.append('l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]')
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 10) + "]")
    lines.append(f"{field_name}: *l{levels - 1}")
    return "\n".join(lines) + "\n---\nBody.\n"


def _good_posts(hostile: Hostile) -> None:
    """Good posts in every kind of place, newest of all (so a window shows one first)."""
    places = ["_posts", "_posts/sub", "old_post", "en/news/_posts", "blog/2023", "_drafts"]
    for at, place in enumerate(places):
        for n in range(3):
            name = f"2023-0{at + 1}-1{n}-good-{n}.md"
            title = f"Good {place} {n}"
            hostile.write(
                f"{place}/{name}", post_text(title=title, date=f"2023-0{at + 1}-1{n} 10:00:00 +0800")
            )
            hostile.good.append(Good(f"{place}/{name}", title))


def _alias_bombs(hostile: Hostile) -> None:
    for name in BOMB_FIELDS:
        path = f"_posts/2021-03-01-bomb-{name}.md"
        hostile.write(path, alias_bomb(name))
        title = "Bomb Title" if name == "title" else f"Bomb in {name}"  # else from the file name
        hostile.bad.append(
            Bad(path, f"too large once YAML aliases are expanded: …'{name}' ignored", True, title)
        )
    hostile.write("_posts/2021-03-02-endless.md", "---\ntitle: Endless\ntags: &a [x, *a]\n---\n")
    hostile.bad.append(Bad("_posts/2021-03-02-endless.md", "endless", True, "Endless"))
    chain = "".join(f"c{n}: &c{n} [*c{n - 1}]\n" for n in range(1, 3000))
    hostile.write(
        "_posts/2021-03-03-alias-chain.md", f"---\ntitle: Chain\nc0: &c0 [x]\n{chain}tags: *c2999\n---\n"
    )
    hostile.bad.append(Bad("_posts/2021-03-03-alias-chain.md", "nested more than", True, "Chain"))
    lines = ["- &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"- &l{n} [" + ", ".join([f"*l{n - 1}"] * 10) + "]" for n in range(1, 9)]
    hostile.write("_posts/2021-03-04-list-bomb.md", "---\n" + "\n".join(lines) + "\n- *l8\n---\n")
    hostile.bad.append(Bad("_posts/2021-03-04-list-bomb.md", "too large once YAML", True, "List Bomb"))


def _big(hostile: Hostile) -> None:
    head = post_text(title="Huge body", date="2021-04-01 10:00:00 +0800").encode()
    line = "<p>正文 body text, a long post.</p>\n".encode()
    body = line * (BIG_BODY_BYTES // len(line))
    hostile.write("_posts/2021-04-01-huge-body.md", head + body)
    hostile.fine.append(Good("_posts/2021-04-01-huge-body.md", "Huge body"))
    # A 1 MB title, 1 MB of tags in one line, and 256 KB of empty lists, PyYAML's worst
    # (up to the 1 MiB it is given, they take a few seconds and a few hundred MB).
    hostile.write(
        "_posts/2021-04-02-long-title.md", f"---\ntitle: {'长' * (BIG_FRONT_MATTER_BYTES // 3)}\n---\n"
    )
    hostile.fine.append(Good("_posts/2021-04-02-long-title.md", "长" * (BIG_FRONT_MATTER_BYTES // 3)))
    tags = ", ".join(f"t{n}" for n in range(BIG_FRONT_MATTER_BYTES // 9))
    hostile.write("_posts/2021-04-03-many-tags.md", f"---\ntitle: Many tags\ntags: [{tags}]\n---\n")
    hostile.fine.append(Good("_posts/2021-04-03-many-tags.md", "Many tags"))
    empties = "[]," * (BIG_FRONT_MATTER_BYTES // 12)
    hostile.write("_posts/2021-04-04-empty-lists.md", f"---\ntitle: Empty lists\nx: [{empties}]\n---\n")
    hostile.fine.append(Good("_posts/2021-04-04-empty-lists.md", "Empty lists"))
    # Front matter past what YAML is given: read line by line.
    lines = "".join(f"key{n}: value {n}\n" for n in range(2 * BIG_FRONT_MATTER_BYTES // 20))
    text = f"---\ntitle: Endless front matter\n{lines}date: 2021-04-05 10:00:00 +0800\n---\nBody\n"
    hostile.write("_posts/2021-04-05-long-front-matter.md", text)
    hostile.bad.append(
        Bad(
            "_posts/2021-04-05-long-front-matter.md",
            "front matter too long for YAML",
            True,
            "Endless front matter",
        )
    )
    # A base-60 integer PyYAML builds in quadratic time, and one too long to print.
    hostile.write("_posts/2021-04-06-base-60.md", "---\ntitle: 1" + ":30" * 200_000 + "\n---\n")
    hostile.fine.append(Good("_posts/2021-04-06-base-60.md", "1" + ":30" * 200_000))
    hostile.write("_posts/2021-04-07-digits.md", "---\ntitle: " + "7" * 5000 + "\n---\n")
    hostile.fine.append(Good("_posts/2021-04-07-digits.md", "7" * 5000))


def _deep_yaml(hostile: Hostile) -> None:
    for n, (opening, closing) in enumerate((("[", "]"), ("{", "}"))):
        for depth in (999, 10_000):
            path = f"_posts/2021-05-0{n + 1}-nested-{depth}-{n}.md"
            hostile.write(path, f"---\ntitle: Nested\ntags: {opening * depth}{closing * depth}\n---\n")
            # libyaml refuses past 1,000 levels (invalid YAML, read line by line); below
            # that, Reader refuses past 64. A nested mapping is a key that is a mapping:
            # YAML cannot build it.
            why = "invalid YAML" if depth > 1000 or opening == "{" else "nested more than"
            hostile.bad.append(Bad(path, why, True, "Nested"))
    block = "".join(" " * level + "- \n" for level in range(1, 1200))  # 720 KB
    hostile.write("_posts/2021-05-03-block.md", f"---\ntitle: Block\ntags:\n{block}---\n")
    hostile.bad.append(Bad("_posts/2021-05-03-block.md", "invalid YAML", True, "Block"))


def make_deep_folders(root: Path, depth: int, leaf: dict[str, bytes]) -> str:
    """Folders ``d/d/…`` ``depth`` deep below ``root``, with the files ``leaf`` at the
    bottom, made relative to open folders (the whole path may pass PATH_MAX). Returns
    the bottom's path relative to ``root``."""
    folder = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=folder)
            inner = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=folder)
            os.close(folder)
            folder = inner
        for name, content in leaf.items():
            *parents, base = name.split("/")
            at = folder
            for parent in parents:
                os.mkdir(parent, dir_fd=at)
                inner = os.open(parent, os.O_RDONLY | os.O_DIRECTORY, dir_fd=at)
                if at != folder:
                    os.close(at)
                at = inner
            descriptor = os.open(base, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=at)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(content)
            if at != folder:
                os.close(at)
    finally:
        os.close(folder)
    return "/".join(["d"] * depth)


def _deep_folders(hostile: Hostile) -> None:
    (hostile.root / "deep").mkdir()
    text = post_text(title="At the bottom", date="2021-06-01 10:00:00 +0800").encode()
    bottom = make_deep_folders(hostile.root / "deep", DEEP_FOLDERS, {"_posts/2021-06-01-bottom.md": text})
    hostile.good.append(Good(f"deep/{bottom}/_posts/2021-06-01-bottom.md", "At the bottom"))
    (hostile.root / "deeper").mkdir()
    make_deep_folders(hostile.root / "deeper", DEEPER_THAN_PATH_MAX, {"_posts/2021-06-02-lost.md": text})
    # The first folder whose path passes PATH_MAX is told of: its path is below ``deeper``.
    hostile.bad.append(Bad("deeper/d/d/", "folder cannot be read: File name too long", False, None, True))


def _encodings(hostile: Hostile) -> None:
    def add(path: str, raw: bytes, problem: str | None, post: bool, title: str | None = None) -> None:
        hostile.write(path, raw)
        if problem is None:
            hostile.fine.append(Good(path, title or ""))
        else:
            hostile.bad.append(Bad(path, problem, post, title))

    text = post_text(title="Café crème", date="2021-07-01 10:00:00 +0800")
    add("_posts/2021-07-01-latin-1.md", text.encode("latin-1"), "not UTF-8", False)
    chinese = post_text(title="央行降准", date="2021-07-02 10:00:00 +0800")
    add("_posts/2021-07-02-gb18030.md", chinese.encode("gb18030"), "read as GB18030", True, "央行降准")
    add("_posts/2021-07-03-utf-16-bom.md", chinese.encode("utf-16"), "binary", False)
    add("_posts/2021-07-04-utf-16-le.md", chinese.encode("utf-16-le"), "binary", False)
    add("_posts/2021-07-05-utf-16-be.md", chinese.encode("utf-16-be"), "binary", False)
    # UTF-8 front matter, then a body in GB18030, then in Latin-1.
    head = post_text(title="央行", date="2021-07-06 10:00:00 +0800").split("Body text.")[0].encode()
    add("_posts/2021-07-06-mixed-gb.md", head + "正文内容".encode("gb18030"), "GB18030", True, "央行")
    # Latin-1 that happens to be GB18030 (``è`` and ``m``, ``û`` and ``l``…) is read as such.
    add("_posts/2021-07-07-mixed-latin.md", head + "crème brûlée".encode("latin-1"), "GB18030", True, "央行")
    add("_posts/2021-07-10-latin-1-body.md", head + "café au lait".encode("latin-1"), "not UTF-8", False)
    add("_posts/2021-07-08-bom-utf-8.md", b"\xef\xbb\xbf" + chinese.encode(), None, True, "央行降准")
    add("_posts/2021-07-09-invalid-bytes.md", b"---\ntitle: x\xff\xfe\n---\n", "not UTF-8", False)


def _nul_bytes(hostile: Hostile) -> None:
    hostile.write("_posts/2021-08-01-nul-front.md", "---\ntitle: a\x00b\n---\nBody\n")
    hostile.bad.append(Bad("_posts/2021-08-01-nul-front.md", "binary", False))
    # After whole front matter, NUL bytes are the body's: the post loads.
    hostile.write("_posts/2021-08-02-nul-body.md", post_text(title="NUL in body") + "a\x00b\n")
    hostile.fine.append(Good("_posts/2021-08-02-nul-body.md", "NUL in body"))
    hostile.write("_posts/2021-08-03-nul-list.md", "---\ntitle: NUL\ntags: [a,\n b]\n---\n\x00")
    hostile.fine.append(Good("_posts/2021-08-03-nul-list.md", "NUL"))
    hostile.write("old_post/nul.md", "---\ntitle: NUL old\ndate: 2021-08-03\n---\n\x00")
    hostile.fine.append(Good("old_post/nul.md", "NUL old"))
    hostile.write("old_post/nul-front.md", "---\ntitle: NUL\x00\ndate: 2021-08-03\n---\n")
    hostile.not_posts.append("old_post/nul-front.md")  # binary outside _posts: not a post


def _odd_names(hostile: Hostile) -> None:
    names = {
        "_posts/2021-09-01-new\nline.md": "Line break in the name",
        "_posts/2021-09-02-\x1b[31mred.md": "Escape in the name",
        "_posts/2021-09-03-" + "x" * (255 - 14) + ".md": "X" + "x" * (255 - 15),
        "_posts/2021-09-04- spaced  name .md": " Spaced  Name ",
        "_posts/2021-09-05--dash.md": " Dash",
        "-2021-09-06-leading-dash.md": "-2021-09-06-leading-dash",
        "old_post/--help.md": "--help",
        "old_post/-rf .md": "-rf ",
        "old_post/tab\tname.md": "tab\tname",
        "old_post/名字 with 空格.md": "名字 with 空格",
    }
    for path, title in names.items():
        hostile.write(path, post_text(title=title, date="2021-09-10 10:00:00 +0800"))
        hostile.fine.append(Good(path, title))
    # Control characters in a title: not YAML; read line by line.
    hostile.write("_posts/2021-09-11-escape.md", "---\ntitle: \x1b[31mred\x07\n---\n")
    hostile.bad.append(Bad("_posts/2021-09-11-escape.md", "invalid YAML", True, "\x1b[31mred\x07"))


def _impossible_dates(hostile: Hostile) -> None:
    for n, written in enumerate(
        [
            "2022-02-30",
            "0000-00-00",
            "9999-99-99",
            "10000-01-01",
            "2022-06-01 10:00:00 +2500",
            "2022-06-01 10:00:00 -2500",
            "2022-06-01 25:61:61",
            "-2022-06-01",
        ]
    ):
        path = f"_posts/2021-10-{n + 1:02d}-date-{n}.md"
        hostile.write(path, f"---\ntitle: Date {n}\ndate: {written}\n---\n")
        hostile.bad.append(Bad(path, "cannot be read", True, f"Date {n}"))
    for name in ("2022-02-30", "0000-00-00", "9999-99-99"):
        path = f"_posts/{name}-name-date.md"
        hostile.write(path, "---\ntitle: Named\n---\n")
        hostile.bad.append(Bad(path, "is not a real day", True, "Named"))
    # The calendar's ends, in any zone: loaded, dated as written.
    for n, written in enumerate(["0001-01-01", "0001-01-01 00:00:00 +2359", "9999-12-31 23:59:59 -2359"]):
        path = f"_posts/2021-10-2{n}-end-{n}.md"
        hostile.write(path, f"---\ntitle: End {n}\ndate: {written}\n---\n")
        hostile.fine.append(Good(path, f"End {n}"))


def _special_files(hostile: Hostile) -> None:
    """A fifo, socket, devices and links named like posts (the devices need root)."""
    posts = hostile.root / "_posts"
    os.mkfifo(posts / "2021-11-01-fifo.md")
    hostile.bad.append(Bad("_posts/2021-11-01-fifo.md", "named pipe, not a regular file", False))
    os.mkfifo(hostile.root / "old_post" / "fifo.md")
    hostile.bad.append(Bad("old_post/fifo.md", "named pipe", False))
    os.mknod(posts / "2021-11-02-socket.md", stat.S_IFSOCK | 0o644)
    hostile.bad.append(Bad("_posts/2021-11-02-socket.md", "socket, not a regular file", False))
    devices = [("2021-11-03-char.md", stat.S_IFCHR, os.makedev(1, 3), "character device")]
    devices.append(("2021-11-04-block.md", stat.S_IFBLK, os.makedev(7, 0), "block device"))
    for name, kind, device, what in devices:
        try:
            os.mknod(posts / name, kind | 0o644, device)
        except PermissionError:
            continue  # not root: a device cannot be made (the test as root covers it)
        hostile.bad.append(Bad(f"_posts/{name}", f"{what}, not a regular file", False))
    (posts / "2021-11-05-to-fifo.md").symlink_to(posts / "2021-11-01-fifo.md")
    hostile.bad.append(Bad("_posts/2021-11-05-to-fifo.md", "symbolic link to a named pipe", False))
    (posts / "2021-11-06-dangling.md").symlink_to(hostile.root / "nowhere.md")
    hostile.bad.append(Bad("_posts/2021-11-06-dangling.md", "symbolic link to nothing", False))
    (posts / "2021-11-07-loop-a.md").symlink_to(posts / "2021-11-07-loop-b.md")
    (posts / "2021-11-07-loop-b.md").symlink_to(posts / "2021-11-07-loop-a.md")
    for end in "ab":
        hostile.bad.append(Bad(f"_posts/2021-11-07-loop-{end}.md", "symbolic link cannot be followed", False))
    (posts / "2021-11-08-self.md").symlink_to("2021-11-08-self.md")
    hostile.bad.append(Bad("_posts/2021-11-08-self.md", "symbolic link cannot be followed", False))


def _links(hostile: Hostile, outside: Path) -> None:
    outside.mkdir(exist_ok=True)
    (outside / "2021-12-01-secret.md").write_text(post_text(title="Secret"), encoding="utf-8")
    (hostile.root / "_posts" / "2021-12-01-out.md").symlink_to(outside / "2021-12-01-secret.md")
    hostile.bad.append(Bad("_posts/2021-12-01-out.md", "leads outside the archive", False))
    (hostile.root / "_posts" / "outside").symlink_to(outside, target_is_directory=True)
    hostile.bad.append(Bad("_posts/outside", "leads outside the archive", False))
    (hostile.root / "_posts" / "etc").symlink_to("/etc", target_is_directory=True)
    hostile.bad.append(Bad("_posts/etc", "leads outside the archive", False))
    (hostile.root / "blog" / "loop").symlink_to(hostile.root, target_is_directory=True)
    (hostile.root / "blog" / "2023" / "again").symlink_to("..", target_is_directory=True)
    inside = hostile.root / "_posts" / "2023-01-10-good-0.md"
    (hostile.root / "old_post" / "2023-01-20-linked.md").symlink_to(inside)
    hostile.good.append(Good("old_post/2023-01-20-linked.md", "Good _posts 0"))


def build(root: Path, outside: Path) -> Hostile:
    """Write the hostile archive at ``root`` (made here), with a folder ``outside`` it for
    links to lead to."""
    root.mkdir()
    hostile = Hostile(root)
    for part in (_good_posts, _alias_bombs, _big, _deep_yaml, _deep_folders, _encodings, _nul_bytes):
        part(hostile)
    _odd_names(hostile)
    _impossible_dates(hostile)
    _special_files(hostile)
    _links(hostile, outside)
    return hostile


def build_locked(root: Path) -> Hostile:
    """An archive at ``root`` (made here, open to all) with files and folders only their
    owner can read: a problem for any other user (root reads them all)."""
    root.mkdir()
    os.chmod(root, 0o755)
    hostile = Hostile(root)
    _good_posts(hostile)
    hostile.write("_posts/2021-12-10-locked.md", post_text(title="Locked", date="2021-12-10"))
    os.chmod(root / "_posts/2021-12-10-locked.md", 0)
    hostile.bad.append(Bad("_posts/2021-12-10-locked.md", "file cannot be read: Permission denied", False))
    hostile.write("old_post/locked.md", post_text(title="Locked", date="2021-12-10"))
    os.chmod(root / "old_post/locked.md", 0o200)  # writable, not readable
    hostile.bad.append(Bad("old_post/locked.md", "file cannot be read: Permission denied", False))
    hostile.write("private/_posts/2021-12-11-inside.md", post_text(title="Inside"))
    os.chmod(root / "private", 0)
    hostile.bad.append(Bad("private", "folder cannot be read: Permission denied", False))
    hostile.write("listless/_posts/2021-12-12-unlisted.md", post_text(title="Unlisted"))
    os.chmod(root / "listless", 0o311)  # can be walked through, not listed
    hostile.bad.append(Bad("listless", "folder cannot be read: Permission denied", False))
    (root / "_posts/2021-12-14-into-private.md").symlink_to(root / "private/_posts/2021-12-11-inside.md")
    hostile.bad.append(
        Bad("_posts/2021-12-14-into-private.md", "link cannot be followed: Permission denied", False)
    )
    hostile.write("closed/_posts/2021-12-13-behind.md", post_text(title="Behind"))
    os.chmod(root / "closed", 0o644)  # listed, not walked through
    hostile.bad.append(Bad("closed/_posts", "folder cannot be read: Permission denied", False))
    return hostile


@contextmanager
def folder_for_deep_trees(prefix: str = "reader-deep-") -> Iterator[Path]:
    """A new folder, open to every user, outside pytest's temporary folder (whose clean-up
    with ``shutil.rmtree`` overflows on deep trees), removed afterwards."""
    base = Path(tempfile.mkdtemp(prefix=prefix))
    os.chmod(base, 0o755)
    try:
        yield base
    finally:
        remove(base)


def remove(path: Path) -> None:
    """Remove a tree however deep, and whatever its modes (see the module's note)."""
    if path.exists() or path.is_symlink():
        subprocess.run(["chmod", "-R", "u+rwx", str(path)], check=False, capture_output=True)
        subprocess.run(["rm", "-rf", "--", str(path)], check=True)
