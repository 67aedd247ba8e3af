"""The settings file: defaults, a round trip, bad values named and replaced, damaged files, atomic writes."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import holidays
import pytest

from seller_desk import settings as settings_module
from seller_desk.settings import (
    SETTINGS_FILE,
    SLA_COUNTRIES,
    AppSettings,
    SettingsError,
    Theme,
    load_settings,
    save_settings,
)
from seller_desk.store.queries.returns_quick import STALLED_AFTER_DAYS
from seller_desk.sync.engine import PULL_INTERVAL_S


def test_defaults_are_what_the_app_does_without_settings(tmp_path: Path) -> None:
    loaded = load_settings(tmp_path)
    assert loaded.problems == ()
    assert loaded.settings == AppSettings()
    assert loaded.settings.sync_interval_s == PULL_INTERVAL_S  # the engine's own interval
    assert loaded.settings.stalled_after_days == STALLED_AFTER_DAYS == 5
    assert loaded.settings.sla_country is None  # each marketplace's own country, as the clocks do
    assert loaded.settings.holiday_country("GB") == "GB"
    assert loaded.settings.theme is Theme.SYSTEM


def test_a_round_trip_keeps_every_field(tmp_path: Path) -> None:
    chosen = AppSettings(sync_interval_s=120, sla_country="DE", stalled_after_days=9, theme=Theme.DARK)
    path = save_settings(tmp_path / "config", chosen)
    assert path == tmp_path / "config" / SETTINGS_FILE
    assert json.loads(path.read_text()) == {
        "sla_country": "DE", "stalled_after_days": 9, "sync_interval_s": 120, "theme": "dark",
    }  # fmt: skip
    loaded = load_settings(tmp_path / "config")
    assert loaded.settings == chosen and loaded.problems == ()
    assert loaded.settings.holiday_country("FR") == "DE"  # the override wins over the marketplace's


@pytest.mark.parametrize(
    ("field", "value", "why"),
    [
        ("sync_interval_s", 2, "between 5 and 3600 seconds"),
        ("sync_interval_s", 4000, "between 5 and 3600 seconds"),
        ("sync_interval_s", 7.5, "whole number of seconds"),
        ("sync_interval_s", True, "whole number of seconds"),
        ("stalled_after_days", 0, "between 1 and 90 days"),
        ("stalled_after_days", "5", "whole number of days"),
        ("sla_country", "XX", "one of"),
        ("theme", "purple", "one of system, light, dark"),
    ],
)
def test_an_invalid_value_is_refused_with_its_field_named(field: str, value: object, why: str) -> None:
    with pytest.raises(SettingsError) as caught:
        AppSettings(**{field: value})  # type: ignore[arg-type]
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ") and why in str(caught.value)


def test_a_bad_field_falls_back_alone_and_is_named(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / SETTINGS_FILE).write_text(
        json.dumps({"sync_interval_s": 1, "stalled_after_days": 8, "theme": "neon", "future_key": 1})
    )
    with caplog.at_level(logging.WARNING, logger="seller_desk.settings"):
        loaded = load_settings(tmp_path)
    assert loaded.settings == AppSettings(stalled_after_days=8)  # the good field kept, the bad ones reset
    assert [p.field for p in loaded.problems] == ["sync_interval_s", "theme"]
    assert "between 5 and 3600" in str(loaded.problems[0]) and "'neon'" in str(loaded.problems[1])
    assert "sync_interval_s" in caplog.text and "theme" in caplog.text


@pytest.mark.parametrize(
    ("content", "why"),
    [("{not json", "is not valid JSON"), ("[1, 2]", "not a JSON object"), ("", "is not valid JSON")],
)
def test_a_damaged_file_loads_the_defaults_and_says_why(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, content: str, why: str
) -> None:
    (tmp_path / SETTINGS_FILE).write_text(content)
    with caplog.at_level(logging.WARNING, logger="seller_desk.settings"):
        loaded = load_settings(tmp_path)
    assert loaded.settings == AppSettings()
    assert len(loaded.problems) == 1 and loaded.problems[0].field is None
    assert why in loaded.problems[0].message and SETTINGS_FILE in loaded.problems[0].message
    assert why in caplog.text


def test_a_file_of_bytes_that_are_not_utf8_is_damaged_not_fatal(tmp_path: Path) -> None:
    (tmp_path / SETTINGS_FILE).write_bytes(b"\xff\xfe\x00garbage")
    loaded = load_settings(tmp_path)
    assert loaded.settings == AppSettings() and "cannot be read" in loaded.problems[0].message


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_settings(tmp_path, AppSettings(stalled_after_days=7))
    before = (tmp_path / SETTINGS_FILE).read_bytes()

    def full_disk(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(settings_module.os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space left"):
        save_settings(tmp_path, AppSettings(stalled_after_days=30, theme=Theme.DARK))
    assert (tmp_path / SETTINGS_FILE).read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [SETTINGS_FILE]
    assert load_settings(tmp_path).settings.stalled_after_days == 7


def test_the_write_goes_through_a_replace_of_a_complete_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[dict[str, object]] = []
    real_replace = os.replace

    def watching_replace(src: str, dst: Path) -> None:
        seen.append(json.loads(Path(src).read_text()))  # the temporary is whole before it is renamed
        real_replace(src, dst)

    monkeypatch.setattr(settings_module.os, "replace", watching_replace)
    save_settings(tmp_path, AppSettings(theme=Theme.LIGHT))
    assert seen == [AppSettings(theme=Theme.LIGHT).to_json()]


def test_every_sla_country_has_a_holiday_calendar() -> None:
    supported = holidays.list_supported_countries()
    assert SLA_COUNTRIES and all(country in supported for country in SLA_COUNTRIES)
    assert "GB" in SLA_COUNTRIES and "UK" not in SLA_COUNTRIES  # holidays' code for the UK marketplace


def test_a_second_reader_can_load_without_logging_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / SETTINGS_FILE).write_text('{"theme": 3}')
    with caplog.at_level(logging.WARNING, logger="seller_desk.settings"):
        quiet = load_settings(tmp_path, log_problems=False)
    assert caplog.text == "" and [p.field for p in quiet.problems] == ["theme"]
