"""The seller's preferences (Settings…), kept as ``settings.json`` in the config directory.

No Qt here: the window, the CLI and the tests read the same file the same way. ``AppSettings`` is a
frozen dataclass checked field by field rather than a pydantic model because the window reads it
before its first paint, and pydantic's import and model build would cost more than the whole file.

A file that cannot be used never stops the app. Missing: the defaults. Not JSON, or not an object:
the defaults, and one problem naming the file. A field of the wrong type or out of range: that field's
default, the others as written, and a problem naming the field and why. ``load_settings`` logs every
problem and returns them, so the Settings dialog can show what it had to set back.

Writes are atomic (a temporary file in the same directory, fsync, ``os.replace``): a crash or a full
disk mid-write leaves the previous file as it was, never half a file.

The Restock screen's planning defaults (lead time, cover, safety stock, horizon) are not here: they
stay in the window's ``window.ini`` (``ui/views/restock_settings.py``), where the Restock screen's own
row edits them, and the Settings dialog writes the same keys, so there is one place for each value.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from pathlib import Path
from typing import Any

from seller_desk.domain.marketplaces import MARKETPLACES
from seller_desk.store.queries.returns_quick import STALLED_AFTER_DAYS

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.json"
# = ``sync.engine.PULL_INTERVAL_S`` (tests/test_settings.py pins it): importing the engine here would
# load httpx and the sync machinery (~0.9 s) before the window's first paint.
DEFAULT_SYNC_INTERVAL_S = 30
SYNC_INTERVAL_BOUNDS = (5, 3600)
STALLED_DAYS_BOUNDS = (1, 90)
# Countries whose public holidays can stop a refund clock: those of the marketplaces Seller Desk serves.
SLA_COUNTRIES: tuple[str, ...] = tuple(sorted({m.country for m in MARKETPLACES.values()}))


class Theme(StrEnum):
    SYSTEM = "system"  # follow the operating system's light or dark scheme
    LIGHT = "light"
    DARK = "dark"


class SettingsError(ValueError):
    """A value the settings cannot take; ``field`` names it, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


@dataclass(frozen=True, slots=True)
class SettingProblem:
    """Why a stored value was not used (``field`` is None for the file as a whole)."""

    field: str | None
    message: str

    def __str__(self) -> str:
        return self.message if self.field is None else f"{self.field}: {self.message}"


def _whole_number(value: object, low: int, high: int, unit: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"must be a whole number of {unit}, got {value!r}")
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(f"must be a whole number of {unit}, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"must be between {low} and {high} {unit}, got {value!r}")
    return int(value)


def _sync_interval(value: object) -> int:
    return _whole_number(value, *SYNC_INTERVAL_BOUNDS, "seconds")


def _stalled_days(value: object) -> int:
    return _whole_number(value, *STALLED_DAYS_BOUNDS, "days")


def _sla_country(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or value.strip().upper() not in SLA_COUNTRIES:
        raise ValueError(
            f"must be null (each marketplace's own country) or one of {', '.join(SLA_COUNTRIES)}, "
            f"got {value!r}"
        )
    return value.strip().upper()


def _theme(value: object) -> Theme:
    if isinstance(value, str) and value in Theme._value2member_map_:
        return Theme(value)
    raise ValueError(f"must be one of {', '.join(t.value for t in Theme)}, got {value!r}")


_CHECKS: dict[str, Callable[[object], Any]] = {
    "sync_interval_s": _sync_interval,
    "sla_country": _sla_country,
    "stalled_after_days": _stalled_days,
    "theme": _theme,
}


@dataclass(frozen=True, slots=True)
class AppSettings:
    """Every preference with its default; constructing one with a bad value raises ``SettingsError``."""

    sync_interval_s: int = DEFAULT_SYNC_INTERVAL_S  # seconds between pulls while online
    sla_country: str | None = None  # None: each marketplace's own country (domain/marketplaces.py)
    stalled_after_days: int = STALLED_AFTER_DAYS  # in transit with no scan for this long: "stalled"
    theme: Theme = Theme.SYSTEM

    def __post_init__(self) -> None:
        for name, check in _CHECKS.items():
            try:
                object.__setattr__(self, name, check(getattr(self, name)))
            except ValueError as exc:
                raise SettingsError(name, str(exc)) from None

    def holiday_country(self, marketplace_country: str) -> str:
        """The calendar a business-day clock of a marketplace in ``marketplace_country`` counts in."""
        return self.sla_country or marketplace_country

    def to_json(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> tuple[AppSettings, list[SettingProblem]]:
        """The settings ``data`` describes; each bad field is replaced by its default and reported."""
        values: dict[str, Any] = {}
        problems: list[SettingProblem] = []
        for name, check in _CHECKS.items():
            if name not in data:
                continue
            try:
                values[name] = check(data[name])
            except ValueError as exc:
                problems.append(SettingProblem(name, f"{exc}; using the default"))
        unknown = sorted(set(data) - set(_CHECKS))
        if unknown:
            log.info("settings: ignoring unknown keys %s (from a newer version?)", ", ".join(unknown))
        return cls(**values), problems


@dataclass(frozen=True, slots=True)
class LoadedSettings:
    settings: AppSettings
    problems: tuple[SettingProblem, ...] = ()


def settings_path(config_dir: Path) -> Path:
    return config_dir / SETTINGS_FILE


def load_settings(config_dir: Path, *, log_problems: bool = True) -> LoadedSettings:
    """The saved settings (defaults where missing or unusable); never raises for a bad file.

    ``log_problems`` off: a second reader at start-up (the window, after ``app.py``) logs nothing twice.
    """
    path = settings_path(config_dir)
    loaded = _load(path)
    if log_problems:
        for problem in loaded.problems:
            log.warning("%s: %s", path, problem)
    return loaded


def _load(path: Path) -> LoadedSettings:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return LoadedSettings(AppSettings())
    except (OSError, UnicodeDecodeError) as exc:
        return _defaults_because(path, f"cannot be read ({exc})")
    try:
        data = json.loads(text)
    except ValueError as exc:
        return _defaults_because(path, f"is not valid JSON ({exc})")
    if not isinstance(data, dict):
        return _defaults_because(path, f"holds {type(data).__name__}, not a JSON object")
    settings, problems = AppSettings.from_json(data)
    return LoadedSettings(settings, tuple(problems))


def _defaults_because(path: Path, why: str) -> LoadedSettings:
    return LoadedSettings(
        AppSettings(), (SettingProblem(None, f"{path.name} {why}; using the default settings"),)
    )


def save_settings(config_dir: Path, settings: AppSettings) -> Path:
    """Write ``settings`` atomically; on any failure the previous file is left untouched."""
    config_dir.mkdir(parents=True, exist_ok=True)
    path = settings_path(config_dir)
    fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".json", dir=config_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(settings.to_json(), fh, indent=2, sort_keys=True)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
