# The compiled helpers, reader/core/_fastio_c/ (module.c lists each file and its concern).

from collections.abc import Callable
from typing import Any

#: by category, by tag, by (year, month): positions as the bytes of array("i")s; problems
Packed = tuple[dict[str, bytes], dict[str, bytes], dict[tuple[int, int], bytes], int]

def stat_folders(segments: list[tuple[str, list[str]]], /) -> list[tuple[bytes, bytes, bytes]]: ...
def list_folder(folder: str, /) -> tuple[list[str], bytes]: ...
def set_front_matter_rules(
    key_ok: Callable[[str], bool], resolve: Callable[[str], tuple[bool, Any]], resolvable: str, /
) -> None: ...
def simple_front_matter(data: bytes, complete: bool, /) -> dict[str, Any] | None: ...
def read_head(path: str, folder: int, limit: int, /) -> tuple[bytes, int, int]: ...
def common_date(value: object, /) -> tuple[int, int, int, int, int, int, int, int, float] | None: ...
def sort_rows(
    rows: list[tuple[Any, ...]],
    moment_at: int,
    path_at: int,
    categories_at: int,
    tags_at: int,
    year_at: int,
    month_at: int,
    problems_at: int,
    /,
) -> Packed | None: ...
