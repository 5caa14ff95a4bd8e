"""Typed readers for settings that come from the environment.

Each helper refuses a malformed value with ``ImproperlyConfigured`` rather than guessing, so a
typo in a deployment fails at start-up instead of silently weakening security.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str, environ: Mapping[str, str] = os.environ) -> str:
    """The variable's value, or ``default`` when it is unset or empty."""
    value = environ.get(name, "").strip()
    return value or default


def env_bool(name: str, default: bool, environ: Mapping[str, str] = os.environ) -> bool:
    """A boolean written as 1/0, true/false, yes/no or on/off (any case)."""
    raw = environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of true/false, yes/no, on/off or 1/0; got {raw!r}"
    )


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] = os.environ,
) -> int:
    """A whole number, optionally within ``minimum``..``maximum``."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}; got {value}")
    return value


def env_list(name: str, default: list[str], environ: Mapping[str, str] = os.environ) -> list[str]:
    """A comma-separated list with blanks removed."""
    raw = environ.get(name, "")
    if not raw.strip():
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(
    name: str, default: str, choices: tuple[str, ...], environ: Mapping[str, str] = os.environ
) -> str:
    """One of a fixed set of words."""
    value = env_str(name, default, environ).lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return value


def env_secret(name: str, *, fallback_file: Path, environ: Mapping[str, str] = os.environ) -> str:
    """A secret from ``NAME``, from the file named by ``NAME_FILE``, or from ``fallback_file``.

    When none exists, a strong random secret is written to ``fallback_file`` (mode 0600), so a
    fresh installation never runs on a secret that is shared with anyone else or kept in the repo.
    """
    value = environ.get(name, "").strip()
    if value:
        return value
    file_name = environ.get(f"{name}_FILE", "").strip()
    path = Path(file_name) if file_name else fallback_file
    if file_name and not path.is_file():
        raise ImproperlyConfigured(f"{name}_FILE names {path}, which does not exist")
    if not path.exists():
        import secrets

        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    secret = path.read_text().strip()
    if len(secret) < 32:
        raise ImproperlyConfigured(f"the secret in {path} is too short (under 32 characters)")
    return secret


def private_home(path: Path) -> Path:
    """Make ``path`` the installation's home, open to its owner alone: the folder 0700 (made so
    if it was not), and every file this process writes there 0600 whatever the umask it was
    started with. The home holds the database, the key ring and the analytics stores."""
    os.umask(0o077)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path
