"""Typed async client of HubSpot's Scheduler Meetings API v3: models, errors, rate limiting."""

from bot.hubspot.client import DEFAULT_TIMEOUTS, SCHEDULER_PREFIX, HubSpotClient, RetryPolicy
from bot.hubspot.errors import (
    AuthenticationError,
    BookingOutcomeUnknownError,
    FieldProblem,
    HubSpotError,
    MalformedResponseError,
    MissingScopeError,
    PageNotFoundError,
    RateLimitedError,
    ServerError,
    SlotUnavailableError,
    TransportError,
    ValidationError,
    from_response,
)
from bot.hubspot.limiter import InMemoryRateLimiter, RateLimiter
from bot.hubspot.models import (
    Availability,
    BookingInfo,
    BookingRequest,
    BookingResponse,
    HubSpotErrorBody,
    MeetingLink,
    MeetingLinksPage,
    TimeSlot,
)
from bot.hubspot.redact import mask_email, token_fingerprint

__all__ = [
    "DEFAULT_TIMEOUTS",
    "SCHEDULER_PREFIX",
    "AuthenticationError",
    "Availability",
    "BookingInfo",
    "BookingOutcomeUnknownError",
    "BookingRequest",
    "BookingResponse",
    "FieldProblem",
    "HubSpotClient",
    "HubSpotError",
    "HubSpotErrorBody",
    "InMemoryRateLimiter",
    "MalformedResponseError",
    "MeetingLink",
    "MeetingLinksPage",
    "MissingScopeError",
    "PageNotFoundError",
    "RateLimitedError",
    "RateLimiter",
    "RetryPolicy",
    "ServerError",
    "SlotUnavailableError",
    "TimeSlot",
    "TransportError",
    "ValidationError",
    "from_response",
    "mask_email",
    "token_fingerprint",
]
