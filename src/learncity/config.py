"""Every setting LearnCity reads from the environment, in one table.

Why one table: the CLI help (`learncity settings`), docs/configuration.md and a test that fails
when a setting is undocumented all read it, so configuration can never drift from its docs
(the idea comes from datasette's SETTINGS tuple).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATABASE_URL",
        "",
        "Database URL. Empty means the embedded SQLite file "
        "$LEARNCITY_HOME/learncity.sqlite3; postgres://user@host:5432/name for PostgreSQL.",
    ),
    Setting(
        "LEARNCITY_HOME",
        "var",
        "Folder for the SQLite file, uploaded evidence, import "
        "reports and (in development) the generated keys. Never commit it.",
    ),
    Setting(
        "LEARNCITY_ENV",
        "development",
        "development or production. Production refuses to "
        "start with a generated secret key or data key.",
    ),
    Setting(
        "LEARNCITY_SECRET_KEY",
        "",
        "Django secret key (sessions, CSRF). Generated into "
        "$LEARNCITY_HOME/keys/ in development when empty.",
    ),
    Setting(
        "LEARNCITY_DATA_KEY",
        "",
        "Base64 of 32 random bytes: the master key that encrypts "
        "identity numbers (AES-GCM) and keys their blind index (HMAC). Overrides the key file.",
    ),
    Setting(
        "LEARNCITY_DATA_KEY_FILE",
        "",
        "Path of a file holding the data key (base64). Default "
        "$LEARNCITY_HOME/keys/data.key, generated on first run in development only.",
    ),
    Setting(
        "LEARNCITY_ALLOWED_HOSTS",
        "127.0.0.1,localhost,testserver",
        "Comma-separated host names the portal answers to.",
    ),
    Setting("LEARNCITY_DEBUG", "0", "1 shows Django's debug pages. Never in production."),
    Setting(
        "LEARNCITY_DISTRICTS_FILE",
        "",
        "CSV of the city's districts (code,name_zh,name_en,"
        "zone,residents_2020). Default: Shanghai's 16 districts (2020 census).",
    ),
    Setting(
        "LEARNCITY_MAX_UPLOAD_MB",
        "200",
        "Largest spreadsheet or evidence file accepted, in megabytes.",
    ),
    Setting("LEARNCITY_MAX_IMPORT_ROWS", "2000000", "Most data rows one spreadsheet may hold."),
    Setting(
        "LEARNCITY_RECOGNISE_INLINE_ROWS",
        "20000",
        "Imports of up to this many outcomes "
        "are recognised before the upload answers; larger ones in the background, so the "
        "file is stored at once (`learncity recognise` finishes any that were interrupted).",
    ),
    Setting(
        "LEARNCITY_FOUR_EYES_CREDITS",
        "10",
        "A reviewer's recognition of more credits than this needs a second, different reviewer.",
    ),
    Setting(
        "LEARNCITY_APPEAL_DAYS",
        "60",
        "Days after a recognition decision in which the learner may appeal it once.",
    ),
    Setting("LEARNCITY_LANGUAGE", "zh-hans", "Default interface language: zh-hans or en."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    """Return a documented setting's value from the environment or its default."""
    setting = _BY_NAME[name]  # KeyError for an undocumented setting is intended
    return os.environ.get(name, setting.default)


def home() -> Path:
    return Path(get("LEARNCITY_HOME")).resolve()


def is_production() -> bool:
    return get("LEARNCITY_ENV") == "production"
