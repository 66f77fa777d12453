"""A post's date, as Jekyll reads it: the one definition of every date rule.

Jekyll dates a post by its front matter's ``date``, else by its file name
(``2022-06-01-slug.md``); a draft, or a post with neither, by its file's mtime.

- :func:`parse_date_text`: the text forms archives write, as Ruby's ``Time.parse`` reads
  them (``2022-06-01 15:43:26 +0800``, ``+08:00``, ``Z``, no offset, a bare day…).
- :func:`normalise_date`: a front-matter value as a datetime. YAML has already made a
  ``datetime`` or ``date`` of a timestamp it could build; one that is not a real time
  (``2022-02-30``) stays text there, as in Ruby's YAML (the loader's timestamp rule is
  in :mod:`reader.core.front_matter`, with YAML's other types), and is read here.
- :func:`post_date`: the front matter's date, else the file name's, with what is wrong
  with them told as problems.
- :func:`moment`: a date as the :class:`~reader.core.post.Post` record keeps it: as
  written (naive), its offset, and a timestamp: the instant Jekyll gives it. A date
  without an offset is in the site's zone (``timezone`` in ``_config.yml``, else the
  system's), except a YAML time without an offset, which Ruby's YAML reads as UTC
  (:func:`is_utc_time`).
- :func:`shown_time`: a post's time as Jekyll gives it and Reader shows it: in the
  site's zone, always with an offset.
- :func:`post_moment`: a post's moment from its front matter and file name: the above in
  one call. The common form (``2022-06-01 15:43:26 +0800``, nine posts in ten) takes a
  compiled fast path, :func:`reader.core.native.common_date`, called from here only: it
  gives exactly what the Python rules give (``tests/core/test_fastio.py`` compares them)
  and skips a datetime, a zone and a timestamp in Python per post (see
  ``tests/benchmarks/native.py``). Without the compiled helper it answers None and the
  Python rules run.

A search query's ``before:``/``after:`` days are the query's syntax, not a post's date:
they are read in :mod:`reader.core.search`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Any

from reader.core import jekyll, native
from reader.core.post import Post

# --- text forms -----------------------------------------------------------------------

_DATE_TEXT = re.compile(
    r"""\A\s*
    (?P<y>[0-9]{4})[-/](?P<m>[0-9]{1,2})[-/](?P<d>[0-9]{1,2})
    (?:(?:[Tt]|\s+)
       (?P<H>[0-9]{1,2}):(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2})(?:\.(?P<f>[0-9]+))?)?
    )?
    \s*(?P<tz>[Zz]|UTC|GMT|[+-][0-9]{1,2}(?::?[0-9]{2})?)?
    \s*\Z""",
    re.X,
)


def _offset(text: str) -> tzinfo:
    if text in ("Z", "z", "UTC", "GMT"):
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours = int(digits[:-2] or 0) if len(digits) > 2 else int(digits)
    minutes = int(digits[-2:]) if len(digits) > 2 else 0
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


#: Offsets as written (``+0800``) -> their zone: an archive uses a handful.
_ZONES: dict[str, tzinfo] = {}


def _zone(text: str) -> tzinfo:
    zone = _ZONES.get(text)
    if zone is None:
        zone = _offset(text)  # raises ValueError for an offset of a day or more
        if len(_ZONES) < 1000:
            _ZONES[text] = zone
    return zone


def parse_date_text(text: str) -> datetime | None:
    """Parse the date forms real archives write, as Ruby's ``Time.parse`` would.

    ``2022-06-01 15:43:26 +0800``, ``+08:00``, ``Z``, no offset (naive), a bare day,
    ``2015-03-9``, ``2022/06/01``. Returns None for anything else, an impossible day
    included.
    """
    if _COMMON_DATE.match(text):
        try:
            return datetime.fromisoformat(text)  # the same result, ten times sooner
        except ValueError:
            pass  # not a real day; or a Python before 3.11, which reads fewer forms
    return _parse_date_text(text)


#: The form most archives write, ``2022-06-01 15:43:26 +0800``, with an offset below a day.
_COMMON_DATE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} [+-](?:[01][0-9]|2[0-3])[0-5][0-9]\Z"
)


def _parse_date_text(text: str) -> datetime | None:
    match = _DATE_TEXT.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, tz = match.groups()
    try:
        return datetime(
            int(year),
            int(month),
            int(day),
            int(hour) if hour else 0,
            int(minute) if minute else 0,
            int(second) if second else 0,
            int(fraction[:6].ljust(6, "0")) if fraction else 0,
            tzinfo=_zone(tz) if tz else None,
        )
    except ValueError:
        return None


def normalise_date(value: object) -> datetime | None:
    """Any front-matter date value (string, datetime, date) as a datetime, or None."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        return parse_date_text(value)
    return None


# --- a post's date --------------------------------------------------------------------


def post_date(data: Mapping[str, Any], relative: str, problems: list[str]) -> datetime | None:
    """The front matter's date, else the date in the file name of the post at ``relative``;
    None when neither gives one."""
    when: datetime | None = None
    if "date" in data:
        when = normalise_date(data["date"])
        if when is None:
            shown = jekyll.ruby_to_s(data["date"]).strip()
            problems.append(f"date {shown!r} cannot be read" if shown else "date is empty")
    if when is None:
        day_text = jekyll.split_filename(relative.rsplit("/", 1)[-1])[0]
        if day_text is not None:
            when = parse_date_text(day_text)
            if when is None:
                problems.append(f"file name date {day_text!r} is not a real day")
    return when


#: A post's moment as :class:`Post` keeps it: the date as written (naive), the offset
#: east of UTC in seconds (None when the date has none) and the timestamp.
Moment = tuple[datetime, int | None, float]


def from_parts(parts: tuple[int, int, int, int, int, int, int, int | None, float]) -> Moment:
    """The compiled date reader's answer (the date's parts, offset, timestamp) as a moment."""
    return datetime(*parts[:7]), parts[7], parts[8]


_EPOCH = datetime(1970, 1, 1)


def _instant(timestamp: float, zone: tzinfo | None) -> datetime | None:
    try:
        if zone:
            return datetime.fromtimestamp(timestamp, zone)
        return datetime.fromtimestamp(timestamp).astimezone()
    except (OverflowError, OSError, ValueError):  # beyond the calendar's ends
        return None


def instant(timestamp: float, zone: tzinfo | None) -> datetime:
    """The moment ``timestamp`` in ``zone`` (the system's when None), with its offset."""
    found = _instant(timestamp, zone)
    if found is None:
        return (datetime.min if timestamp < 0 else datetime.max).replace(tzinfo=timezone.utc)
    return found


def shown_time(post: Post, zone: tzinfo | None) -> datetime:
    """A post's time as Jekyll gives it (``page.date``) and Reader shows it (the window,
    ``reader list``, its JSON): its instant in the site's zone (``zone``; else the
    system's), with that offset, whatever offset the post wrote. So a list sorted by date
    reads sorted. A time beyond the calendar's ends is shown as written."""
    return _instant(post.timestamp, zone) or post.date


def moment(when: datetime, site_zone: tzinfo | None) -> Moment:
    """``when`` as a post's fields keep it: a date with no offset is in the site's zone."""
    offset = when.utcoffset()
    try:
        if offset is None:
            timestamp = (when if site_zone is None else when.replace(tzinfo=site_zone)).timestamp()
        else:
            timestamp = when.timestamp()
    except (OverflowError, ValueError):
        # At the calendar's ends (``0001-01-01`` with no offset, in a zone east of UTC)
        # the local time steps out of it on the way to UTC: the time is read as UTC.
        timestamp = (when.replace(tzinfo=None) - _EPOCH).total_seconds()
        timestamp -= offset.total_seconds() if offset is not None else 0
    seconds = None if offset is None else int(offset.total_seconds())
    return when.replace(tzinfo=None), seconds, timestamp


def post_moment(
    data: Mapping[str, Any], relative: str, site_zone: tzinfo | None, problems: list[str]
) -> Moment | None:
    """The moment of the post at ``relative`` with front matter ``data``: its date written
    the common way in one compiled call, else :func:`post_date` as a :func:`moment`; None
    when neither the front matter nor the file name gives a date."""
    parts = native.common_date(data.get("date"))
    if parts is not None:
        return from_parts(parts)
    when = post_date(data, relative, problems)
    if when is None:
        return None
    return moment(when, timezone.utc if is_utc_time(data.get("date"), when) else site_zone)


def is_utc_time(value: object, when: datetime) -> bool:
    """Is ``when`` (read from the front-matter value ``value``) a time that Jekyll takes
    as UTC? A YAML timestamp with a time and no offset is UTC for Ruby's YAML (Jekyll
    shows ``date: 2021-12-01 13:33:50`` as 21:33:50 on a site in Asia/Shanghai); a day
    alone, text Ruby's ``Time.parse`` reads and a file name's date are local: the site's
    ``timezone``, else the system's."""
    return when is value and when.tzinfo is None
