"""``reader check`` and ``reader list``: output, exit codes, and no Qt."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime

import pytest

from reader.cli import main
from reader.core.paths import bundled_seeds
from tests.conftest import REPO, post_text

SEED_TITLE = "蚂蚁集团发布2021可持续发展报告：2021年研发投入超188亿元"


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_summarises_and_exits_0_without_problems(write_archive, capsys):
    root = write_archive(
        {
            "_posts/2022-06-01-a.md": post_text(categories="x y", tags="t"),
            "_posts/2022-06-02-b.md": post_text(published="false"),
            "_drafts/c.md": post_text(),
        }
    )
    code, out, _ = run(capsys, "check", str(root))
    assert code == 0
    assert "Posts: 3 (1 unpublished, 1 drafts)" in out
    assert "Categories: 2" in out
    assert "Tags: 1" in out
    assert "Folders read: 3" in out
    assert "Problems: 0" in out


def test_check_lists_each_problem_and_exits_1(write_archive, capsys):
    root = write_archive(
        {"_posts/2022-06-01-a.md": "---\n- list\n---\n", "_posts/2022-06-02-b.md": b"\x00bin"}
    )
    code, out, _ = run(capsys, "check", str(root))
    assert code == 1
    assert "Problems: 2" in out
    assert "_posts/2022-06-02-b.md: binary file, not a post; skipped" in out
    assert "_posts/2022-06-01-a.md: front matter is not a mapping (it is a list); ignored" in out


def test_check_exits_2_for_an_unusable_folder(tmp_path, capsys):
    code, out, err = run(capsys, "check", str(tmp_path / "nope"))
    assert code == 2
    assert out == ""
    assert "no such folder" in err


def test_list_json_fields_newest_first(write_archive, capsys):
    root = write_archive(
        {
            "en/_posts/2022-06-01-a.md": post_text(
                title="A", date="2022-06-01 15:43:26 +0800", categories="news", tags="t1 t2"
            ),
            "old_post/b.md": post_text(title="B", date="2022-06-02"),
            "_config.yml": "timezone: Asia/Shanghai\n",
        }
    )
    code, out, _ = run(capsys, "list", str(root), "--json")
    assert code == 0
    posts = json.loads(out)
    assert [p["title"] for p in posts] == ["B", "A"]
    assert posts[1] == {
        "key": "en/2022-06-01-a.md",
        "path": "en/_posts/2022-06-01-a.md",
        "title": "A",
        "date": "2022-06-01T15:43:26+08:00",
        "categories": ["en", "news"],
        "tags": ["t1", "t2"],
        "published": True,
        "problems": [],
        "story": "en/2022-06-01-a.md",
    }
    assert posts[0]["date"] == "2022-06-02T00:00:00+08:00"


def test_list_dates_are_the_instants_jekyll_gives_in_the_sites_zone(write_archive, capsys):
    """As Jekyll 4.3 printed ``page.date`` for these posts on a site in Asia/Shanghai."""
    root = write_archive(
        {
            "_config.yml": "timezone: Asia/Shanghai\n",
            "_posts/2021-12-01-naive.md": "---\ndate: 2021-12-01 13:33:50\n---\n",  # UTC for Ruby's YAML
            "_posts/2021-12-02-offset.md": "---\ndate: 2021-12-02 13:33:50 +0100\n---\n",
            "_posts/2021-12-08-name.md": "---\ntitle: n\n---\n",  # midnight in the site's zone
            "_posts/2021-12-09-day.md": "---\ndate: 2021-12-10\n---\n",
            "_posts/2021-12-11-text.md": "---\ndate: 2021-12-11 5:06\n---\n",  # Time.parse: local
        }
    )
    code, out, _ = run(capsys, "list", str(root), "--json")
    assert code == 0
    assert {p["path"].split("-", 3)[-1]: p["date"] for p in json.loads(out)} == {
        "naive.md": "2021-12-01T21:33:50+08:00",
        "offset.md": "2021-12-02T20:33:50+08:00",
        "name.md": "2021-12-08T00:00:00+08:00",
        "day.md": "2021-12-10T00:00:00+08:00",
        "text.md": "2021-12-11T05:06:00+08:00",
    }
    code, out, _ = run(capsys, "list", str(root))
    assert [line[:16] for line in out.splitlines()] == sorted(
        (line[:16] for line in out.splitlines()), reverse=True
    )


def test_list_json_keeps_every_copy_of_a_story_and_names_its_story(write_archive, capsys):
    root = write_archive(
        {
            "_posts/2024-03-01-em.md": post_text(title="央行 降准", date="2024-03-01 09:30:10 +0800"),
            "old_post/2024-03-01-cls.md": post_text(title="央行降准！", date="2024-03-01 09:30:40 +0800"),
            "old_post/2024-03-01-other.md": post_text(title="Other", date="2024-03-01 09:30:40 +0800"),
        }
    )
    code, out, _ = run(capsys, "list", str(root), "--json")
    assert code == 0
    stories = {post["path"]: post["story"] for post in json.loads(out)}
    assert stories == {
        "_posts/2024-03-01-em.md": "2024-03-01-em.md",
        "old_post/2024-03-01-cls.md": "2024-03-01-em.md",
        "old_post/2024-03-01-other.md": "2024-03-01-other.md",
    }


def test_check_counts_stories_and_notes_copies_with_other_texts(write_archive, capsys):
    root = write_archive(
        {
            "_posts/2024-03-02-m.md": "---\ntitle: Moved\n---\nThe text now\n",
            "old_post/2024-03-02-m.md": "---\ntitle: Moved\n---\nThe text before\n",
            "_posts/2024-03-03-a.md": "---\ntitle: Same\n---\nSame text\n",
            "old_post/2024-03-03-a.md": "---\ntitle: Same\n---\nSame text\n",
        }
    )
    code, out, _ = run(capsys, "check", str(root))
    assert code == 0, "copies are not problems"
    assert "Stories: 2 (2 copies)" in out
    notes = [line for line in out.splitlines() if line.startswith("note:")]
    assert notes == ["note: old_post/2024-03-02-m.md: a copy of _posts/2024-03-02-m.md with another text"]


def test_list_table_is_readable(write_archive, capsys):
    root = write_archive(
        {
            "_posts/2022-06-01-a.md": post_text(title="央行", categories="cailianshe"),
            "_posts/2022-06-02-b.md": '---\ntitle: ""\npublished: false\n---\n',
        }
    )
    code, out, _ = run(capsys, "list", str(root))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("2022-06-02 00:00   U")
    assert lines[0].endswith("(untitled)")
    assert lines[1].startswith("2022-06-01 00:00      cailianshe  央行")


def test_list_exits_2_for_an_unusable_folder(tmp_path, capsys):
    code, _, err = run(capsys, "list", str(tmp_path / "nope"), "--json")
    assert code == 2
    assert "no such folder" in err


def test_news_seed_post(news_seed, capsys):
    code, out, _ = run(capsys, "list", str(news_seed), "--json")
    assert code == 0
    [post] = json.loads(out)
    assert post["title"] == SEED_TITLE
    # No _config.yml: the system's zone, as Jekyll; the same instant whatever it is.
    assert datetime.fromisoformat(post["date"]) == datetime.fromisoformat("2022-06-01T15:43:26+08:00")
    assert datetime.fromisoformat(post["date"]).utcoffset() is not None
    assert post["categories"] == ["cailianshe"]
    assert post["tags"] == ["财联社新闻"]
    assert post["problems"] == []
    assert run(capsys, "check", str(news_seed))[0] == 0


@pytest.mark.slow
def test_script_commands_never_import_qt():
    seeds = bundled_seeds()
    probe = (
        "import sys\n"
        "from reader.cli import main\n"
        f"main(['check', {str(seeds)!r}])\n"
        f"main(['list', {str(seeds)!r}, '--json'])\n"
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))], 'Qt was imported'\n"
        "print('no-qt')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("no-qt")


@pytest.mark.slow
def test_python_dash_m_reader_runs():
    result = subprocess.run(
        [sys.executable, "-m", "reader", "check", str(bundled_seeds())],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 1, result.stderr  # the sample shows problems on purpose
    assert "Problems: 4" in result.stdout


@pytest.mark.slow
def test_output_cut_short_by_a_pipe_is_not_an_error(write_archive):
    # More output than a pipe holds (64 KB), so the writer sees the pipe close.
    root = write_archive({f"_posts/2022-01-{n % 28 + 1:02d}-p{n}.md": post_text() for n in range(800)})
    command = f"{sys.executable} -m reader list {root} --json | head -1"
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert result.stdout.count("\n") == 1
    assert result.stderr == ""
    assert result.returncode == 0


def test_search_takes_an_excluded_word_as_a_query_word(write_archive, capsys):
    root = write_archive(
        {
            "_posts/2022-06-01-a.md": post_text("央行降息") + "央行宣布降息。\n",
            "_posts/2022-06-02-b.md": post_text("央行公告") + "央行发布公告。\n",
        }
    )
    code, out, err = run(capsys, "search", str(root), "央行", "-降息", "--json")
    assert (code, err) == (0, ""), err
    assert [hit["title"] for hit in json.loads(out)] == ["央行公告"]
    code, out, err = run(capsys, "search", str(root), "-降息", "央行", "--json")
    assert [hit["title"] for hit in json.loads(out)] == ["央行公告"]
    with pytest.raises(SystemExit) as stopped:
        main(["search", str(root), "央行", "--nonsense"])
    assert stopped.value.code == 2
    assert "--nonsense" in capsys.readouterr().err


def test_a_search_without_matches_says_so_on_stderr(write_archive, capsys):
    root = write_archive({"_posts/2022-06-01-a.md": post_text("央行降准")})
    code, out, err = run(capsys, "search", str(root), "碳中和")
    assert code == 1
    assert out == ""
    assert f'reader: no posts match "碳中和" in {root}' in err
    code, out, err = run(capsys, "search", str(root), "央行")
    assert code == 0
    assert "no posts match" not in err


@pytest.mark.parametrize("files", [{}, {"notes/readme.md": "# not a post\n"}], ids=["empty", "no posts"])
def test_check_on_a_folder_without_posts_explains_what_a_post_is_and_exits_1(write_archive, files, capsys):
    root = write_archive(files)
    code, out, err = run(capsys, "check", str(root))
    assert code == 1
    assert "Posts: 0" in out
    assert f"no posts in {root}" in err
    assert "_posts/ named YYYY-MM-DD-title.md" in err
    code, out, err = run(capsys, "list", str(root))
    assert (code, out) == (0, "")
    assert "_posts/ named YYYY-MM-DD-title.md" in err


def test_a_missing_folder_is_worded_alike_by_the_commands_and_the_window(tmp_path, capsys):
    missing = str(tmp_path / "nope")
    assert (
        run(capsys, "check", missing)[2] == run(capsys, missing)[2] == f"reader: {missing}: no such folder\n"
    )
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    assert run(capsys, "list", str(a_file))[2] == run(capsys, str(a_file))[2]
    assert run(capsys, str(a_file))[2] == f"reader: {a_file}: not a folder\n"


def test_render_prints_the_body_as_the_pane_renders_it(write_archive, capsys):
    root = write_archive(
        {
            "_posts/2022-06-01-a.md": post_text(title="T")
            + "{% assign who = 'reader' %}Hello **{{ who | upcase }}** from {{ page.title }}.\n",
            "_includes/note.html": "<i>{{ include.text }}</i>",
            "_posts/2022-06-02-b.md": post_text() + '{% include note.html text="included" %}\n',
        }
    )
    code, out, _ = run(capsys, "render", str(root), "2022-06-01-a")
    assert code == 0
    assert "Hello <strong>READER</strong> from T.</p>" in out
    code, out, _ = run(capsys, "render", str(root), "_posts/2022-06-02-b.md", "--text")
    assert (code, out) == (0, "Body text. included\n")


def test_render_says_what_it_cannot_run_and_exits_1(write_archive, capsys):
    root = write_archive({"_posts/2022-06-01-a.md": post_text() + "Before {% gist 12345 %} after\n"})
    code, out, err = run(capsys, "render", str(root), "2022-06-01-a.md", "--text")
    assert code == 1
    assert out == "Body text. Before {% gist 12345 %} after\n"
    assert "unknown tag 'gist'" in err
    code, _, err = run(capsys, "render", str(root), "nothing-like-it")
    assert code == 2 and "no such post" in err


def test_check_names_liquid_that_cannot_run_and_front_matter_jekyll_does_not_read(write_archive, capsys):
    root = write_archive(
        {
            "_posts/2022-06-01-a.md": post_text() + "{% include missing.html %}\n",
            "_posts/2022-06-02-b.md": "\n" + post_text(),
            "_posts/2022-06-03-c.md": post_text() + "{% if true %}fine{% endif %}\n",
        }
    )
    code, out, _ = run(capsys, "check", str(root))
    assert code == 1
    assert "Problems: 2" in out
    liquid = "Liquid (body line 2): include _includes/missing.html cannot be read"
    assert f"_posts/2022-06-01-a.md: {liquid}" in out
    assert "_posts/2022-06-02-b.md: front matter does not start on the first line: Jekyll reads none" in out
