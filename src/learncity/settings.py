"""Django settings, all read through learncity.config (see docs/configuration.md)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from learncity import config
from learncity.secrets import django_secret_key

PACKAGE_DIR = Path(__file__).resolve().parent
HOME = config.home()

SECRET_KEY = django_secret_key()
DEBUG = config.get("LEARNCITY_DEBUG") == "1"
ALLOWED_HOSTS = [h.strip() for h in config.get("LEARNCITY_ALLOWED_HOSTS").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "learncity.audit",
    "learncity.identity",
    "learncity.institutions",
    "learncity.framework",
    "learncity.records",
    "learncity.catalogue",
    "learncity.creditbank",
    "learncity.transfer",
    "learncity.credentials",
    "learncity.portal",
    "learncity.lrs",
    "learncity.monitoring",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "learncity.portal.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "learncity.urls"
WSGI_APPLICATION = "learncity.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "learncity.portal.context.roles",
            ],
        },
    },
]


def _database() -> dict:
    url = config.get("DATABASE_URL")
    if url:
        db = dj_database_url.parse(url, conn_max_age=60)
        if db["ENGINE"].endswith("postgresql"):
            db.setdefault("TEST", {})["NAME"] = f"test_learncity_{os.getpid()}"
        return db
    HOME.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(HOME / "learncity.sqlite3"),
        # WAL lets readers go on while an import writes; IMMEDIATE avoids lock upgrades mid-write.
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        # Tests use a file too (one per process), so concurrent transactions behave as in use.
        "TEST": {"NAME": str(HOME / f"test-{os.getpid()}.sqlite3")},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = config.get("LEARNCITY_LANGUAGE")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request otherwise
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = HOME / "media"
MEDIA_URL = "/media/"

MAX_UPLOAD_BYTES = int(config.get("LEARNCITY_MAX_UPLOAD_MB")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
MAX_IMPORT_ROWS = int(config.get("LEARNCITY_MAX_IMPORT_ROWS"))
RECOGNISE_INLINE_ROWS = int(config.get("LEARNCITY_RECOGNISE_INLINE_ROWS"))

LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
if config.is_production():
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_identity": {"()": "learncity.identity.logging.MaskIdentityNumbers"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_identity"]},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
}
