"""Settings come from the environment, and every one of them is documented in the README."""

from indicators.paths import PROJECT_ROOT
from indicators.settings import Settings


def test_defaults_are_a_local_sqlite_file_on_loopback(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = Settings(_env_file=None)
    assert settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith("data/indikatorer.sqlite")
    assert (settings.host, settings.port, settings.debug) == ("127.0.0.1", 8050, False)


def test_database_url_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://app@127.0.0.1:5432/indikator")
    monkeypatch.setenv("INDIKATOR_SEED_DEMO", "false")
    settings = Settings(_env_file=None)
    assert settings.database_url == "postgresql+psycopg://app@127.0.0.1:5432/indikator"
    assert settings.seed_demo is False


def test_every_setting_is_documented_in_the_readme():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        aliases = {"database_url": "DATABASE_URL", "secret_key": "SECRET_KEY"}
        env = aliases.get(name, f"INDIKATOR_{name.upper()}")
        assert f"`{env}`" in readme, f"{env} saknas i README.md"
        assert field.description, f"{name} saknar beskrivning"


def test_the_sqlite_store_is_ignored_by_git():
    ignored = (PROJECT_ROOT / ".gitignore").read_text(encoding="utf-8")
    assert "data/*.sqlite" in ignored
