"""The tree and list models, checked with qtmodeltester, and their counts and sorting."""

from __future__ import annotations

from PySide6.QtCore import Qt

from reader.core.archive import load_archive
from reader.core.paths import bundled_seeds
from reader.core.state import StateStore
from reader.ui.nav_model import NavModel
from reader.ui.post_model import CATEGORY, DATE, TITLE, PostTableModel
from tests.conftest import post_text


def seeds_and_state(tmp_path):
    archive = load_archive(bundled_seeds())
    return archive, StateStore(archive.root, tmp_path / "state.sqlite3")


def counts(model: NavModel, path: str) -> str:
    return model.data(model.index_of_path(path).siblingAtColumn(1))


def test_nav_model_passes_qtmodeltester(qtmodeltester, tmp_path, qapp):
    archive, state = seeds_and_state(tmp_path)
    model = NavModel()
    model.set_archive(archive, state)
    qtmodeltester.check(model, force_py=False)


def test_post_model_passes_qtmodeltester(qtmodeltester, tmp_path, qapp):
    archive, state = seeds_and_state(tmp_path)
    model = PostTableModel()
    model.set_archive(archive, state)
    model.set_rows(list(range(len(archive.posts))))
    qtmodeltester.check(model, force_py=False)
    model.sort(TITLE, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model, force_py=False)


def test_tree_has_smart_views_categories_tags_and_archive(tmp_path, qapp):
    archive, state = seeds_and_state(tmp_path)
    model = NavModel()
    model.set_archive(archive, state)
    top = [model.data(model.index(row, 0)) for row in range(model.rowCount())]
    assert top == ["All posts", "Unread", "Starred", "Categories", "Tags", "Archive"]
    total = len(archive.posts)
    assert counts(model, "all/") == f"{total} / {total}"
    guides = len(archive.by_category["guide"])
    assert counts(model, "category/guide") == f"{guides} / {guides}"
    year = model.index_of_path("year/2026")
    assert model.rowCount(year) >= 1
    assert model.data(model.index(0, 0, year)) == "2026-11"


def test_an_empty_group_is_not_shown(write_archive, tmp_path, qapp):
    """An archive without categories shows no empty "Categories" heading."""
    root = write_archive(
        {"_posts/2022-06-01-a.md": post_text(tags="t"), "_posts/2022-06-02-b.md": post_text()}
    )
    archive = load_archive(root)
    model = NavModel()
    model.set_archive(archive, StateStore(archive.root, tmp_path / "state.sqlite3"))
    top = [model.data(model.index(row, 0)) for row in range(model.rowCount())]
    assert top == ["All posts", "Unread", "Starred", "Tags", "Archive"]
    assert not model.index_of_path("group/categories").isValid()
    (tmp_path / "empty").mkdir()
    model.set_archive(load_archive(tmp_path / "empty"), None)
    top = [model.data(model.index(row, 0)) for row in range(model.rowCount())]
    assert top == ["All posts", "Unread", "Starred"]


def test_counts_follow_read_and_starred_marks(tmp_path, qapp):
    archive, state = seeds_and_state(tmp_path)
    model = NavModel()
    model.set_archive(archive, state)
    guide = archive.by_category["guide"][0]
    post = archive.posts[guide]
    changed = []
    model.dataChanged.connect(lambda a, b, roles: changed.append(model.data(a)))
    state.set_read([post.key])
    model.marks_changed([guide], {guide: False}, {guide: False})
    total = len(archive.posts)
    assert counts(model, "all/") == f"{total - 1} / {total}"
    guides = len(archive.by_category["guide"])
    assert counts(model, "category/guide") == f"{guides - 1} / {guides}"
    assert counts(model, "unread/") == str(total - 1)
    assert "guide" in changed
    state.set_starred([post.key])
    model.marks_changed([guide], {guide: True}, {guide: False})
    assert counts(model, "starred/") == "0 / 1"
    model.recount()
    assert counts(model, "category/guide") == f"{guides - 1} / {guides}"
    assert counts(model, "starred/") == "0 / 1"


def test_sorting_each_column(write_archive, tmp_path, qapp):
    root = write_archive(
        {
            "_posts/2022-06-01-b.md": post_text(title="banana", categories="zeta"),
            "_posts/2022-06-03-a.md": post_text(title="Apple", categories="alpha"),
            "_posts/2022-06-02-c.md": post_text(title="cherry", categories="mid"),
        }
    )
    archive = load_archive(root)
    model = PostTableModel()
    model.set_archive(archive, StateStore(root, tmp_path / "state.sqlite3"))
    model.set_rows(list(range(3)))
    titles = lambda: [model.data(model.index(r, TITLE)) for r in range(3)]  # noqa: E731
    assert titles() == ["Apple", "cherry", "banana"], "newest first by default"
    model.sort(DATE, Qt.SortOrder.AscendingOrder)
    assert titles() == ["banana", "cherry", "Apple"]
    model.sort(TITLE, Qt.SortOrder.AscendingOrder)
    assert titles() == ["Apple", "banana", "cherry"]
    model.sort(CATEGORY, Qt.SortOrder.DescendingOrder)
    assert titles() == ["banana", "cherry", "Apple"]


def test_unread_rows_are_bold_and_starred_rows_marked(write_archive, tmp_path, qapp):
    root = write_archive({"_posts/2022-06-01-a.md": post_text(), "_posts/2022-06-02-b.md": post_text()})
    archive = load_archive(root)
    state = StateStore(root, tmp_path / "state.sqlite3")
    model = PostTableModel()
    model.set_archive(archive, state)
    model.set_rows([0, 1])
    assert model.data(model.index(0, 0), Qt.ItemDataRole.FontRole).bold()
    state.set_read([archive.posts[0].key])
    state.set_starred([archive.posts[0].key])
    assert model.data(model.index(0, 0), Qt.ItemDataRole.FontRole) is None
    assert model.data(model.index(0, 0), Qt.ItemDataRole.DecorationRole) is not None
    assert model.data(model.index(1, 0), Qt.ItemDataRole.DecorationRole) is None


def test_repainting_the_views_keeps_none_alive(driver, write_archive):
    """PySide6 6.12.0 dropped a reference to None on every header repaint, which ended
    long sessions with "none_dealloc"; the pinned versions must not."""
    import sys

    window = driver.open(write_archive({f"_posts/2022-06-0{i}-p{i}.md": post_text() for i in range(1, 6)}))
    views = [window.list.viewport(), window.list.horizontalHeader().viewport(), window.tree.viewport()]
    for view in views:
        view.repaint()
    before = sys.getrefcount(None)
    for _ in range(200):
        for view in views:
            view.repaint()
    # Other threads (the watcher, the search worker) move the count a little; the bug
    # took one reference per header repaint: 200 here.
    assert sys.getrefcount(None) > before - 50


def test_title_order_worked_out_while_idle_sorts_like_the_direct_way(
    write_archive, tmp_path, qtbot, monkeypatch
):
    from reader.ui import post_model

    monkeypatch.setattr(post_model, "SLICE", 7)  # many slices, runs and merges
    titles = ["b", "A", "a", "c", "B", "碳中和", "央行", "", "a", "z", "Ω", "b"] * 4
    root = write_archive(
        {
            f"_posts/2022-06-{day:02d}-p{day}.md": post_text(
                title=title, date=f"2022-06-{day:02d} 10:00:00 +0800", categories="x"
            )
            for day, title in enumerate(titles, start=1)
            if day <= 28
        }
    )
    archive = load_archive(root)
    state = StateStore(root, tmp_path / "state.sqlite3")
    every = list(range(len(archive.posts)))
    shuffled = every[::2][::-1] + every[1::2]  # every post (the order kept at hand)
    some = every[::3]  # a node's posts (sorted by rank)

    def order(model, rows, sort_order):
        model.set_rows(rows)
        model.sort(TITLE, sort_order)
        return [model.post_index(r) for r in range(model.rowCount())]

    direct = PostTableModel()
    direct.set_archive(archive, state)
    direct._idle.stop()
    assert not direct.title_order_ready
    idle = PostTableModel()
    idle.set_archive(archive, state)
    qtbot.waitUntil(lambda: idle.title_order_ready, timeout=5000)
    for sort_order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        for rows in (shuffled, some):
            assert order(idle, rows, sort_order) == order(direct, rows, sort_order)
    ordered = [archive.posts[i].title.casefold() for i in order(idle, shuffled, Qt.SortOrder.AscendingOrder)]
    assert ordered == sorted(ordered) and len(set(ordered)) < len(ordered)  # ties were there


def test_recounting_gives_each_node_its_unread_posts_whatever_is_read(write_archive, tmp_path, qapp):
    """Counts come from the few read (or unread) posts when there are few, else from each
    node's index: both ways must agree with counting the posts one by one."""
    files = {
        f"{'_posts' if i % 3 else 'old_post'}/2022-{i % 12 + 1:02d}-{i % 27 + 1:02d}-p{i}.md": post_text(
            title=f"P{i}", categories=f"c{i % 5} c{i % 7}", tags=f"t{i % 4}"
        )
        for i in range(200)
    }
    archive = load_archive(write_archive(files))
    keys = [post.key for post in archive.posts]
    for read_now in (0, 3, 100, 197, 200):
        state = StateStore(archive.root, tmp_path / f"state-{read_now}.sqlite3")
        state.set_read(keys[7 : 7 + read_now] if read_now < 193 else keys[:read_now])
        model = NavModel()
        model.set_archive(archive, state)
        read = state.read
        for path, node in model._nodes_by_path.items():
            if node.indexes is None or path.startswith(("unread/", "starred/")):
                continue
            expected = sum(1 for i in node.indexes if archive.posts[i].key not in read)
            assert node.unread == expected, (read_now, path)
        assert counts(model, "unread/") == str(len(keys) - len(read))


def test_row_of_post_finds_one_row_without_making_the_whole_map(tmp_path, qapp):
    """The window's first turn after a load looks up one post; the map of every row
    (~9 ms at 100,000 posts) is made only when many lookups need it."""
    archive, state = seeds_and_state(tmp_path)
    model = PostTableModel()
    model.set_archive(archive, state)
    shown = list(range(0, len(archive.posts), 2))
    model.set_rows(shown)
    model.sort(TITLE, Qt.SortOrder.AscendingOrder)
    expected = {post: row for row, post in enumerate(model.post_indexes())}
    for post in range(len(archive.posts)):
        assert model.row_of_post(post) == expected.get(post, -1)
    assert model._row_of_cache is None
    model.posts_changed([shown[0]])  # many lookups: the map, with the same answers
    assert model._row_of_cache is not None
    assert all(model.row_of_post(post) == expected.get(post, -1) for post in range(len(archive.posts)))
