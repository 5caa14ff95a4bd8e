from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from equal_outcomes.core.env import env_bool, env_choice, env_int, env_list, env_secret


def test_booleans_accept_the_usual_words_and_refuse_anything_else() -> None:
    assert env_bool("X", False, {"X": "Yes"}) is True
    assert env_bool("X", True, {"X": "off"}) is False
    assert env_bool("X", True, {}) is True
    with pytest.raises(ImproperlyConfigured, match="X must be one of"):
        env_bool("X", False, {"X": "maybe"})


def test_numbers_outside_their_range_are_refused() -> None:
    assert env_int("N", 5, environ={"N": "7"}, minimum=1) == 7
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("N", 5, environ={"N": "0"}, minimum=1)
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("N", 5, environ={"N": "ten"})


def test_an_unknown_environment_name_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured):
        env_choice("ENV", "production", ("production", "development"), {"ENV": "prod"})


def test_lists_drop_blanks() -> None:
    assert env_list("L", [], {"L": "a, ,b"}) == ["a", "b"]


def test_a_missing_secret_is_generated_privately_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "secret_key"
    first = env_secret("S", fallback_file=path, environ={})
    assert len(first) >= 64
    assert path.stat().st_mode & 0o777 == 0o600
    assert env_secret("S", fallback_file=path, environ={}) == first


def test_a_short_secret_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "weak"
    path.write_text("secret")
    with pytest.raises(ImproperlyConfigured, match="too short"):
        env_secret("S", fallback_file=tmp_path / "x", environ={"S_FILE": str(path)})


def test_production_is_the_default_and_is_secure(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import importlib

    import equal_outcomes.settings as settings_module

    monkeypatch.delenv("EQUAL_OUTCOMES_ENV", raising=False)
    monkeypatch.setenv("EQUAL_OUTCOMES_HOME", str(tmp_path))
    production = importlib.reload(settings_module)
    try:
        assert production.DEBUG is False
        assert production.SESSION_COOKIE_SECURE
        assert production.CSRF_COOKIE_SECURE
        assert production.SECURE_HSTS_SECONDS >= 31_536_000
        assert production.SECURE_SSL_REDIRECT is True
        assert production.ALLOWED_HOSTS == []
    finally:
        monkeypatch.setenv("EQUAL_OUTCOMES_ENV", "development")
        importlib.reload(settings_module)
