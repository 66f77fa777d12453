"""The site's ``_config.yml``: what Reader uses of it (its time zone)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from reader.core import front_matter
from reader.core.post import Problem
from reader.core.resources import open_inside


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """What the reader uses from ``_config.yml``."""

    values: dict[str, Any]
    zone: tzinfo | None  # ``timezone:``; None means the system's local zone


#: The largest ``_config.yml`` read (1 MiB; a site's is a few KB).
CONFIG_LIMIT = 1 << 20


def read_site_config(root: Path) -> tuple[SiteConfig, list[Problem]]:
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    config_path = root / "_config.yml"
    if config_path.is_file():
        left_out: list[str] = []
        try:
            with open_inside(root, "_config.yml", CONFIG_LIMIT) as file:  # never through a link out
                raw = file.read(CONFIG_LIMIT)
            loaded = front_matter.parse_yaml(front_matter.decode(raw).text, left_out)
        except (OSError, yaml.YAMLError, front_matter.UndecodableError) as error:
            why = (
                error.strerror
                if isinstance(error, OSError) and error.strerror
                else front_matter.first_line(error)
            )
            problems.append(Problem("_config.yml", f"cannot be read: {why}"))
        else:
            for why in left_out:
                problems.append(Problem("_config.yml", why.replace("front matter", "settings", 1)))
            if isinstance(loaded, dict):
                values = {str(k): v for k, v in loaded.items()}
            elif loaded is not None:
                problems.append(Problem("_config.yml", "is not a mapping; ignored"))
    zone: tzinfo | None = None
    name = values.get("timezone")
    if isinstance(name, str) and name:
        try:
            zone = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(Problem("_config.yml", f"unknown timezone {name!r}; using the system's"))
    return SiteConfig(values, zone), problems
