"""The one Settings object, read once at start-up from the environment (and `.env`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_HUBSPOT_BASE_URL = "https://api.hubapi.com"
SUPPORTED_LANGUAGES = ("en", "pt", "es")
# What Connect HubSpot asks for: list meeting pages and their availability, and book.
# What a HubSpot public app asks at Connect HubSpot: `oauth`, the read scope of the meeting-link
# endpoints, and for POST .../meeting-links/book (whose spec accepts any of several write scopes)
# `crm.objects.contacts.write`: a standard CRM scope every public app can request, and what the
# booking does (it creates or updates the guest's contact). HUBSPOT_OAUTH_SCOPES overrides it.
DEFAULT_HUBSPOT_OAUTH_SCOPES = (
    "oauth",
    "scheduler.meetings.meeting-link.read",
    "crm.objects.contacts.write",
)
DEFAULT_SLACK_AUTHORIZE_URL = "https://slack.com/oauth/v2/authorize"
# The bot scopes of manifest.yml: what an OAuth install asks each workspace for.
DEFAULT_SLACK_SCOPES = (
    "commands",
    "chat:write",
    "chat:write.public",
    "users:read",
    "im:write",
    "files:write",
    "links:read",
    "links:write",
)


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
    # Keys of the shared limiter and page cache start with this (several Bookers, one Redis).
    redis_prefix: str = Field(default="bookbot:", alias="BOOKBOT_REDIS_PREFIX")
    default_slug: str | None = Field(default=None, alias="BOOKBOT_DEFAULT_SLUG")
    languages: Annotated[tuple[str, ...], NoDecode] = Field(
        default=SUPPORTED_LANGUAGES, alias="BOOKBOT_LANGUAGES"
    )
    # HubSpot's documented burst limit for private apps: 100 requests per 10 seconds.
    hubspot_rate_limit: int = Field(default=100, alias="HUBSPOT_RATE_LIMIT", ge=1)
    hubspot_rate_window_seconds: float = Field(
        default=10.0, alias="HUBSPOT_RATE_WINDOW_SECONDS", gt=0
    )
    # Added to the window by the client-side limiter: requests spaced exactly one window apart
    # when they leave can arrive less than a window apart (network and scheduling jitter), and
    # HubSpot would answer 429. 0.25 s of 10 s keeps 97.5 % of the budget usable.
    hubspot_rate_margin_seconds: float = Field(
        default=0.25, alias="HUBSPOT_RATE_MARGIN_SECONDS", ge=0
    )
    # How many Booker processes spend one HubSpot token (`run --workers N` sets it). Without a
    # reachable Redis each process can only count its own calls, so it keeps 1/N of the budget.
    processes: int = Field(default=1, alias="BOOKBOT_PROCESSES", ge=1)
    log_level: str = Field(default="INFO", alias="BOOKBOT_LOG_LEVEL")
    # Interactions of one person that reach HubSpot (previews, page and zone changes) per minute;
    # past it they are told to slow down. Bookings are never limited by it.
    person_budget_per_minute: int = Field(
        default=20, alias="BOOKBOT_PERSON_BUDGET_PER_MINUTE", ge=1
    )
    # HTTP mode: a request's whole body must arrive within this many seconds (slow senders are
    # cut off; Slack sends its small bodies at once).
    body_timeout_seconds: float = Field(
        default=10.0, alias="BOOKBOT_BODY_TIMEOUT_SECONDS", gt=0, le=60
    )
    # Minutes before the start that a reminder is posted with the card; 0 turns reminders off.
    reminder_minutes: int = Field(default=10, alias="BOOKBOT_REMINDER_MINUTES", ge=0, le=1440)
    # Whether the card posted in a channel shows the guest's email (off: everyone in the
    # channel would read it; the booker still sees it in the result view and /book list).
    card_guest_email: bool = Field(default=False, alias="BOOKBOT_CARD_GUEST_EMAIL")
    # A person's Slack zone and locale (users.info) are reused this long; 0 asks every time.
    profile_ttl_seconds: float = Field(
        default=60.0, alias="BOOKBOT_PROFILE_TTL_SECONDS", ge=0, le=3600
    )
    # Workflow step: how long the person who ran a workflow has to pick a free slot when the
    # step could not book the time it was given; after that the step fails.
    workflow_pick_minutes: float = Field(
        default=60.0, alias="BOOKBOT_WORKFLOW_PICK_MINUTES", gt=0, le=1440
    )
    # Work after Slack's acks (modals, bookings, previews, App Home) that runs at once per
    # process; the rest waits its turn, most urgent kind first (bot/work_queue.py).
    after_ack_concurrency: int = Field(
        default=4, alias="BOOKBOT_AFTER_ACK_CONCURRENCY", ge=1, le=1000
    )
    # A stop (SIGTERM/SIGINT) lets work after Slack's acks finish for this long, then exits 0;
    # under common orchestrators' 30 s before they kill.
    shutdown_grace_seconds: float = Field(
        default=25.0, alias="BOOKBOT_SHUTDOWN_GRACE_SECONDS", ge=0
    )
    # A booking still `pending` this long after its claim was interrupted (its process stopped
    # or died before HubSpot's answer was recorded): the reconciler makes it `unknown` and tells
    # the booker. Also how long a process's claim on an after-ack step lasts.
    booking_timeout_seconds: float = Field(
        default=60.0, alias="BOOKBOT_BOOKING_TIMEOUT_SECONDS", gt=0
    )
    # The reconciler runs at start and then this often.
    reconcile_seconds: float = Field(default=60.0, alias="BOOKBOT_RECONCILE_SECONDS", gt=0)
    # Multi-workspace Slack install (OAuth). Both set means OAuth mode (HTTP only).
    slack_client_id: str | None = Field(default=None, alias="SLACK_CLIENT_ID")
    slack_client_secret: SecretStr | None = Field(default=None, alias="SLACK_CLIENT_SECRET")
    slack_scopes: Annotated[tuple[str, ...], NoDecode] = Field(
        default=DEFAULT_SLACK_SCOPES, alias="SLACK_SCOPES"
    )
    slack_authorize_url: str = Field(
        default=DEFAULT_SLACK_AUTHORIZE_URL, alias="SLACK_AUTHORIZE_URL"
    )
    # Bolt refreshes a rotating bot token this many minutes before it expires.
    slack_token_rotation_minutes: int = Field(
        default=120, alias="SLACK_TOKEN_ROTATION_MINUTES", ge=1
    )
    # Socket Mode: a connection with neither an envelope nor a pong for this long is replaced.
    socket_watchdog_seconds: float = Field(
        default=60.0, alias="BOOKBOT_SOCKET_WATCHDOG_SECONDS", gt=0, le=3600
    )
    # Fernet key(s), comma-separated, newest first: tokens at rest are encrypted with them.
    encryption_key: SecretStr | None = Field(default=None, alias="BOOKBOT_ENCRYPTION_KEY")
    # Where people reach this app from a browser, e.g. https://booker.example.com.
    public_url: str | None = Field(default=None, alias="BOOKBOT_PUBLIC_URL")
    # "Connect HubSpot" per workspace (HubSpot OAuth app). Both set means per-workspace HubSpot.
    hubspot_client_id: str | None = Field(default=None, alias="HUBSPOT_CLIENT_ID")
    hubspot_client_secret: SecretStr | None = Field(default=None, alias="HUBSPOT_CLIENT_SECRET")
    hubspot_oauth_scopes: Annotated[tuple[str, ...], NoDecode] = Field(
        default=DEFAULT_HUBSPOT_OAUTH_SCOPES, alias="HUBSPOT_OAUTH_SCOPES"
    )
    # Unset: HubSpot's own page, or the built-in sandbox's when the sandbox stands in.
    hubspot_authorize_url: str | None = Field(default=None, alias="HUBSPOT_AUTHORIZE_URL")

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

    @field_validator("slack_scopes", mode="before")
    @classmethod
    def _split_scopes(cls, value: object) -> tuple[str, ...]:
        if isinstance(value, str):
            items = [part.strip() for part in value.replace(" ", ",").split(",")]
        elif isinstance(value, list | tuple):
            items = [str(part).strip() for part in value]
        else:
            raise ValueError(
                "SLACK_SCOPES must be a comma-separated list, e.g. commands,chat:write"
            )
        scopes = tuple(item for item in items if item)
        if not scopes:
            raise ValueError("SLACK_SCOPES is empty; use e.g. commands,chat:write")
        return scopes

    @field_validator("hubspot_oauth_scopes", mode="before")
    @classmethod
    def _split_hubspot_scopes(cls, value: object) -> tuple[str, ...]:
        if isinstance(value, str):
            items = value.replace(",", " ").split()
        elif isinstance(value, list | tuple):
            items = [str(part).strip() for part in value]
        else:
            raise ValueError("HUBSPOT_OAUTH_SCOPES must be a space- or comma-separated list")
        scopes = tuple(item for item in items if item)
        if not scopes:
            raise ValueError("HUBSPOT_OAUTH_SCOPES is empty; leave it unset for the default")
        return scopes

    @field_validator("public_url")
    @classmethod
    def _public_url_without_slash(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        return value.strip().rstrip("/")

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
        """No HubSpot token (and no HubSpot OAuth app) means the built-in sandbox stands in."""
        return self.hubspot_access_token is None and not self.hubspot_oauth_mode

    @property
    def hubspot_oauth_mode(self) -> bool:
        """HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET set: each workspace connects its HubSpot."""
        return bool(self.hubspot_client_id) and self.hubspot_client_secret is not None

    @property
    def hubspot_redirect_uri(self) -> str | None:
        return f"{self.public_url}/hubspot/oauth/callback" if self.public_url else None

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None

    @property
    def oauth_mode(self) -> bool:
        """SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set: installs per workspace, tokens in the DB."""
        return bool(self.slack_client_id) and self.slack_client_secret is not None

    @property
    def slack_redirect_uri(self) -> str | None:
        return f"{self.public_url}/slack/oauth_redirect" if self.public_url else None
