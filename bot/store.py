"""The bookings ledger and per-person preferences (SQLAlchemy 2 async).

SQLite (aiosqlite) by default, PostgreSQL (asyncpg) through DATABASE_URL. The schema is owned
by the hand-written Alembic migrations in ``bot/migrations``; ``Store.open`` applies them.

The ledger is what makes "never book twice" hold: ``claim`` inserts a ``pending`` row under the
submission's idempotency key before HubSpot is called, and the unique constraint on that key
decides, across processes, which caller may go on to book.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import json
import os
import secrets
import socket
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, Final

import asyncpg
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import URL, Connection, Dialect, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool

MIGRATIONS_DIR: Final = Path(__file__).resolve().parent / "migrations"
POSTGRES_CONNECT_TIMEOUT_SECONDS: Final = 10.0
# Every ledger statement is tiny; one that runs this long means the database is in trouble.
POSTGRES_COMMAND_TIMEOUT_SECONDS: Final = 15.0
# Workers wait this long for each other's writes (and the first migration) on a busy machine.
SQLITE_BUSY_TIMEOUT_SECONDS: Final = 30.0
# Any constant will do: it only has to be the same for every process migrating this database.
_MIGRATION_LOCK_ID: Final = 0x626F6F6B6572


# --------------------------------------------------------------------------- errors


class StoreError(Exception):
    """Anything the ledger cannot do. The message is meant for a person to read."""


class StoreBusy(StoreError):
    """No pooled connection came free in time (the pool's wait ran out)."""


class StoreUnavailable(StoreError):
    """The database cannot be reached (refused, unknown host, timed out, bad credentials…)."""


class BookingNotFound(StoreError):
    """No booking exists under that idempotency key."""


class InvalidTransition(StoreError):
    """The booking's status does not allow that change (e.g. marking a booked meeting failed)."""


class SchemaOutOfDate(StoreError):
    """The database is not at the schema revision this version of Booker needs."""


# --------------------------------------------------------------------------- values


class BookingStatus(StrEnum):
    PENDING = "pending"
    BOOKED = "booked"
    FAILED = "failed"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class BookingDraft:
    """What a submission asks for, recorded before HubSpot is called."""

    team_id: str
    channel_id: str
    user_id: str
    page_slug: str
    page_name: str
    start: datetime
    duration_minutes: int
    timezone: str
    guest_email: str = field(repr=False)
    guest_first_name: str
    guest_last_name: str
    thread_ts: str | None = None
    # What the steps after HubSpot's answer need (bot/followup.py), kept with the row.
    followup: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.start.utcoffset() is None:
            raise ValueError("BookingDraft.start must be timezone-aware")
        if self.duration_minutes <= 0:
            raise ValueError("BookingDraft.duration_minutes must be positive")

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.duration_minutes)


@dataclass(frozen=True)
class BookingRecord:
    """One row of the ledger. Datetimes are aware UTC."""

    key: str
    status: BookingStatus
    team_id: str
    channel_id: str
    user_id: str
    page_slug: str
    page_name: str
    start: datetime
    end: datetime
    duration_minutes: int
    timezone: str
    guest_email: str = field(repr=False)
    guest_first_name: str
    guest_last_name: str
    thread_ts: str | None
    calendar_event_id: str | None
    contact_id: str | None
    web_conference_url: str | None
    location: str | None
    message_channel: str | None
    message_ts: str | None
    reminder_id: str | None
    reminder_at: datetime | None
    error_code: str | None
    error_message: str | None
    created_at: datetime
    updated_at: datetime
    followup: str | None = field(default=None, repr=False)


class Step(StrEnum):
    """What is left to do after a booking changed status (the ``booking_steps`` outbox)."""

    MODAL = "modal"  # views.update of the person's modal with the outcome
    CARD = "card"  # the channel card
    REMINDER = "reminder"  # chat.scheduleMessage before the start
    ANNOUNCE = "announce"  # the reconciler tells the booker an unfinished booking's state


# The order a booking's steps are carried out in (the reminder goes beside the posted card).
STEP_ORDER: Final = (Step.ANNOUNCE, Step.MODAL, Step.CARD, Step.REMINDER)


@dataclass(frozen=True)
class StepClaim:
    """Steps a status change leaves due, claimed at once by the process that made it."""

    steps: tuple[Step, ...]
    owner: str
    until: datetime


class StepLeases:
    """This process's name on the steps it claims, and how long a claim lasts before another
    process may take the step over (the process is presumed dead)."""

    def __init__(
        self, seconds: float = 60.0, *, owner: str | None = None, clock: Callable[[], datetime]
    ) -> None:
        self.owner = owner or f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"
        self.seconds = seconds
        self.clock = clock

    def until(self) -> datetime:
        return self.clock() + timedelta(seconds=self.seconds)

    def claim(self, *steps: Step) -> StepClaim:
        return StepClaim(tuple(steps), self.owner, self.until())


@dataclass(frozen=True)
class DueStep:
    booking_key: str
    step: Step
    attempts: int


@dataclass(frozen=True)
class Preferences:
    """What a person chose last time, used to pre-fill the modal."""

    team_id: str
    user_id: str
    last_page_slug: str | None = None
    duration_minutes: int | None = None
    timezone: str | None = None
    language: str | None = None


def idempotency_key(view_id: str, submitted: Mapping[str, object]) -> str:
    """The view id plus a SHA-256 of a canonical JSON of what was submitted.

    Key order does not matter; any change of value does. Values JSON cannot express
    (datetimes, …) are canonicalised through ``str``.
    """
    canonical = json.dumps(
        submitted, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return f"{view_id}:{digest}"


# --------------------------------------------------------------------------- schema


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite as well as PostgreSQL.

    SQLite has no time zone type, so values are stored there as naive UTC text, which also
    keeps string ordering equal to time ordering.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime given to the store; pass an aware datetime")
        as_utc = value.astimezone(UTC)
        return as_utc.replace(tzinfo=None) if dialect.name == "sqlite" else as_utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


metadata = sa.MetaData()

bookings = sa.Table(
    "bookings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(255), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("team_id", sa.String(64), nullable=False),
    sa.Column("channel_id", sa.String(64), nullable=False),
    sa.Column("user_id", sa.String(64), nullable=False),
    sa.Column("page_slug", sa.String(255), nullable=False),
    sa.Column("page_name", sa.Text, nullable=False),
    sa.Column("start_at", UTCDateTime, nullable=False),
    sa.Column("end_at", UTCDateTime, nullable=False),
    sa.Column("duration_minutes", sa.Integer, nullable=False),
    sa.Column("timezone", sa.String(64), nullable=False),
    sa.Column("guest_email", sa.String(320), nullable=False),
    sa.Column("guest_first_name", sa.Text, nullable=False),
    sa.Column("guest_last_name", sa.Text, nullable=False),
    sa.Column("thread_ts", sa.String(32), nullable=True),
    sa.Column("calendar_event_id", sa.String(255), nullable=True),
    sa.Column("contact_id", sa.String(64), nullable=True),
    sa.Column("web_conference_url", sa.Text, nullable=True),
    sa.Column("location", sa.Text, nullable=True),
    sa.Column("message_channel", sa.String(64), nullable=True),
    sa.Column("message_ts", sa.String(32), nullable=True),
    sa.Column("reminder_id", sa.String(64), nullable=True),
    sa.Column("reminder_at", UTCDateTime, nullable=True),
    sa.Column("error_code", sa.String(64), nullable=True),
    sa.Column("error_message", sa.Text, nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("followup", sa.Text, nullable=True),  # revision 0003
    sa.UniqueConstraint("key", name="uq_bookings_key"),
    sa.CheckConstraint(
        "status IN ('pending', 'booked', 'failed', 'unknown')", name="ck_bookings_status"
    ),
    sa.Index("ix_bookings_team_user_end", "team_id", "user_id", "end_at"),
    sa.Index("ix_bookings_status_updated", "status", "updated_at"),
)

# Revision 0003: the after-ack outbox (see Step and bot/followup.py).
booking_steps = sa.Table(
    "booking_steps",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("booking_key", sa.String(255), nullable=False),
    sa.Column("step", sa.String(16), nullable=False),
    sa.Column("done_at", UTCDateTime, nullable=True),
    sa.Column("claimed_by", sa.String(64), nullable=True),
    sa.Column("claimed_until", UTCDateTime, nullable=True),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("booking_key", "step", name="uq_booking_steps_key_step"),
    sa.Index("ix_booking_steps_due", "done_at", "claimed_until"),
)

preferences = sa.Table(
    "preferences",
    metadata,
    sa.Column("team_id", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.String(64), primary_key=True),
    sa.Column("last_page_slug", sa.String(255), nullable=True),
    sa.Column("duration_minutes", sa.Integer, nullable=True),
    sa.Column("timezone", sa.String(64), nullable=True),
    sa.Column("language", sa.String(16), nullable=True),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

# Multi-workspace install (issue 7; revision 0002). The logic lives in bot/installations.py and
# bot/hubspot/connections.py; the tables are declared here so the one ``metadata`` describes the
# whole schema. Token columns hold Fernet ciphertext (bot/crypto.py), never a token in clear.
# ``enterprise_id`` / ``team_id`` are "" (not NULL) when absent, so the keys can be unique.

slack_installations = sa.Table(
    "slack_installations",
    metadata,
    sa.Column("enterprise_id", sa.String(64), primary_key=True),
    sa.Column("team_id", sa.String(64), primary_key=True),
    sa.Column("is_enterprise_install", sa.Boolean, nullable=False),
    sa.Column("app_id", sa.String(64), nullable=True),
    sa.Column("enterprise_name", sa.Text, nullable=True),
    sa.Column("enterprise_url", sa.Text, nullable=True),
    sa.Column("team_name", sa.Text, nullable=True),
    sa.Column("bot_token", sa.Text, nullable=True),
    sa.Column("bot_refresh_token", sa.Text, nullable=True),
    sa.Column("bot_token_expires_at", UTCDateTime, nullable=True),
    sa.Column("bot_id", sa.String(64), nullable=True),
    sa.Column("bot_user_id", sa.String(64), nullable=True),
    sa.Column("bot_scopes", sa.Text, nullable=True),
    sa.Column("installer_user_id", sa.String(64), nullable=False),
    sa.Column("token_type", sa.String(32), nullable=True),
    sa.Column("installed_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

oauth_states = sa.Table(
    "oauth_states",
    metadata,
    sa.Column("state", sa.String(128), primary_key=True),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    sa.Column("consumed", sa.Boolean, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Index("ix_oauth_states_expires_at", "expires_at"),
)

hubspot_connections = sa.Table(
    "hubspot_connections",
    metadata,
    sa.Column("enterprise_id", sa.String(64), primary_key=True),
    sa.Column("team_id", sa.String(64), primary_key=True),
    sa.Column("hub_id", sa.String(32), nullable=True),
    sa.Column("hub_domain", sa.Text, nullable=True),
    sa.Column("scopes", sa.Text, nullable=False),
    sa.Column("access_token", sa.Text, nullable=False),
    sa.Column("refresh_token", sa.Text, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("broken_reason", sa.Text, nullable=True),
    sa.Column("connected_by", sa.String(64), nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.CheckConstraint("status IN ('connected', 'broken')", name="ck_hubspot_connections_status"),
)

_RECORD_FIELD_TO_COLUMN: Final = {"start": "start_at", "end": "end_at"}
_ALLOWED_FROM: Final[dict[BookingStatus, frozenset[BookingStatus]]] = {
    # An `unknown` booking may later be confirmed or refuted ("check again"); a booked or
    # failed one is final, so a late error can never overwrite a confirmed meeting.
    BookingStatus.BOOKED: frozenset({BookingStatus.PENDING, BookingStatus.UNKNOWN}),
    BookingStatus.FAILED: frozenset({BookingStatus.PENDING, BookingStatus.UNKNOWN}),
    BookingStatus.UNKNOWN: frozenset({BookingStatus.PENDING, BookingStatus.UNKNOWN}),
}


def _record_from_row(row: sa.Row[Any]) -> BookingRecord:
    values = row._mapping
    fields = {
        f.name: values[_RECORD_FIELD_TO_COLUMN.get(f.name, f.name)]
        for f in dataclasses.fields(BookingRecord)
    }
    fields["status"] = BookingStatus(fields["status"])
    return BookingRecord(**fields)


def _preferences_from_row(row: sa.Row[Any]) -> Preferences:
    values = row._mapping
    return Preferences(**{f.name: values[f.name] for f in dataclasses.fields(Preferences)})


# --------------------------------------------------------------------------- URLs


@dataclass(frozen=True)
class DatabaseTarget:
    """A DATABASE_URL resolved to an async driver, plus the driver options it implies."""

    url: URL
    connect_args: dict[str, Any]

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def display(self) -> str:
        """The URL without its password, fit for messages and logs."""
        return self.url.render_as_string(hide_password=True)


def resolve_database_url(database_url: str) -> DatabaseTarget:
    """Normalise the accepted spellings of DATABASE_URL to the async drivers.

    ``sqlite:///x.db`` → aiosqlite; ``postgres://``, ``postgresql://`` → asyncpg. libpq-style
    ``sslmode=`` and ``options=-c name=value`` (e.g. a ``search_path``) are translated to
    asyncpg's ``ssl`` and ``server_settings``.
    """
    text = database_url.strip()
    if not text:
        raise StoreError("DATABASE_URL is empty; use e.g. sqlite:///bookbot.db")
    try:
        url = make_url(text)
    except sa.exc.ArgumentError:
        raise StoreError(
            "DATABASE_URL is not a database URL; use e.g. sqlite:///bookbot.db or "
            "postgresql://user:password@host:5432/dbname"
        ) from None

    backend, _, driver = url.drivername.partition("+")
    if backend == "sqlite":
        if driver not in ("", "aiosqlite"):
            raise StoreError(f"DATABASE_URL driver sqlite+{driver} is not supported; use sqlite://")
        return DatabaseTarget(
            url.set(drivername="sqlite+aiosqlite"), {"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}
        )
    if backend in ("postgres", "postgresql"):
        if driver not in ("", "asyncpg"):
            raise StoreError(
                f"DATABASE_URL driver {backend}+{driver} is not supported; use postgresql://"
            )
        query = dict(url.query)
        connect_args: dict[str, Any] = {
            "timeout": POSTGRES_CONNECT_TIMEOUT_SECONDS,
            "command_timeout": POSTGRES_COMMAND_TIMEOUT_SECONDS,
        }
        sslmode = query.pop("sslmode", None)
        if sslmode is not None:
            connect_args["ssl"] = sslmode if isinstance(sslmode, str) else sslmode[-1]
        options = query.pop("options", None)
        if options is not None:
            option_text = options if isinstance(options, str) else " ".join(options)
            connect_args["server_settings"] = _parse_libpq_options(option_text)
        return DatabaseTarget(url.set(drivername="postgresql+asyncpg", query=query), connect_args)
    raise StoreError(
        f"DATABASE_URL scheme {url.drivername!r} is not supported; use sqlite:// or postgresql://"
    )


def _parse_libpq_options(options: str) -> dict[str, str]:
    """``-c search_path=x -c statement_timeout=5s`` (or ``--name=value``) → a settings dict."""
    settings: dict[str, str] = {}
    tokens = options.split()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token == "-c" and index + 1 < len(tokens):
            index += 1
            assignment = tokens[index]
        elif token.startswith("-c") or token.startswith("--"):
            assignment = token[2:]
        else:
            raise StoreError(
                f"DATABASE_URL options entry {token!r} is not of the form -c name=value"
            )
        name, separator, value = assignment.partition("=")
        if not separator or not name:
            raise StoreError(f"DATABASE_URL options entry {assignment!r} is not name=value")
        settings[name.replace("-", "_")] = value
        index += 1
    return settings


# --------------------------------------------------------------------------- errors from drivers


def _first_line(text: str, limit: int = 200) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _describe_connection_failure(error: BaseException) -> str:
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, socket.gaierror):
        return "host name not found"
    if isinstance(error, TimeoutError):
        return "timed out"
    original = getattr(error, "orig", None)
    if original is not None:
        return _describe_connection_failure(original)
    return _first_line(str(error)) or type(error).__name__


def _is_connection_failure(error: BaseException) -> bool:
    if isinstance(error, OSError):  # refused, unreachable, unknown host, timeouts
        return True
    if isinstance(error, sa.exc.DBAPIError):
        if error.connection_invalidated or isinstance(
            error, sa.exc.OperationalError | sa.exc.InterfaceError
        ):
            return True
        # SQLAlchemy's asyncpg adapter keeps asyncpg's own error as the cause of `orig`.
        driver_error = error.orig.__cause__ if error.orig is not None else None
        return driver_error is not None and _is_connection_failure(driver_error)
    return _asyncpg_connection_error(error)


def _asyncpg_connection_error(error: BaseException) -> bool:
    # Bad password or role, unknown database, server starting up or shutting down, lost link.
    return isinstance(
        error,
        asyncpg.PostgresConnectionError
        | asyncpg.InvalidAuthorizationSpecificationError
        | asyncpg.InvalidCatalogNameError
        | asyncpg.CannotConnectNowError
        | asyncpg.ConnectionDoesNotExistError,
    )


# --------------------------------------------------------------------------- the store


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _require_aware(name: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")


class Store:
    """The bookings ledger. Create with ``await Store.open(url)``; ``await store.close()`` after."""

    def __init__(
        self, engine: AsyncEngine, target: DatabaseTarget, clock: Callable[[], datetime]
    ) -> None:
        self._engine = engine
        # Slack's ack path reads the ledger (is this submission a duplicate?) through a pool of
        # its own, which after-ack work (bookings holding connections through HubSpot's answer)
        # can never drain; a short wait for a connection, so a look-up never holds the ack.
        self._ack_engine = _create_ack_engine(target, engine)
        # On SQLite a write transaction takes the write lock when it begins: a deferred one
        # that has to upgrade its lock can fail with "database is locked" without waiting.
        self._writer = engine.execution_options(sqlite_begin="BEGIN IMMEDIATE")
        self._target = target
        self._clock = clock

    @classmethod
    async def open(
        cls,
        database_url: str,
        *,
        migrate: bool = True,
        clock: Callable[[], datetime] = _utc_now,
    ) -> Store:
        """Connect, and bring the schema to the newest revision when ``migrate``.

        With ``migrate=False`` the schema must already be current (else SchemaOutOfDate).
        """
        target = resolve_database_url(database_url)
        engine = _create_engine(target)
        store = cls(engine, target, clock)
        try:
            # Holding the write lock before Alembic looks at the schema makes workers that
            # open the same SQLite file at once migrate one after the other.
            async with store._translating_errors(), store._writer.begin() as connection:
                if migrate:
                    await connection.run_sync(_upgrade_to_head)
                else:
                    await connection.run_sync(_require_head)
        except BaseException:
            await engine.dispose()
            raise
        return store

    async def close(self) -> None:
        if self._ack_engine is not self._engine:
            await self._ack_engine.dispose()
        await self._engine.dispose()

    @property
    def engine(self) -> AsyncEngine:
        """The engine, for stores of other tables on the same database (bot/installations.py)."""
        return self._engine

    @property
    def writer(self) -> AsyncEngine:
        """The engine for write transactions (BEGIN IMMEDIATE on SQLite: writers wait in turn)."""
        return self._writer

    @property
    def is_sqlite(self) -> bool:
        return self._target.is_sqlite

    def translating_errors(self) -> contextlib.AbstractAsyncContextManager[None]:
        """Driver errors become StoreError / StoreUnavailable with a message a person can act on."""
        return self._translating_errors()

    async def ping(self) -> None:
        """Raise StoreUnavailable unless the database answers."""
        async with self._translating_errors(), self._engine.connect() as connection:
            await connection.execute(sa.text("SELECT 1"))

    # ---- bookings

    async def claim(self, key: str, draft: BookingDraft) -> tuple[BookingRecord, bool]:
        """Record a ``pending`` booking under ``key``.

        Returns the record and True when this call created it; the existing record and False
        when the key was already claimed (by this or any other process).
        """
        now = self._clock()
        values = {
            "key": key,
            "status": BookingStatus.PENDING.value,
            "team_id": draft.team_id,
            "channel_id": draft.channel_id,
            "user_id": draft.user_id,
            "page_slug": draft.page_slug,
            "page_name": draft.page_name,
            "start_at": draft.start,
            "end_at": draft.end,
            "duration_minutes": draft.duration_minutes,
            "timezone": draft.timezone,
            "guest_email": draft.guest_email,
            "guest_first_name": draft.guest_first_name,
            "guest_last_name": draft.guest_last_name,
            "thread_ts": draft.thread_ts,
            "followup": draft.followup,
            "created_at": now,
            "updated_at": now,
        }
        async with self._translating_errors():
            try:
                async with self._writer.begin() as connection:
                    await connection.execute(bookings.insert().values(**values))
                    row = (
                        await connection.execute(bookings.select().where(bookings.c.key == key))
                    ).one()
            except sa.exc.IntegrityError:
                existing = await self.get(key)
                if existing is None:  # not the unique key: some other constraint refused it
                    raise
                return existing, False
        return _record_from_row(row), True

    async def reclaim_failed(self, key: str) -> tuple[BookingRecord, bool]:
        """Let a failed booking be tried again (the same form submitted again after an error).

        Atomically turns a ``failed`` row back into ``pending``: True when this call did so and
        may book; otherwise the record as it stands and False (another caller got there first,
        or the booking was not failed).
        """
        async with self._translating_errors(), self._writer.begin() as connection:
            result = await connection.execute(
                bookings.update()
                .where(bookings.c.key == key, bookings.c.status == BookingStatus.FAILED.value)
                .values(
                    status=BookingStatus.PENDING.value,
                    error_code=None,
                    error_message=None,
                    updated_at=self._clock(),
                )
            )
            row = (await connection.execute(bookings.select().where(bookings.c.key == key))).first()
        if row is None:
            raise BookingNotFound(f"no booking is recorded under key {key!r}")
        return _record_from_row(row), result.rowcount == 1

    async def mark_booked(
        self,
        key: str,
        *,
        calendar_event_id: str | None,
        contact_id: str | None,
        web_conference_url: str | None,
        location: str | None,
        start: datetime,
        end: datetime,
        steps: StepClaim | None = None,
    ) -> BookingRecord:
        """HubSpot confirmed the meeting; its start and end (as HubSpot has them) win.

        ``steps``: the follow-up steps now due, recorded in the same transaction."""
        _require_aware("start", start)
        _require_aware("end", end)
        if end <= start:
            raise ValueError("a booked meeting must end after it starts")
        return await self._transition(
            key,
            BookingStatus.BOOKED,
            calendar_event_id=calendar_event_id,
            contact_id=contact_id,
            web_conference_url=web_conference_url,
            location=location,
            start_at=start,
            end_at=end,
            duration_minutes=round((end - start).total_seconds() / 60),
            error_code=None,
            error_message=None,
            steps=steps,
        )

    async def mark_failed(
        self, key: str, *, error_code: str, error_message: str, steps: StepClaim | None = None
    ) -> BookingRecord:
        """HubSpot refused (or the request surely never reached it)."""
        return await self._transition(
            key,
            BookingStatus.FAILED,
            error_code=error_code,
            error_message=error_message,
            steps=steps,
        )

    async def mark_unknown(
        self, key: str, *, error_message: str, steps: StepClaim | None = None
    ) -> BookingRecord:
        """The request may have reached HubSpot but was not confirmed (e.g. a read timeout)."""
        return await self._transition(
            key, BookingStatus.UNKNOWN, error_code=None, error_message=error_message, steps=steps
        )

    async def expire_pending(
        self, *, older_than: datetime, error_message: str, steps: StepClaim, limit: int = 50
    ) -> list[BookingRecord]:
        """``pending`` rows not touched since ``older_than`` (their process died, or stopped
        before HubSpot answered) become ``unknown``, with ``steps`` due. Each row is turned by
        exactly one caller, across processes: the ones this call turned are returned."""
        _require_aware("older_than", older_than)
        stale = (
            sa.select(bookings.c.key)
            .where(
                bookings.c.status == BookingStatus.PENDING.value,
                bookings.c.updated_at < older_than,
            )
            .order_by(bookings.c.updated_at)
            .limit(limit)
        )
        async with self._translating_errors(), self._engine.connect() as connection:
            keys = list((await connection.execute(stale)).scalars())
        turned: list[BookingRecord] = []
        for key in keys:
            statement = (
                bookings.update()
                .where(
                    bookings.c.key == key,
                    bookings.c.status == BookingStatus.PENDING.value,
                    bookings.c.updated_at < older_than,
                )
                .values(
                    status=BookingStatus.UNKNOWN.value,
                    error_code=None,
                    error_message=error_message,
                    updated_at=self._clock(),
                )
            )
            async with self._translating_errors(), self._writer.begin() as connection:
                result = await connection.execute(statement)
                if result.rowcount != 1:
                    continue  # another process reconciled it first (or it just moved on)
                await self._add_steps(connection, key, steps)
                row = (
                    await connection.execute(bookings.select().where(bookings.c.key == key))
                ).one()
            turned.append(_record_from_row(row))
        return turned

    # ---- the after-ack outbox

    async def due_steps(self, *, now: datetime, limit: int = 100) -> list[DueStep]:
        """Steps not done whose claim lapsed (or was released), oldest first."""
        _require_aware("now", now)
        statement = (
            sa.select(booking_steps.c.booking_key, booking_steps.c.step, booking_steps.c.attempts)
            .where(
                booking_steps.c.done_at.is_(None),
                sa.or_(
                    booking_steps.c.claimed_until.is_(None), booking_steps.c.claimed_until < now
                ),
            )
            .order_by(booking_steps.c.id)
            .limit(limit)
        )
        async with self._translating_errors(), self._engine.connect() as connection:
            rows = (await connection.execute(statement)).all()
        return [DueStep(row.booking_key, Step(row.step), row.attempts) for row in rows]

    async def steps_of(self, key: str, *, owner: str) -> list[Step]:
        """The booking's steps not done yet that ``owner`` holds, in STEP_ORDER."""
        statement = sa.select(booking_steps.c.step).where(
            booking_steps.c.booking_key == key,
            booking_steps.c.done_at.is_(None),
            booking_steps.c.claimed_by == owner,
        )
        async with self._translating_errors(), self._engine.connect() as connection:
            names = set((await connection.execute(statement)).scalars())
        return [step for step in STEP_ORDER if step.value in names]

    async def claim_step(self, key: str, step: Step, *, owner: str, until: datetime) -> bool:
        """Take (or extend) the claim on one step not done: True when ``owner`` now holds it."""
        _require_aware("until", until)
        now = self._clock()
        statement = (
            booking_steps.update()
            .where(
                booking_steps.c.booking_key == key,
                booking_steps.c.step == step.value,
                booking_steps.c.done_at.is_(None),
                sa.or_(
                    booking_steps.c.claimed_by == owner,
                    booking_steps.c.claimed_until.is_(None),
                    booking_steps.c.claimed_until < now,
                ),
            )
            .values(
                claimed_by=owner,
                claimed_until=until,
                attempts=booking_steps.c.attempts + 1,
                updated_at=now,
            )
        )
        async with self._translating_errors(), self._writer.begin() as connection:
            result = await connection.execute(statement)
        return result.rowcount == 1

    async def finish_step(self, key: str, step: Step) -> None:
        now = self._clock()
        statement = (
            booking_steps.update()
            .where(booking_steps.c.booking_key == key, booking_steps.c.step == step.value)
            .values(done_at=now, claimed_until=None, updated_at=now)
        )
        async with self._translating_errors(), self._writer.begin() as connection:
            await connection.execute(statement)

    async def release_steps(self, owner: str) -> int:
        """Give up ``owner``'s claims on steps not done (a stopping process): the next pass of
        any process's reconciler, or the next start, carries them out."""
        statement = (
            booking_steps.update()
            .where(booking_steps.c.claimed_by == owner, booking_steps.c.done_at.is_(None))
            .values(claimed_by=None, claimed_until=None, updated_at=self._clock())
        )
        async with self._translating_errors(), self._writer.begin() as connection:
            result = await connection.execute(statement)
        return int(result.rowcount or 0)

    async def _add_steps(self, connection: Any, key: str, claim: StepClaim | None) -> None:
        """Make ``claim.steps`` due for ``key`` (again, if an earlier status change had them)."""
        if claim is None or not claim.steps:
            return
        now = self._clock()
        insert = pg_dialect.insert if not self._target.is_sqlite else sqlite_dialect.insert
        rows = [
            {
                "booking_key": key,
                "step": step.value,
                "done_at": None,
                "claimed_by": claim.owner,
                "claimed_until": claim.until,
                "attempts": 0,
                "created_at": now,
                "updated_at": now,
            }
            for step in claim.steps
        ]
        statement = insert(booking_steps).values(rows)
        statement = statement.on_conflict_do_update(
            index_elements=[booking_steps.c.booking_key, booking_steps.c.step],
            set_={
                name: statement.excluded[name]
                for name in ("done_at", "claimed_by", "claimed_until", "attempts", "updated_at")
            },
        )
        await connection.execute(statement)

    async def set_message(self, key: str, *, channel: str, ts: str) -> None:
        """Remember where the booking's card was posted."""
        await self._update_existing(key, message_channel=channel, message_ts=ts)

    async def set_reminder(self, key: str, *, scheduled_message_id: str, post_at: datetime) -> None:
        """Remember the scheduled reminder message."""
        _require_aware("post_at", post_at)
        await self._update_existing(key, reminder_id=scheduled_message_id, reminder_at=post_at)

    async def get_for_ack(self, key: str) -> BookingRecord | None:
        """``get`` through the ack path's own small pool (see ``__init__``): for look-ups made
        before Slack's ack, which must never queue behind after-ack work for a connection."""
        async with self._translating_errors(), self._ack_engine.connect() as connection:
            row = (await connection.execute(bookings.select().where(bookings.c.key == key))).first()
        return None if row is None else _record_from_row(row)

    async def get(self, key: str) -> BookingRecord | None:
        async with self._translating_errors(), self._engine.connect() as connection:
            row = (await connection.execute(bookings.select().where(bookings.c.key == key))).first()
        return None if row is None else _record_from_row(row)

    async def upcoming_for_user(
        self, team_id: str, user_id: str, *, now: datetime, limit: int = 20
    ) -> list[BookingRecord]:
        """Booked (or unconfirmed) meetings that have not ended yet, soonest first."""
        _require_aware("now", now)
        statement = (
            bookings.select()
            .where(
                bookings.c.team_id == team_id,
                bookings.c.user_id == user_id,
                bookings.c.status.in_([BookingStatus.BOOKED.value, BookingStatus.UNKNOWN.value]),
                bookings.c.end_at >= now,
            )
            .order_by(bookings.c.start_at, bookings.c.id)
            .limit(limit)
        )
        async with self._translating_errors(), self._engine.connect() as connection:
            rows = (await connection.execute(statement)).all()
        return [_record_from_row(row) for row in rows]

    # ---- preferences

    async def get_preferences(self, team_id: str, user_id: str) -> Preferences | None:
        statement = preferences.select().where(
            preferences.c.team_id == team_id, preferences.c.user_id == user_id
        )
        async with self._translating_errors(), self._engine.connect() as connection:
            row = (await connection.execute(statement)).first()
        return None if row is None else _preferences_from_row(row)

    async def save_preferences(self, prefs: Preferences) -> None:
        """Insert or replace the person's preferences."""
        values = {**dataclasses.asdict(prefs), "updated_at": self._clock()}
        insert = pg_dialect.insert if not self._target.is_sqlite else sqlite_dialect.insert
        statement = insert(preferences).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=[preferences.c.team_id, preferences.c.user_id],
            set_={
                name: statement.excluded[name]
                for name in values
                if name not in ("team_id", "user_id")
            },
        )
        async with self._translating_errors(), self._writer.begin() as connection:
            await connection.execute(statement)

    # ---- internals

    async def _transition(
        self,
        key: str,
        new_status: BookingStatus,
        *,
        steps: StepClaim | None = None,
        **values: object,
    ) -> BookingRecord:
        allowed_from = [status.value for status in _ALLOWED_FROM[new_status]]
        statement = (
            bookings.update()
            .where(bookings.c.key == key, bookings.c.status.in_(allowed_from))
            .values(status=new_status.value, updated_at=self._clock(), **values)
        )
        async with self._translating_errors(), self._writer.begin() as connection:
            result = await connection.execute(statement)
            if result.rowcount == 1:
                await self._add_steps(connection, key, steps)
            row = (await connection.execute(bookings.select().where(bookings.c.key == key))).first()
        if row is None:
            raise BookingNotFound(f"no booking is recorded under key {key!r}")
        record = _record_from_row(row)
        if result.rowcount == 0:
            raise InvalidTransition(
                f"booking {key!r} is {record.status.value}; it cannot become {new_status.value}"
            )
        return record

    async def _update_existing(self, key: str, **values: object) -> None:
        statement = (
            bookings.update()
            .where(bookings.c.key == key)
            .values(updated_at=self._clock(), **values)
        )
        async with self._translating_errors(), self._writer.begin() as connection:
            result = await connection.execute(statement)
        if result.rowcount == 0:
            raise BookingNotFound(f"no booking is recorded under key {key!r}")

    @asynccontextmanager
    async def _translating_errors(self) -> AsyncIterator[None]:
        """Turn driver exceptions into StoreError with a message a person can act on.

        SQLAlchemy's own messages carry the SQL parameters (guest emails among them), so they
        are never copied into ours.
        """
        try:
            yield
        except StoreError:
            raise
        except (asyncio.CancelledError, ValueError):
            raise
        except sa.exc.TimeoutError as error:
            # Every pooled connection in use for longer than the pool's wait: the database is
            # fine, this process is busy. No driver message (and no parameters) to copy.
            raise StoreBusy(
                f"Every connection to the database at {self._target.display} is in use"
            ) from error
        except Exception as error:
            if _is_connection_failure(error):
                hint = (
                    "Check DATABASE_URL and that its folder exists and is writable."
                    if self._target.is_sqlite
                    else "Check DATABASE_URL and that the database server is running."
                )
                raise StoreUnavailable(
                    f"The database at {self._target.display} is unavailable: "
                    f"{_describe_connection_failure(error)}. {hint}"
                ) from error
            if isinstance(error, sa.exc.DBAPIError):
                raise StoreError(
                    f"The database refused the request: {_first_line(str(error.orig))}"
                ) from error
            raise


def _create_engine(target: DatabaseTarget) -> AsyncEngine:
    if target.is_sqlite:
        in_memory = target.url.database in (None, "", ":memory:")
        engine = create_async_engine(
            target.url,
            connect_args=target.connect_args,
            # An in-memory database lives in its one connection, so every user must share it.
            poolclass=StaticPool if in_memory else None,
        )
        sa.event.listen(engine.sync_engine, "connect", _configure_sqlite_connection)
        sa.event.listen(engine.sync_engine, "begin", _begin_sqlite_transaction)
        return engine
    return create_async_engine(target.url, connect_args=target.connect_args, pool_pre_ping=True)


# The ack path's pool: a few connections, and a wait for one bounded well inside Slack's 3 s.
ACK_POOL_SIZE: Final = 4
ACK_POOL_OVERFLOW: Final = 12
ACK_POOL_WAIT_SECONDS: Final = 0.5


def _create_ack_engine(target: DatabaseTarget, engine: AsyncEngine) -> AsyncEngine:
    """A second engine (its own connections) for reads before the ack; the main engine itself
    for an in-memory SQLite database, whose data lives in its one connection."""
    if target.is_sqlite:
        if target.url.database in (None, "", ":memory:"):
            return engine
        ack_engine = create_async_engine(
            target.url,
            connect_args=target.connect_args,
            pool_size=ACK_POOL_SIZE,
            max_overflow=ACK_POOL_OVERFLOW,
            pool_timeout=ACK_POOL_WAIT_SECONDS,
        )
        sa.event.listen(ack_engine.sync_engine, "connect", _configure_sqlite_connection)
        sa.event.listen(ack_engine.sync_engine, "begin", _begin_sqlite_transaction)
        return ack_engine
    return create_async_engine(
        target.url,
        connect_args=target.connect_args,
        pool_pre_ping=True,
        pool_size=ACK_POOL_SIZE,
        max_overflow=ACK_POOL_OVERFLOW,
        pool_timeout=ACK_POOL_WAIT_SECONDS,
    )


# An in-memory database keeps its "memory" journal whatever we ask.
_SETTLED_JOURNALS: Final = frozenset({"wal", "memory"})


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # The sqlite3 module's own transaction handling commits DDL at once and never BEGINs
    # before a SELECT; switch it off so our transactions (migrations included) are real ones.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        # WAL lets readers carry on while another worker writes. It is a property of the file,
        # so only the first connection ever has to switch it on; that switch needs a lock
        # SQLite does not wait for, so a worker racing a sibling's first migration retries.
        deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_SECONDS
        while _journal_mode(cursor) not in _SETTLED_JOURNALS:
            try:
                cursor.execute("PRAGMA journal_mode=WAL")
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
    finally:
        cursor.close()


def _journal_mode(cursor: Any) -> str:
    cursor.execute("PRAGMA journal_mode")
    return str(cursor.fetchone()[0]).lower()


def _begin_sqlite_transaction(connection: Connection) -> None:
    connection.exec_driver_sql(connection.get_execution_options().get("sqlite_begin", "BEGIN"))


# --------------------------------------------------------------------------- migrations


def alembic_config() -> Config:
    """An Alembic configuration pointing at the migrations shipped inside the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _upgrade_to_head(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        # Workers starting together must not run the same migration twice.
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _require_head(connection: Connection) -> None:
    current = MigrationContext.configure(connection).get_current_revision()
    head = head_revision()
    if current != head:
        raise SchemaOutOfDate(
            f"The database schema is at revision {current or 'none (empty)'} but this version "
            f"of Booker needs {head}; run `bookbot db upgrade` (or open the store with migrate)."
        )


__all__ = [
    "BookingDraft",
    "BookingNotFound",
    "BookingRecord",
    "BookingStatus",
    "DatabaseTarget",
    "DueStep",
    "InvalidTransition",
    "Preferences",
    "SchemaOutOfDate",
    "Step",
    "StepClaim",
    "StepLeases",
    "Store",
    "StoreBusy",
    "StoreError",
    "StoreUnavailable",
    "alembic_config",
    "head_revision",
    "idempotency_key",
    "resolve_database_url",
]
