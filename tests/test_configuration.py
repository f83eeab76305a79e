"""Configuration is documented and keys never come from the repository."""

from pathlib import Path

import pytest

from learncity import config
from learncity.errors import ConfigurationError

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_is_documented():
    docs = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = [s.name for s in config.SETTINGS if s.name not in docs]
    assert not missing, f"undocumented settings: {missing}"


def test_production_refuses_to_generate_a_data_key(monkeypatch, tmp_path):
    from learncity.secrets import data_key

    monkeypatch.setenv("LEARNCITY_ENV", "production")
    monkeypatch.setenv("LEARNCITY_HOME", str(tmp_path))
    monkeypatch.delenv("LEARNCITY_DATA_KEY", raising=False)
    monkeypatch.delenv("LEARNCITY_DATA_KEY_FILE", raising=False)
    with pytest.raises(ConfigurationError):
        data_key()
    assert not (tmp_path / "keys").exists()


def test_a_data_key_of_the_wrong_length_is_refused(monkeypatch):
    from learncity.secrets import data_key

    monkeypatch.setenv("LEARNCITY_DATA_KEY", "c2hvcnQ=")
    with pytest.raises(ConfigurationError):
        data_key()


def test_development_generates_a_key_file_readable_only_by_its_owner(monkeypatch, tmp_path):
    from learncity.secrets import data_key

    monkeypatch.setenv("LEARNCITY_HOME", str(tmp_path))
    monkeypatch.delenv("LEARNCITY_DATA_KEY", raising=False)
    monkeypatch.delenv("LEARNCITY_DATA_KEY_FILE", raising=False)
    first = data_key()
    assert len(first) == 32 and data_key() == first
    assert (tmp_path / "keys" / "data.key").stat().st_mode & 0o077 == 0


def test_the_key_folder_is_ignored_by_git():
    ignored = (ROOT / ".gitignore").read_text()
    assert "var/" in ignored
