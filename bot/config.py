"""The one Settings object, read once at start-up from the environment (and `.env`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_HUBSPOT_BASE_URL = "https://api.hubapi.com"
SUPPORTED_LANGUAGES = ("en", "pt", "es")


class Settings(BaseSettings):
    """Every variable of design.md §3. Secrets are SecretStr so they never print."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    slack_bot_token: SecretStr | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_app_token: SecretStr | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_api_url: str = Field(default=DEFAULT_SLACK_API_URL, alias="SLACK_API_URL")
    hubspot_access_token: SecretStr | None = Field(default=None, alias="HUBSPOT_ACCESS_TOKEN")
    hubspot_base_url: str = Field(default=DEFAULT_HUBSPOT_BASE_URL, alias="HUBSPOT_BASE_URL")
    database_url: str = Field(default="sqlite:///bookbot.db", alias="DATABASE_URL")
    redis_url: str | None = Field(default=None, alias="REDIS_URL")
    default_slug: str | None = Field(default=None, alias="BOOKBOT_DEFAULT_SLUG")
    languages: Annotated[tuple[str, ...], NoDecode] = Field(
        default=SUPPORTED_LANGUAGES, alias="BOOKBOT_LANGUAGES"
    )
    # HubSpot's documented burst limit for private apps: 100 requests per 10 seconds.
    hubspot_rate_limit: int = Field(default=100, alias="HUBSPOT_RATE_LIMIT", ge=1)
    hubspot_rate_window_seconds: float = Field(
        default=10.0, alias="HUBSPOT_RATE_WINDOW_SECONDS", gt=0
    )
    log_level: str = Field(default="INFO", alias="BOOKBOT_LOG_LEVEL")

    @field_validator("languages", mode="before")
    @classmethod
    def _split_languages(cls, value: object) -> tuple[str, ...]:
        if isinstance(value, str):
            items = [part.strip().lower() for part in value.split(",") if part.strip()]
        elif isinstance(value, list | tuple):
            items = [str(part).strip().lower() for part in value]
        else:
            raise ValueError("BOOKBOT_LANGUAGES must be a comma-separated list such as en,pt,es")
        unknown = [lang for lang in items if lang not in SUPPORTED_LANGUAGES]
        if unknown:
            raise ValueError(
                f"BOOKBOT_LANGUAGES has {', '.join(unknown)}; choose from "
                + ", ".join(SUPPORTED_LANGUAGES)
            )
        if not items:
            raise ValueError("BOOKBOT_LANGUAGES is empty; use e.g. en,pt,es")
        return tuple(items)

    @field_validator("slack_api_url")
    @classmethod
    def _slack_url_ends_with_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    @field_validator("hubspot_base_url")
    @classmethod
    def _hubspot_url_without_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @property
    def uses_sandbox(self) -> bool:
        """No HubSpot token means the built-in sandbox stands in for HubSpot."""
        return self.hubspot_access_token is None

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None
