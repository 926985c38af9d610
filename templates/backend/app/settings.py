"""Runtime configuration, read from environment variables."""

from functools import cache
from typing import Literal, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

CLOUD_SQL_VARIABLES = ("INSTANCE_CONNECTION_NAME", "DB_USER", "DB_NAME")

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    """Application settings.

    Unless ``DATABASE_ENABLED`` is false, the database is configured in exactly
    one of two ways:

    * ``DATABASE_URL`` for a direct connection, for example
      ``postgresql+pg8000://user@127.0.0.1:5432/app`` on a developer machine.
    * ``INSTANCE_CONNECTION_NAME``, ``DB_USER`` and ``DB_NAME`` on Cloud Run,
      where the Cloud SQL Python Connector opens private-IP connections and
      logs in with IAM database authentication.

    A service without a database, such as a worker that only calls other APIs,
    sets ``DATABASE_ENABLED=false`` and none of those four variables.
    """

    # hide_input_in_errors keeps a password in DATABASE_URL out of error output.
    model_config = SettingsConfigDict(
        env_ignore_empty=True, extra="ignore", hide_input_in_errors=True
    )

    database_enabled: bool = Field(
        default=True,
        description=(
            "Whether this service uses a database. When false, no database "
            "variable may be set and routes that need a session return 503."
        ),
    )
    database_url: SecretStr | None = None

    instance_connection_name: str | None = Field(
        default=None, description="Cloud SQL instance as project:region:instance."
    )
    db_user: str | None = Field(
        default=None,
        description=(
            "IAM database user. For a service account this is its email without "
            ".gserviceaccount.com, for example api-run@acme-prod.iam."
        ),
    )
    db_name: str | None = None

    # Each process has its own pool, so the Cloud SQL instance can receive up to
    # (processes x (pool size + max overflow)) connections. Keep that below the
    # instance's max_connections.
    db_pool_size: int = Field(default=5, ge=1)
    db_max_overflow: int = Field(default=2, ge=0)
    db_pool_timeout_seconds: float = Field(default=30.0, gt=0)
    db_pool_recycle_seconds: int = Field(default=1800, ge=-1)

    log_level: LogLevel = "INFO"

    @field_validator("log_level", mode="before")
    @classmethod
    def _normalize_log_level(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @property
    def uses_cloud_sql(self) -> bool:
        return self.instance_connection_name is not None

    @model_validator(mode="after")
    def _check_database_mode(self) -> Self:
        if self.database_enabled:
            self._check_database_configured()
        else:
            self._check_no_database_variables()
        return self

    def _check_no_database_variables(self) -> None:
        database_values = {
            "DATABASE_URL": self.database_url,
            "INSTANCE_CONNECTION_NAME": self.instance_connection_name,
            "DB_USER": self.db_user,
            "DB_NAME": self.db_name,
        }
        database_set = [name for name, value in database_values.items() if value]
        if database_set:
            raise ValueError(
                f"DATABASE_ENABLED is false, but {', '.join(database_set)} "
                f"{'is' if len(database_set) == 1 else 'are'} set. Unset "
                f"{', '.join(database_set)} for a service without a database, or "
                "set DATABASE_ENABLED=true to use the configured database."
            )

    def _check_database_configured(self) -> None:
        cloud_values = {
            "INSTANCE_CONNECTION_NAME": self.instance_connection_name,
            "DB_USER": self.db_user,
            "DB_NAME": self.db_name,
        }
        cloud_set = [name for name, value in cloud_values.items() if value]
        cloud_missing = [name for name, value in cloud_values.items() if not value]
        cloud_list = ", ".join(CLOUD_SQL_VARIABLES)

        if self.database_url is not None and cloud_set:
            raise ValueError(
                f"DATABASE_URL and {', '.join(cloud_set)} are both set. "
                f"Set either DATABASE_URL for a direct connection or all of "
                f"{cloud_list} for Cloud SQL, not both."
            )
        if self.database_url is None and not cloud_set:
            raise ValueError(
                "No database is configured. Set DATABASE_URL (for example "
                "postgresql+pg8000://user@127.0.0.1:5432/app) for a direct "
                f"connection, or set all of {cloud_list} for Cloud SQL, or set "
                "DATABASE_ENABLED=false if this service uses no database."
            )
        if cloud_set and cloud_missing:
            raise ValueError(
                f"Cloud SQL configuration is incomplete: missing "
                f"{', '.join(cloud_missing)}. Set all of {cloud_list}, or unset "
                f"{', '.join(cloud_set)} and set DATABASE_URL instead."
            )


@cache
def get_settings() -> Settings:
    """Load the settings once per process.

    Raises pydantic.ValidationError naming the missing or conflicting variables.
    """
    return Settings()
