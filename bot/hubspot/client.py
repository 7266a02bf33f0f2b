"""The typed async client of HubSpot's Scheduler Meetings API v3.

One httpx.AsyncClient per HubSpotClient. Reads are retried on 429, 5xx, connect errors and
timeouts; the booking POST only when HubSpot surely did not get it (connect errors, pool
timeouts, 429) so a meeting is never booked twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import importlib.metadata
import logging
import random
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Protocol, Self, TypeVar
from urllib.parse import quote

import httpx
import pydantic

from bot.hubspot.errors import (
    AuthenticationError,
    BookingOutcomeUnknownError,
    HubSpotError,
    MalformedResponseError,
    RateLimitedError,
    ServerError,
    TransportError,
    from_response,
)
from bot.hubspot.limiter import InMemoryRateLimiter, RateLimiter
from bot.hubspot.models import (
    Availability,
    BookingInfo,
    BookingRequest,
    BookingResponse,
    MeetingLink,
    MeetingLinksPage,
)
from bot.hubspot.redact import mask_email, token_fingerprint

if TYPE_CHECKING:
    from bot.config import Settings

SCHEDULER_PREFIX = "/scheduler/v3/meetings"


def _package_version() -> str:
    try:
        return importlib.metadata.version("booker")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"


USER_AGENT = f"bookbot/{_package_version()}"
DEFAULT_TIMEOUTS = httpx.Timeout(connect=3.0, read=10.0, write=5.0, pool=3.0)
ANONYMOUS_LIMITER_KEY = "anonymous"

logger = logging.getLogger("bot.hubspot")

# The level of failed attempts and retries. Lookups nobody waits on (a pasted link's unfurl:
# Slack then shows the link as it is) log them at INFO, inside `quiet_failures()`.
failure_log_level: contextvars.ContextVar[int] = contextvars.ContextVar(
    "hubspot_failure_log_level", default=logging.WARNING
)


@contextlib.contextmanager
def quiet_failures() -> Iterator[None]:
    """HubSpot calls made inside (and tasks they start) log their failures at INFO."""
    token = failure_log_level.set(logging.INFO)
    try:
        yield
    finally:
        failure_log_level.reset(token)


ModelT = TypeVar("ModelT", bound=pydantic.BaseModel)

# Raised before any byte of the request left: HubSpot surely did not see it.
_NOT_SENT_ERRORS: tuple[type[httpx.TransportError], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff: attempt n waits up to min(max_delay, base_delay * 2**(n-1)).

    With full jitter the wait is uniform in [0, that cap]. A wait HubSpot asks for (429) is
    honoured as given, unless it exceeds `max_server_wait`: then the error is raised at once.
    """

    max_attempts: int = 4
    base_delay: float = 0.25
    max_delay: float = 8.0
    jitter: Literal["full", "none"] = "full"
    max_server_wait: float = 30.0

    def backoff(self, attempt: int, rng: random.Random) -> float:
        cap = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return rng.uniform(0.0, cap) if self.jitter == "full" else cap


DEFAULT_RETRY = RetryPolicy()

# OAuth (bot/hubspot/connections.py): the current access token, fetched before every request,
# and what to do when HubSpot refuses one (refresh it); the refused token is passed in.
TokenProvider = Callable[[], Awaitable[str]]
UnauthorizedHook = Callable[[str], Awaitable[None]]


class RequestObserver(Protocol):
    """Told about every HTTP attempt and limiter wait (metrics); must not raise or block."""

    def hubspot_request(self, operation: str, status: str) -> None: ...

    def limiter_waited(self, seconds: float) -> None: ...


def operation_of(method: str, path: str) -> str:
    """list | info | availability | book: the Scheduler operation a request path is."""
    if path.startswith("/meeting-links/book/availability-page/"):
        return "availability"
    if path == "/meeting-links/book":
        return "book" if method == "POST" else "info"
    if path.startswith("/meeting-links/book/"):
        return "info"
    if path.startswith("/meeting-links"):
        return "list"
    return "other"


class HubSpotClient:
    """Async HubSpot Scheduler client. Use as `async with HubSpotClient(...) as hubspot:`."""

    def __init__(
        self,
        *,
        base_url: str,
        access_token: str | None,
        transport: httpx.AsyncBaseTransport | None = None,
        limiter: RateLimiter | None = None,
        timeouts: httpx.Timeout = DEFAULT_TIMEOUTS,
        retry: RetryPolicy = DEFAULT_RETRY,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
        token_provider: TokenProvider | None = None,
        on_unauthorized: UnauthorizedHook | None = None,
        limiter_key: str | None = None,
        observer: RequestObserver | None = None,
    ) -> None:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if access_token:
            headers["Authorization"] = f"Bearer {access_token}"
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            headers=headers,
            transport=transport,
            timeout=timeouts,
            follow_redirects=False,
        )
        self._limiter = limiter
        self._limiter_key = limiter_key or (
            token_fingerprint(access_token) if access_token else ANONYMOUS_LIMITER_KEY
        )
        self.observer = observer
        self._token_provider = token_provider
        self._on_unauthorized = on_unauthorized
        self._retry = retry
        self._sleep = sleep
        self._rng = rng or random.Random()

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        limiter: RateLimiter | None = None,
        observer: RequestObserver | None = None,
    ) -> HubSpotClient:
        token = settings.hubspot_access_token
        return cls(
            base_url=settings.hubspot_base_url,
            access_token=token.get_secret_value() if token is not None else None,
            transport=transport,
            limiter=limiter
            or InMemoryRateLimiter(
                settings.hubspot_rate_limit, settings.hubspot_rate_window_seconds
            ),
            observer=observer,
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def limiter_key(self) -> str:
        """Whose budget requests spend: HubSpot limits per token, or per portal for an OAuth app."""
        return self._limiter_key

    @limiter_key.setter
    def limiter_key(self, key: str) -> None:
        self._limiter_key = key

    # --- the API -------------------------------------------------------------------------------

    async def list_meeting_links(
        self, *, name: str | None = None, page_size: int = 100
    ) -> list[MeetingLink]:
        """Every meeting page (optionally whose name matches `name`), following the paging."""
        links: list[MeetingLink] = []
        after: str | None = None
        seen_cursors: set[str] = set()
        while True:
            params: dict[str, str | int] = {"limit": page_size}
            if name:
                params["name"] = name
            if after is not None:
                params["after"] = after
            response = await self._request("GET", "/meeting-links", params=params, idempotent=True)
            page = self._parse(response, MeetingLinksPage)
            links.extend(page.results)
            after = page.next_after
            if after is None:
                return links
            if after in seen_cursors:
                raise MalformedResponseError(
                    f"HubSpot repeated the paging cursor {after!r} while listing meeting links",
                    status=response.status_code,
                )
            seen_cursors.add(after)

    async def get_booking_info(self, slug: str, *, timezone: str) -> BookingInfo:
        """The page's settings, form fields and first availability, times in `timezone`."""
        response = await self._request(
            "GET",
            f"/meeting-links/book/{_segment(slug)}",
            params={"timezone": timezone},
            idempotent=True,
        )
        return self._parse(response, BookingInfo)

    async def get_availability(
        self, slug: str, *, timezone: str, month_offset: int | None = None
    ) -> Availability:
        """Free slots of the page; `month_offset` 1 is next month's page of availability."""
        params: dict[str, str | int] = {"timezone": timezone}
        if month_offset is not None:
            params["monthOffset"] = month_offset
        response = await self._request(
            "GET",
            f"/meeting-links/book/availability-page/{_segment(slug)}",
            params=params,
            idempotent=True,
        )
        return self._parse(response, Availability)

    async def book(self, request: BookingRequest) -> BookingResponse:
        """Book the meeting. Raises BookingOutcomeUnknownError when HubSpot may have booked it."""
        logger.info(
            "hubspot booking slug=%s start=%s duration_min=%d guest=%s",
            request.slug,
            request.start_time.isoformat(),
            request.duration_minutes,
            mask_email(request.email),
        )
        response = await self._request(
            "POST", "/meeting-links/book", json_body=request.to_wire(), idempotent=False
        )
        return self._parse(response, BookingResponse)

    # --- plumbing ------------------------------------------------------------------------------

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json_body: dict[str, Any] | None = None,
        idempotent: bool,
    ) -> httpx.Response:
        url = SCHEDULER_PREFIX + path
        operation = operation_of(method, path)
        attempt = 0
        reauthorized = False
        while True:
            attempt += 1
            headers: dict[str, str] | None = None
            token = ""
            if self._token_provider is not None:
                token = await self._token_provider()
                headers = {"Authorization": f"Bearer {token}"}
            if self._limiter is not None:
                limiter_wait = await self._limiter.acquire(self._limiter_key)
                if self.observer is not None:
                    self.observer.limiter_waited(limiter_wait)
                if limiter_wait > 0:
                    logger.debug(
                        "hubspot limiter waited %.3fs before %s %s", limiter_wait, method, url
                    )
            started = time.perf_counter()
            try:
                response = await self._http.request(
                    method, url, params=params, json=json_body, headers=headers
                )
            except _NOT_SENT_ERRORS as exc:
                error: HubSpotError = TransportError(
                    f"Could not reach HubSpot ({type(exc).__name__}: {exc})"
                )
                retryable = True
                self._log_failure(method, url, attempt, started, exc)
                self._observe(operation, "unreachable")
            except httpx.TransportError as exc:
                self._log_failure(method, url, attempt, started, exc)
                self._observe(operation, "no_answer")
                if not idempotent:
                    raise BookingOutcomeUnknownError(
                        f"No answer from HubSpot after sending {method} {url} "
                        f"({type(exc).__name__}); it may have acted on it"
                    ) from exc
                error = TransportError(f"HubSpot did not answer ({type(exc).__name__}: {exc})")
                retryable = True
            else:
                elapsed_ms = (time.perf_counter() - started) * 1000
                logger.info(
                    "hubspot %s %s status=%d attempt=%d elapsed_ms=%.1f",
                    method,
                    url,
                    response.status_code,
                    attempt,
                    elapsed_ms,
                )
                self._observe(operation, str(response.status_code))
                if response.is_success:
                    return response
                error = from_response(response)
                if (
                    isinstance(error, AuthenticationError)
                    and self._on_unauthorized is not None
                    and not reauthorized
                ):
                    # A refused token did nothing at HubSpot (not even a booking): get a fresh
                    # one and send the request once more.
                    reauthorized = True
                    await self._on_unauthorized(token)
                    continue
                # A daily limit lasts until midnight: retrying in seconds only spends calls.
                retryable = (isinstance(error, RateLimitedError) and not error.daily) or (
                    idempotent and isinstance(error, ServerError)
                )

            if not retryable or attempt >= self._retry.max_attempts:
                raise error
            delay = self._retry_delay(error, attempt)
            if delay is None:
                raise error
            logger.log(
                failure_log_level.get(),
                "hubspot %s %s retry in %.3fs after attempt %d: %s",
                method,
                url,
                delay,
                attempt,
                type(error).__name__,
            )
            await self._sleep(delay)

    def _observe(self, operation: str, status: str) -> None:
        if self.observer is not None:
            self.observer.hubspot_request(operation, status)

    def _retry_delay(self, error: HubSpotError, attempt: int) -> float | None:
        """Seconds to wait before the next attempt, or None when HubSpot asks for too long."""
        if isinstance(error, RateLimitedError) and error.retry_after is not None:
            if error.retry_after > self._retry.max_server_wait:
                return None
            return error.retry_after
        return self._retry.backoff(attempt, self._rng)

    def _log_failure(
        self, method: str, url: str, attempt: int, started: float, exc: Exception
    ) -> None:
        logger.log(
            failure_log_level.get(),
            "hubspot %s %s failed attempt=%d elapsed_ms=%.1f error=%s",
            method,
            url,
            attempt,
            (time.perf_counter() - started) * 1000,
            type(exc).__name__,
        )

    @staticmethod
    def _parse(response: httpx.Response, model: type[ModelT]) -> ModelT:
        try:
            return model.model_validate_json(response.content)
        except pydantic.ValidationError as exc:
            # Field locations only: values could be guest data.
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc'])}: {err['type']}" for err in exc.errors()
            )
            raise MalformedResponseError(
                f"HubSpot's answer to {response.request.method} {response.request.url.path} "
                f"is not a valid {model.__name__}: {problems[:500]}",
                status=response.status_code,
            ) from exc


def _segment(value: str) -> str:
    """`value` as one URL path segment (a slug with `/` or `?` must not change the path)."""
    return quote(value, safe="")
