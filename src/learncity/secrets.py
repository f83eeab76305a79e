"""Where keys come from: the environment, a key file, or (development only) a generated file.

Why not in the database: a stolen database dump must not carry the key that decrypts it.
Nothing here runs at import; settings call `django_secret_key()` once and the vault asks for the
data key when it first needs it.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from learncity import config
from learncity.errors import ConfigurationError


def _read_or_generate(path: Path, make: callable, what: str) -> str:
    if path.exists():
        return path.read_text().strip()
    if config.is_production():
        raise ConfigurationError(
            f"{what} is not set. In production set it in the environment or in {path}; "
            "LearnCity will not generate one for you."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return value


def django_secret_key() -> str:
    value = config.get("LEARNCITY_SECRET_KEY")
    if value:
        return value
    return _read_or_generate(
        config.home() / "keys" / "secret.key",
        lambda: secrets.token_urlsafe(50),
        "LEARNCITY_SECRET_KEY",
    )


def data_key() -> bytes:
    """The 32-byte master key for personal data."""
    value = config.get("LEARNCITY_DATA_KEY")
    if not value:
        key_file = config.get("LEARNCITY_DATA_KEY_FILE")
        path = Path(key_file) if key_file else config.home() / "keys" / "data.key"
        value = _read_or_generate(
            path, lambda: base64.b64encode(secrets.token_bytes(32)).decode(), "LEARNCITY_DATA_KEY"
        )
    try:
        key = base64.b64decode(value, validate=True)
    except ValueError as exc:
        raise ConfigurationError("LEARNCITY_DATA_KEY is not valid base64.") from exc
    if len(key) != 32:
        raise ConfigurationError("LEARNCITY_DATA_KEY must decode to exactly 32 bytes.")
    return key
