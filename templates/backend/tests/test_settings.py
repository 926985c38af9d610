import pytest
from pydantic import ValidationError

from app.settings import Settings

DATABASE_URL = "postgresql+pg8000://user@127.0.0.1:5432/app"
CLOUD_SQL_ENV = {
    "INSTANCE_CONNECTION_NAME": "acme-prod:europe-west1:main",
    "DB_USER": "api-run@acme-prod.iam",
    "DB_NAME": "app",
}


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "LOG_LEVEL", *CLOUD_SQL_ENV):
        monkeypatch.delenv(name, raising=False)


def test_database_url_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", DATABASE_URL)

    settings = Settings()

    assert settings.database_url is not None
    assert settings.database_url.get_secret_value() == DATABASE_URL
    assert not settings.uses_cloud_sql


def test_cloud_sql_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in CLOUD_SQL_ENV.items():
        monkeypatch.setenv(name, value)

    settings = Settings()

    assert settings.uses_cloud_sql
    assert settings.instance_connection_name == "acme-prod:europe-west1:main"
    assert settings.db_user == "api-run@acme-prod.iam"
    assert settings.db_name == "app"


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", DATABASE_URL)

    settings = Settings()

    assert settings.db_pool_size == 5
    assert settings.db_max_overflow == 2
    assert settings.db_pool_timeout_seconds == 30.0
    assert settings.db_pool_recycle_seconds == 1800
    assert settings.log_level == "INFO"


def test_nothing_configured() -> None:
    with pytest.raises(ValidationError, match="No database is configured"):
        Settings()


def test_cloud_sql_incomplete(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSTANCE_CONNECTION_NAME", "acme-prod:europe-west1:main")

    with pytest.raises(ValidationError, match="missing DB_USER, DB_NAME"):
        Settings()


def test_both_modes_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", DATABASE_URL)
    monkeypatch.setenv("DB_NAME", "app")

    with pytest.raises(ValidationError, match="DATABASE_URL and DB_NAME are both"):
        Settings()


def test_empty_variables_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", DATABASE_URL)
    monkeypatch.setenv("INSTANCE_CONNECTION_NAME", "")

    assert not Settings().uses_cloud_sql


def test_log_level_case_insensitive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", DATABASE_URL)
    monkeypatch.setenv("LOG_LEVEL", "debug")

    assert Settings().log_level == "DEBUG"


def test_log_level_invalid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", DATABASE_URL)
    monkeypatch.setenv("LOG_LEVEL", "verbose")

    with pytest.raises(ValidationError, match="log_level"):
        Settings()
