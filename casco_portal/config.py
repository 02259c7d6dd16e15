"""Reading settings from the environment, with one-line errors that name the variable.

``casco_portal/settings.py`` reads every variable through these functions. A value that cannot be
used raises ``ConfigurationError`` (an ``ImproperlyConfigured``): ``manage.py`` and
``casco_portal/wsgi.py`` print its message as one line on standard error and exit non-zero instead
of a traceback, so an operator who typed ``CONN_MAX_AGE=1m`` reads which variable is wrong and why.
This module imports nothing from the project and little from Django, so those entry points and
casco_portal/gunicorn.conf.py (read by gunicorn's master) can import it before settings.
"""

import os

from django.core.exceptions import ImproperlyConfigured


class ConfigurationError(ImproperlyConfigured):
    """A setting from the environment that the portal cannot start with; the message is one line
    naming the variable."""


def report_and_exit(error, status=1):
    """Print ``error`` as the one line an operator reads and end the process with ``status``."""
    import sys

    sys.stderr.write(f"Configuration error: {error}\n")
    sys.exit(status)


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _number(name, default, kind, minimum):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = kind(raw.strip())
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise ConfigurationError(f"{name} must be {what}, not {raw!r}.") from None
    if value != value or value in (float("inf"), float("-inf")):  # NaN or infinity
        raise ConfigurationError(f"{name} must be a finite number, not {raw!r}.")
    if minimum is not None and value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, not {raw!r}.")
    return value


def env_int(name: str, default: int, *, minimum: int | None = 0) -> int:
    """The whole number in ``name`` (``default`` when unset or empty). Not a whole number, or below
    ``minimum`` (0 unless stated; None for no bound): ``ConfigurationError`` naming ``name``."""
    return _number(name, default, int, minimum)


def env_float(name: str, default: float, *, minimum: float | None = 0) -> float:
    """The number in ``name`` (``default`` when unset or empty), as ``env_int`` but a float."""
    return _number(name, default, float, minimum)


def check_secret_key(key: str) -> None:
    """Refuse a production secret key that `check --deploy` would call weak: shorter than 50
    characters, fewer than 5 distinct characters, or Django's generated development key."""
    # The bounds `manage.py check --deploy` (security.W009) judges a secret key by.
    from django.core.checks.security.base import (
        SECRET_KEY_INSECURE_PREFIX,
        SECRET_KEY_MIN_LENGTH,
        SECRET_KEY_MIN_UNIQUE_CHARACTERS,
    )

    if len(key) < SECRET_KEY_MIN_LENGTH:
        raise ConfigurationError(
            f"SECRET_KEY is too short ({len(key)} characters, at least {SECRET_KEY_MIN_LENGTH} are "
            "needed when DEBUG is off): generate one with "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
    if len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        raise ConfigurationError(
            f"SECRET_KEY has only {len(set(key))} distinct characters (at least "
            f"{SECRET_KEY_MIN_UNIQUE_CHARACTERS} are needed when DEBUG is off): use a random key."
        )
    if key.startswith(SECRET_KEY_INSECURE_PREFIX):
        raise ConfigurationError(
            f"SECRET_KEY starts with {SECRET_KEY_INSECURE_PREFIX!r}, Django's development key: use a random key."
        )
