"""A post's date as Jekyll reads it (``reader/core/dates.py``): the front matter's date,
else the file name's, as the record keeps it; and the rules have one home."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from reader.core import dates

CST = timezone(timedelta(hours=8))
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(params=["compiled", "python"])
def either_path(request, monkeypatch):
    """Each test runs with the compiled date reader (where it is built) and without it."""
    if request.param == "python":
        monkeypatch.setattr(dates.native, "common_date", lambda value: None)
    return request.param


def test_the_front_matter_date_wins_over_the_file_name(either_path):
    problems: list[str] = []
    moment = dates.post_moment(
        {"date": "2022-06-01 15:43:26 +0800"}, "_posts/2021-01-02-x.md", None, problems
    )
    assert moment == (
        datetime(2022, 6, 1, 15, 43, 26),
        8 * 3600,
        datetime(2022, 6, 1, 15, 43, 26, tzinfo=CST).timestamp(),
    )
    assert problems == []


def test_a_yaml_time_without_offset_is_utc_as_ruby_reads_it(either_path):
    """Jekyll shows ``date: 2022-06-01 08:00`` as 16:00 +08:00 on a site in Asia/Shanghai."""
    moment = dates.post_moment({"date": datetime(2022, 6, 1, 8, 0)}, "_posts/x.md", SHANGHAI, [])
    assert moment == (
        datetime(2022, 6, 1, 8, 0),
        None,
        datetime(2022, 6, 1, 8, tzinfo=timezone.utc).timestamp(),
    )


def test_a_date_text_without_offset_and_a_file_name_date_are_in_the_site_zone(either_path):
    midnight = datetime(2022, 6, 1, tzinfo=SHANGHAI).timestamp()
    assert dates.post_moment({"date": "2022-6-1"}, "_posts/x.md", SHANGHAI, [])[2] == midnight
    assert dates.post_moment({}, "_posts/2022-06-01-x.md", SHANGHAI, [])[2] == midnight
    assert dates.post_moment({"date": date(2022, 6, 1)}, "_posts/x.md", SHANGHAI, [])[2] == midnight


def test_a_day_from_yaml_is_midnight(either_path):
    assert dates.post_moment({"date": date(2022, 6, 1)}, "_posts/x.md", timezone.utc, [])[:2] == (
        datetime(2022, 6, 1),
        None,
    )


def test_an_unreadable_date_falls_back_to_the_file_name_and_is_told(either_path):
    problems: list[str] = []
    moment = dates.post_moment(
        {"date": "2022-02-30 15:43:26 +0800"}, "a/_posts/2021-1-2-x.md", None, problems
    )
    assert moment is not None and moment[:2] == (datetime(2021, 1, 2), None)
    assert problems == ["date '2022-02-30 15:43:26 +0800' cannot be read"]


def test_an_impossible_file_name_day_is_told_and_gives_no_moment(either_path):
    problems: list[str] = []
    assert dates.post_moment({}, "_posts/2021-02-30-x.md", None, problems) is None
    assert problems == ["file name date '2021-02-30' is not a real day"]


def test_no_date_anywhere_gives_no_moment(either_path):
    problems: list[str] = []
    assert dates.post_moment({"date": ""}, "about.md", None, problems) is None
    assert problems == ["date is empty"]


def test_only_the_dates_module_reads_dates():
    """One definition: no other module of the core parses date text or calls the
    compiled date reader."""
    core = Path(dates.__file__).parent
    pattern = re.compile(r"common_date\(|fromisoformat\(|_DATE_TEXT|def parse_date_text|def normalise_date")
    readers = {
        path.name
        for path in core.glob("*.py")
        if path.name not in ("dates.py", "native.py") and pattern.search(path.read_text(encoding="utf-8"))
    }
    assert readers == set()
