"""Check HTTP traffic against HubSpot's published Scheduler v3 OpenAPI spec (openapi-core).

Shared by the client tests (requests we send) and the sandbox tests (responses it gives):

    validate_request(request)             raises openapi_core's validation error on a mismatch
    validate_response(request, response)  same, for the response to that request

Both take plain httpx objects. The host of the request does not matter: the sandbox runs on
any address, so every request is matched as if it were sent to the spec's server
(https://api.hubapi.com); paths, query, headers and bodies are checked as they are.
"""

from __future__ import annotations

import json
import os
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import jsonschema
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

# The spec is kept in the repository (tests/contracts/README.md); HUBSPOT_SPEC_PATH overrides.
CONTRACTS = Path(__file__).resolve().parent / "contracts"
SPEC_PATH = Path(
    os.environ.get("HUBSPOT_SPEC_PATH", CONTRACTS / "hubspot-scheduler-meetings-v3.json")
)


@lru_cache(maxsize=1)
def hubspot_spec() -> OpenAPI:
    """The parsed spec, built once per test session (parsing takes ~1 s)."""
    # The spec declares error bodies as `*/*`, which openapi-core would leave as raw bytes;
    # HubSpot's errors are JSON, so read them as JSON and check them against the Error schema.
    config = Config(extra_media_type_deserializers={"*/*": _json_or_raw})
    return OpenAPI.from_file_path(str(SPEC_PATH), config=config)


def _json_or_raw(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return body  # left as bytes, so the schema check reports "not of type object"


@lru_cache(maxsize=1)
def _spec_server_url() -> str:
    document: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return str(document["servers"][0]["url"]).rstrip("/")


class HttpxOpenAPIRequest:
    """An httpx.Request seen through openapi-core's `Request` protocol."""

    def __init__(self, request: httpx.Request) -> None:
        self._request = request
        query = parse_qs(request.url.query.decode("ascii"), keep_blank_values=True)
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(query),
            header=Headers(list(request.headers.multi_items())),
            cookie=ImmutableMultiDict(),
        )

    @property
    def host_url(self) -> str:
        return _spec_server_url()

    @property
    def path(self) -> str:
        # As sent on the wire: an escaped `/` inside a path parameter must stay escaped.
        return self._request.url.raw_path.decode("ascii").split("?", 1)[0]

    @property
    def method(self) -> str:
        return self._request.method.lower()

    @property
    def body(self) -> bytes | None:
        content = self._request.content  # raises httpx.RequestNotRead for unread streams
        return content or None

    @property
    def content_type(self) -> str:
        return self._request.headers.get("content-type", "").lower()


class HttpxOpenAPIResponse:
    """An httpx.Response seen through openapi-core's `Response` protocol."""

    def __init__(self, response: httpx.Response) -> None:
        self._response = response

    @property
    def status_code(self) -> int:
        return self._response.status_code

    @property
    def content_type(self) -> str:
        return self._response.headers.get("content-type", "").lower()

    @property
    def headers(self) -> Headers:
        return Headers(list(self._response.headers.multi_items()))

    @property
    def data(self) -> bytes | None:
        return self._response.content


def validate_request(request: httpx.Request) -> None:
    """Raise if `request` is not a request the spec allows (path, method, query, body)."""
    with warnings.catch_warnings():
        # The spec's security schemes are oauth2, which openapi-core cannot check and warns about.
        warnings.filterwarnings("ignore", message="Unsupported scheme type")
        hubspot_spec().validate_request(HttpxOpenAPIRequest(request))


# HubSpot's real 429 is not the spec's Error (no `category`); this is the shape it documents
# (developers.hubspot.com, API usage guidelines) and live calls return.
RATE_LIMIT_429_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["status", "message", "errorType", "correlationId", "policyName"],
    "properties": {
        "status": {"const": "error"},
        "message": {"type": "string", "minLength": 1},
        "errorType": {"const": "RATE_LIMIT"},
        "correlationId": {"type": "string", "minLength": 1},
        "policyName": {"type": "string", "minLength": 1},
        "requestId": {"type": "string"},
    },
}


def validate_response(request: httpx.Request, response: httpx.Response) -> None:
    """Raise if `response` is not what the spec says `request` can get back (a 429: what
    HubSpot really sends, RATE_LIMIT_429_SCHEMA)."""
    if response.status_code == 429:
        jsonschema.validate(json.loads(response.content), RATE_LIMIT_429_SCHEMA)
        return
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Unsupported scheme type")
        hubspot_spec().validate_response(
            HttpxOpenAPIRequest(request), HttpxOpenAPIResponse(response)
        )


class SpecCheckingTransport(httpx.AsyncBaseTransport):
    """Wraps a transport: every request is checked against the spec before it is sent, and
    (with `check_responses`) every answer after it arrives. `exchanges` keeps them all."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        *,
        check_requests: bool = True,
        check_responses: bool = True,
    ) -> None:
        self._inner = inner
        self._check_requests = check_requests
        self._check_responses = check_responses
        self.requests: list[httpx.Request] = []
        self.exchanges: list[tuple[httpx.Request, httpx.Response]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        if self._check_requests:
            validate_request(request)
        self.requests.append(request)
        response = await self._inner.handle_async_request(request)
        await response.aread()
        if self._check_responses:
            validate_response(request, response)
        self.exchanges.append((request, response))
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()
