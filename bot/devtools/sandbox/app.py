"""The sandbox ASGI app: HubSpot's Scheduler Meetings API v3 answered from memory."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.devtools.sandbox.availability import (
    horizon_end_ms,
    is_bookable,
    link_availability,
    month_window,
    to_millis,
)
from bot.devtools.sandbox.config import BOOK_SCOPE, READ_SCOPE, Fault, SandboxConfig
from bot.devtools.sandbox.errors import (
    AUTH_MESSAGE,
    INVALID_EMAIL_GUESTS_SUBCATEGORY,
    INVALID_EMAIL_SUBCATEGORY,
    MISSING_SCOPES_MESSAGE,
    START_TIME_MESSAGE,
    START_TIME_SUBCATEGORY,
    ErrorDetail,
    error_body,
    rate_limit_body,
    validation_error,
)
from bot.devtools.sandbox.oauth import SandboxOAuth, oauth_routes
from bot.devtools.sandbox.seed_data import FormField, MeetingPage
from bot.devtools.sandbox.state import SandboxState

API_PREFIX = "/scheduler/v3/meetings"
CONTROL_PREFIX = "/_sandbox"
LINK_TYPES = ("GROUP_CALENDAR", "PERSONAL_LINK", "ROUND_ROBIN_CALENDAR")
DEFAULT_PAGE_LIMIT = 20
MAX_PAGE_LIMIT = 100
DEFAULT_RETRY_AFTER_SECONDS = 1.0
WEB_CONFERENCE_BASE = "https://meet.sandbox.booker.invalid"
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
# Any one of these lets a token read pages; any one of the spec's write scopes lets it book.
READ_SCOPES = frozenset({READ_SCOPE})
BOOK_SCOPES = frozenset(
    {
        BOOK_SCOPE,
        "meetings-write",
        "crm.objects.contacts.sensitive.write.v2",
        "crm.objects.contacts.highly_sensitive.write.v2",
        "crm.objects.appointments.write",
    }
)
BOOKING_REQUIRED_FIELDS: dict[str, type] = {
    "duration": int,
    "email": str,
    "firstName": str,
    "formFields": list,
    "lastName": str,
    "legalConsentResponses": list,
    "likelyAvailableUserIds": list,
    "slug": str,
    "startTime": str,
}

Outcome = tuple[int, dict[str, Any]]
Handler = Callable[[Request, SandboxState], Awaitable[Outcome]]


class _Refusal(Exception):
    """A request answered with a HubSpot error before the handler's main work."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(body.get("message"))
        self.status = status
        self.body = body


@dataclass
class _Answer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)

    def to_response(self) -> Response:
        headers = dict(self.headers)
        if "correlationId" in self.body:
            headers["X-HubSpot-Correlation-Id"] = str(self.body["correlationId"])
        return JSONResponse(self.body, status_code=self.status, headers=headers)


def _bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def _fault_answer(fault: Fault) -> _Answer:
    if fault.kind == "drop":
        return _Answer(502, error_body(502))
    if fault.kind == "daily":
        return _Answer(429, rate_limit_body(policy="DAILY"))
    if fault.status == 429:
        retry_after = fault.retry_after_seconds
        if retry_after is None:
            retry_after = DEFAULT_RETRY_AFTER_SECONDS
        return _Answer(429, rate_limit_body(), {"Retry-After": _seconds_header(retry_after)})
    return _Answer(fault.status, error_body(fault.status, fault.message))


def _seconds_header(seconds: float) -> str:
    return str(int(seconds)) if float(seconds).is_integer() else f"{seconds:g}"


def _malformed_response(body: dict[str, Any], headers: dict[str, str]) -> Response:
    text = json.dumps(body)
    truncated = text[: max(1, len(text) // 2)]
    return Response(truncated, status_code=200, media_type="application/json", headers=headers)


def _hubspot_endpoint(
    operation: str, required_scopes: frozenset[str], handler: Handler
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        state: SandboxState = request.app.state.sandbox
        token = _bearer_token(request)
        # An OAuth access token (sandbox/oauth.py) picks its portal and carries its scopes.
        access = request.app.state.oauth.access_for(token)
        if access is not None:
            state = access.state
        config = state.config
        if operation == "book":
            state.book_calls += 1
        if config.latency_seconds > 0:
            await asyncio.sleep(config.latency_seconds)
        if access is not None and access.refusal is not None:
            return _Answer(401, access.refusal).to_response()
        if access is None and config.access_token is not None and token != config.access_token:
            return _Answer(401, error_body(401, AUTH_MESSAGE)).to_response()
        # HubSpot limits an OAuth app per portal, whichever of its access tokens is used.
        decision = state.admit("oauth-app" if access is not None else token or "anonymous")
        rate_headers = decision.headers()
        if not decision.allowed:
            headers = {**rate_headers, "Retry-After": str(decision.retry_after_seconds)}
            return _Answer(429, rate_limit_body(), headers).to_response()
        scopes = access.scopes if access is not None else config.scopes
        if not scopes & required_scopes:
            body = error_body(
                403,
                MISSING_SCOPES_MESSAGE,
                errors=[
                    ErrorDetail(
                        "One or more of the following scopes are required.",
                        context={"requiredGranularScopes": sorted(required_scopes)},
                    )
                ],
                links={"scopes": "https://developers.hubspot.com/scopes"},
            )
            return _Answer(403, body, rate_headers).to_response()
        fault = state.take_fault(operation)
        if fault is not None and fault.kind in ("status", "drop", "daily"):
            answer = _fault_answer(fault)
            answer.headers = {**rate_headers, **answer.headers}
            return answer.to_response()
        try:
            status, body = await handler(request, state)
        except _Refusal as refusal:
            status, body = refusal.status, refusal.body
        if fault is not None and fault.kind == "timeout":
            await asyncio.sleep(fault.delay_seconds)
        if fault is not None and fault.kind == "malformed":
            return _malformed_response(body, rate_headers)
        return _Answer(status, body, rate_headers).to_response()

    return endpoint


# query parameters


def _required_zone(request: Request, name: str = "timezone") -> ZoneInfo:
    value = request.query_params.get(name)
    if value is None or not value.strip():
        raise _Refusal(
            400,
            validation_error(
                [ErrorDetail(f"{name}: must not be null", in_field=name, code="REQUIRED")],
                message=f"Required query parameter '{name}' is missing.",
            ),
        )
    zone = _zone_or_none(value.strip())
    if zone is None:
        raise _Refusal(400, _invalid_zone_error(name, value))
    return zone


def _zone_or_none(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _invalid_zone_error(name: str, value: str) -> dict[str, Any]:
    return validation_error(
        [ErrorDetail(f"Unknown time zone '{value}'", in_field=name, code="INVALID_TIMEZONE")],
        message=f"Invalid {name}: '{value}' is not a recognised IANA time zone.",
    )


def _int_param(request: Request, name: str, default: int, minimum: int) -> int:
    value = request.query_params.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        number = minimum - 1
    if number < minimum:
        raise _Refusal(
            400,
            validation_error(
                [
                    ErrorDetail(
                        f"{name} must be an integer of at least {minimum}, not '{value}'",
                        in_field=name,
                        code="INVALID_INTEGER",
                    )
                ]
            ),
        )
    return number


def _page_or_404(state: SandboxState, slug: str) -> MeetingPage:
    page = state.page(slug)
    if page is None:
        raise _Refusal(404, error_body(404, "slug does not exist", category="OBJECT_NOT_FOUND"))
    return page


# HubSpot operations


async def _list_links(request: Request, state: SandboxState) -> Outcome:
    limit = min(_int_param(request, "limit", DEFAULT_PAGE_LIMIT, 1), MAX_PAGE_LIMIT)
    offset = _int_param(request, "after", 0, 0)
    link_type = request.query_params.get("type")
    if link_type is not None and link_type not in LINK_TYPES:
        raise _Refusal(
            400,
            validation_error(
                [
                    ErrorDetail(
                        f"type must be one of {', '.join(LINK_TYPES)}, not '{link_type}'",
                        in_field="type",
                        code="INVALID_ENUM",
                    )
                ]
            ),
        )
    name = (request.query_params.get("name") or "").strip().lower()
    organizer = request.query_params.get("organizerUserId")
    matching = [
        page
        for page in state.seed_data.pages
        if (not name or name in page.name.lower())
        and (organizer is None or page.organizer.user_id == organizer)
        and (link_type is None or page.link_type == link_type)
    ]
    window = matching[offset : offset + limit]
    body: dict[str, Any] = {
        "total": len(matching),
        "results": [page.to_metadata() for page in window],
    }
    if offset + limit < len(matching):
        next_after = str(offset + limit)
        kept = [(key, value) for key, value in request.query_params.multi_items() if key != "after"]
        link = f"{request.url.path}?{urlencode([*kept, ('after', next_after)])}"
        body["paging"] = {"next": {"after": next_after, "link": link}}
    return 200, body


def _busy_times(
    state: SandboxState, page: MeetingPage, window: tuple[int, int]
) -> list[dict[str, Any]]:
    return [
        {
            "meetingsUser": member.to_meetings_user(),
            "isOffline": page.is_offline,
            "busyTimes": state.busy_for_user(member.user_id, window),
        }
        for member in page.members
    ]


async def _booking_info(request: Request, state: SandboxState) -> Outcome:
    viewer_zone = _required_zone(request)
    page = _page_or_404(state, request.path_params["slug"])
    now = state.now()
    window = month_window(now, viewer_zone, 0)
    busy_window = (to_millis(now), horizon_end_ms(page, now))
    return 200, {
        "linkId": page.link_id,
        "linkType": page.link_type,
        "isOffline": page.is_offline,
        "customParams": page.to_custom_params(),
        "linkAvailability": link_availability(page, state.taken_for(page), now, window),
        "allUsersBusyTimes": _busy_times(state, page, busy_window),
        "brandingMetadata": {
            "companyName": "Booker Sandbox Co.",
            "companyDomain": "sandbox.booker.invalid",
            "logoAltText": "Booker Sandbox Co. logo",
            "showMarketingAd": False,
            "showSalesAd": False,
            "primaryColor": "#2D3E50",
            "accentColor": "#FF7A59",
        },
    }


async def _availability_page(request: Request, state: SandboxState) -> Outcome:
    viewer_zone = _required_zone(request)
    month_offset = _int_param(request, "monthOffset", 0, 0)
    page = _page_or_404(state, request.path_params["slug"])
    now = state.now()
    window = month_window(now, viewer_zone, month_offset)
    return 200, {
        "linkAvailability": link_availability(page, state.taken_for(page), now, window),
        "allUsersBusyTimes": _busy_times(state, page, window),
    }


async def _read_json_object(request: Request) -> dict[str, Any]:
    raw = await request.body()
    try:
        payload = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as problem:
        raise _Refusal(
            400,
            validation_error([ErrorDetail(f"Invalid input JSON: {problem}", code="INVALID_JSON")]),
        ) from None
    if not isinstance(payload, dict):
        raise _Refusal(
            400,
            validation_error(
                [ErrorDetail("Request body must be a JSON object", code="INVALID_JSON")]
            ),
        )
    return payload


def _shape_errors(payload: dict[str, Any]) -> list[ErrorDetail]:
    errors: list[ErrorDetail] = []
    for name, expected in BOOKING_REQUIRED_FIELDS.items():
        value = payload.get(name)
        if value is None:
            errors.append(ErrorDetail(f"{name}: must not be null", in_field=name, code="REQUIRED"))
        elif not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            errors.append(
                ErrorDetail(
                    f"{name}: expected {expected.__name__}", in_field=name, code="INVALID_TYPE"
                )
            )
    for name in ("timezone", "locale"):
        if name in payload and payload[name] is not None and not isinstance(payload[name], str):
            errors.append(ErrorDetail(f"{name}: expected str", in_field=name, code="INVALID_TYPE"))
    return errors


def _parse_start(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return None if moment.tzinfo is None else moment


def _submitted_form_values(payload: dict[str, Any]) -> tuple[dict[str, str], list[ErrorDetail]]:
    values: dict[str, str] = {}
    errors: list[ErrorDetail] = []
    for item in payload["formFields"]:
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("name"), str)
            or not isinstance(item.get("value"), str)
        ):
            errors.append(
                ErrorDetail(
                    "formFields: each item needs a string name and value",
                    in_field="formFields",
                    code="INVALID_TYPE",
                )
            )
            continue
        values[item["name"]] = item["value"]
    return values, errors


def _consents(payload: dict[str, Any]) -> tuple[dict[str, bool], list[ErrorDetail]]:
    consents: dict[str, bool] = {}
    errors: list[ErrorDetail] = []
    for item in payload["legalConsentResponses"]:
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("communicationTypeId"), str)
            or not isinstance(item.get("consented"), bool)
        ):
            errors.append(
                ErrorDetail(
                    "legalConsentResponses: each item needs communicationTypeId and consented",
                    in_field="legalConsentResponses",
                    code="INVALID_TYPE",
                )
            )
            continue
        consents[item["communicationTypeId"]] = item["consented"]
    return consents, errors


PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ().-]{5,24}$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _value_problem(form_field: FormField, value: str) -> tuple[str, str] | None:
    """HubSpot's check of one answer by the field's type: (code, message) when refused."""
    kind = form_field.field_type
    label = form_field.label
    if kind == "checkbox" and form_field.options:
        # Several choices arrive joined by `;`, each must be an option.
        chosen = [part for part in value.split(";") if part]
        if any(form_field.option_label(part) is None for part in chosen):
            return "INVALID_OPTION", f"'{value}' is not an option of form field '{label}'"
        return None
    if form_field.options:
        if form_field.option_label(value) is None:
            return "INVALID_OPTION", f"'{value}' is not an option of form field '{label}'"
        return None
    if kind == "number":
        try:
            float(value)
        except ValueError:
            return "INVALID_NUMBER", f"'{value}' is not a number (form field '{label}')"
    if kind == "date" and not DATE_PATTERN.match(value):
        return "INVALID_DATE", f"'{value}' is not a date YYYY-MM-DD (form field '{label}')"
    if kind == "phonenumber" and not PHONE_PATTERN.match(value):
        return "INVALID_PHONE_NUMBER", f"'{value}' is not a valid phone number"
    if kind == "booleancheckbox" and value not in ("true", "false"):
        return "INVALID_BOOLEAN", f"'{value}' must be true or false (form field '{label}')"
    return None


def _page_rule_errors(
    page: MeetingPage,
    payload: dict[str, Any],
    form_values: dict[str, str],
    consents: dict[str, bool],
    spam_domains: frozenset[str] = frozenset(),
) -> list[ErrorDetail]:
    errors: list[ErrorDetail] = []
    email = payload["email"].strip()
    if not EMAIL_PATTERN.match(email):
        errors.append(
            ErrorDetail(
                "Email address is invalid",
                in_field="email",
                code="INVALID_EMAIL",
                sub_category=INVALID_EMAIL_SUBCATEGORY,
            )
        )
    elif email.rpartition("@")[2].lower() in spam_domains:
        # HubSpot's spam filter: the address is well formed but refused for the guest list.
        errors.append(
            ErrorDetail(
                f"Email address {email} is invalid for meeting guests",
                in_field="email",
                code="INVALID_EMAIL_GUESTS",
                sub_category=INVALID_EMAIL_GUESTS_SUBCATEGORY,
                context={"email": [email]},
            )
        )
    for name in ("firstName", "lastName"):
        if not payload[name].strip():
            errors.append(ErrorDetail(f"{name}: must not be blank", in_field=name, code="REQUIRED"))
    if payload["duration"] not in page.durations_millis:
        offered = ", ".join(str(ms) for ms in page.durations_millis)
        errors.append(
            ErrorDetail(
                f"Duration {payload['duration']} ms is not offered by this meeting page "
                f"(offered: {offered})",
                in_field="duration",
                code="INVALID_DURATION",
            )
        )
    for form_field in page.custom_form_fields:
        value = form_values.get(form_field.name, "").strip()
        if form_field.is_required and not value:
            errors.append(
                ErrorDetail(
                    f"Form field '{form_field.label}' is required",
                    in_field=form_field.name,
                    code="REQUIRED_FORM_FIELD",
                    context={"formFields": [form_field.name]},
                )
            )
        elif value:
            problem = _value_problem(form_field, value)
            if problem is not None:
                code, message = problem
                errors.append(
                    ErrorDetail(
                        message,
                        in_field=form_field.name,
                        code=code,
                        context={"formFields": [form_field.name]},
                    )
                )
    if page.legal_consent is not None:
        for box in page.legal_consent.checkboxes:
            if box.required and not consents.get(box.communication_type_id, False):
                errors.append(
                    ErrorDetail(
                        f"Consent is required: {box.label}",
                        in_field="legalConsentResponses",
                        code="LEGAL_CONSENT_REQUIRED",
                        context={"communicationTypeId": [box.communication_type_id]},
                    )
                )
    zone_name = payload.get("timezone")
    if isinstance(zone_name, str) and _zone_or_none(zone_name) is None:
        errors.extend(
            ErrorDetail(detail["message"], in_field="timezone", code="INVALID_TIMEZONE")
            for detail in _invalid_zone_error("timezone", zone_name)["errors"]
        )
    return errors


def _utc_iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat().replace("+00:00", "Z")


async def _book(request: Request, state: SandboxState) -> Outcome:
    payload = await _read_json_object(request)
    shape_errors = _shape_errors(payload)
    if shape_errors:
        return 400, validation_error(shape_errors)
    page = _page_or_404(state, payload["slug"])
    form_values, errors = _submitted_form_values(payload)
    consents, consent_errors = _consents(payload)
    errors += consent_errors
    errors += _page_rule_errors(
        page, payload, form_values, consents, state.config.spam_email_domains
    )
    start = _parse_start(payload["startTime"])
    if start is None:
        errors.append(
            ErrorDetail(
                "startTime must be an ISO 8601 date-time with a UTC offset",
                in_field="startTime",
                code="INVALID_DATE_TIME",
            )
        )
    if errors or start is None:
        return 400, validation_error(errors)
    duration_ms: int = payload["duration"]
    start_ms = to_millis(start)
    # No await between this check and record_booking: concurrent requests cannot both win.
    if not is_bookable(page, start_ms, duration_ms, state.taken_for(page), state.now()):
        return 400, error_body(
            400,
            START_TIME_MESSAGE,
            category="VALIDATION_ERROR",
            sub_category=START_TIME_SUBCATEGORY,
            errors=[
                ErrorDetail(
                    START_TIME_MESSAGE,
                    in_field="startTime",
                    code="MEETING_START_TIME_NOT_VALID",
                    sub_category=START_TIME_SUBCATEGORY,
                )
            ],
        )
    end_ms = start_ms + duration_ms
    email = payload["email"].strip()
    first_name, last_name = payload["firstName"].strip(), payload["lastName"].strip()
    body: dict[str, Any] = {
        "calendarEventId": state.new_id(11),
        "contactId": state.contact_id_for(email.lower()),
        "subject": f"{page.name} with {first_name} {last_name}",
        "start": _utc_iso(start_ms),
        "end": _utc_iso(end_ms),
        "duration": duration_ms,
        "bookingTimezone": payload.get("timezone") or page.timezone,
        "locale": payload.get("locale") or page.locale,
        "guestEmails": [email],
        "isOffline": page.is_offline,
        "formFields": _validated_form_fields(page, first_name, last_name, email, form_values),
        "legalConsentResponses": [
            {"communicationTypeId": type_id, "consented": consented}
            for type_id, consented in consents.items()
        ],
    }
    if page.is_offline:
        body["location"] = page.location or ""
    else:
        meeting_id = state.new_id(10)
        body["webConferenceMeetingId"] = meeting_id
        body["webConferenceUrl"] = f"{state.config.web_conference_base}/{meeting_id}"
    state.record_booking(page, start_ms, end_ms, body)
    return 200, body


def _validated_form_fields(
    page: MeetingPage, first_name: str, last_name: str, email: str, form_values: dict[str, str]
) -> list[dict[str, Any]]:
    standard_values = {"firstName": first_name, "lastName": last_name, "email": email}
    validated: list[dict[str, Any]] = []
    for form_field in page.form_fields:
        value = standard_values.get(form_field.name, form_values.get(form_field.name, ""))
        if not value:
            continue
        item: dict[str, Any] = {
            "name": form_field.name,
            "label": form_field.label,
            "value": value,
            "isCustom": form_field.is_custom,
            "fieldType": form_field.field_type,
        }
        option_label = form_field.option_label(value)
        if option_label is not None:
            item["valueLabel"] = option_label
        validated.append(item)
    return validated


# control endpoints (not HubSpot): let tests in another process watch and steer the sandbox


async def _stats(request: Request) -> Response:
    state: SandboxState = request.app.state.sandbox
    return JSONResponse(
        {
            "book_calls": state.book_calls,
            "bookings": state.bookings,
            "pending_faults": [asdict(fault) for fault in state.pending_faults],
        }
    )


async def _inject_faults(request: Request) -> Response:
    state: SandboxState = request.app.state.sandbox
    try:
        payload = json.loads(await request.body())
        items = payload if isinstance(payload, list) else [payload]
        faults = [Fault(**item) for item in items]
    except (json.JSONDecodeError, TypeError, ValueError) as problem:
        return JSONResponse({"error": f"bad fault: {problem}"}, status_code=400)
    for fault in faults:
        state.inject(fault)
    return JSONResponse({"injected": [asdict(fault) for fault in faults]}, status_code=201)


async def _reset(request: Request) -> Response:
    state: SandboxState = request.app.state.sandbox
    state.reset()
    return JSONResponse({"reset": True})


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    message = "Resource not found" if status == 404 else None
    return JSONResponse(error_body(status, message), status_code=status)


def create_sandbox_app(config: SandboxConfig | None = None) -> Starlette:
    """An ASGI app that answers like HubSpot's Scheduler Meetings API v3, from memory."""
    sandbox_config = config or SandboxConfig()
    links = f"{API_PREFIX}/meeting-links"
    routes = [
        Route(links, _hubspot_endpoint("list", READ_SCOPES, _list_links), methods=["GET"]),
        Route(f"{links}/book", _hubspot_endpoint("book", BOOK_SCOPES, _book), methods=["POST"]),
        Route(
            f"{links}/book/availability-page/{{slug}}",
            _hubspot_endpoint("availability", READ_SCOPES, _availability_page),
            methods=["GET"],
        ),
        Route(
            f"{links}/book/{{slug}}",
            _hubspot_endpoint("info", READ_SCOPES, _booking_info),
            methods=["GET"],
        ),
        Route(f"{CONTROL_PREFIX}/stats", _stats, methods=["GET"]),
        Route(f"{CONTROL_PREFIX}/faults", _inject_faults, methods=["POST"]),
        Route(f"{CONTROL_PREFIX}/reset", _reset, methods=["POST"]),
    ]
    routes += oauth_routes()
    app = Starlette(routes=routes, exception_handlers={404: _http_error, 405: _http_error})
    app.state.sandbox = SandboxState(sandbox_config)
    app.state.oauth = SandboxOAuth(app.state.sandbox)
    return app
