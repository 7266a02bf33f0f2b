"""The built-in HubSpot Scheduler Meetings API v3 stand-in (an ASGI app) for offline use.

It answers HubSpot's paths under /scheduler/v3/meetings/meeting-links (list, book/{slug},
book/availability-page/{slug}, POST book) with the spec's shapes, error JSON, status codes and
ten-secondly rate limit. Seeded pages: "demo", "sales-intro" (form field + required consent),
"onsite-visit" (offline, with an address) and 27 team pages, so listing takes two pages.

Not HubSpot, for tests driving a sandbox in another process:
    GET  /_sandbox/stats   -> {"book_calls": n, "bookings": [...], "pending_faults": [...]}
    POST /_sandbox/faults  -> arm a Fault given as JSON (one object or a list)
    POST /_sandbox/reset   -> forget bookings, counters, faults and rate windows

HubSpot's OAuth 2 too (bot/devtools/sandbox/oauth.py): GET /oauth/authorize (a consent page), POST
/oauth/2026-03/token, /oauth/2026-03/token/introspect and /oauth/2026-03/token/revoke (the v1
OAuth paths answer as after HubSpot's 2027-02-16 sunset); each connection may get a portal of
its own (its own bookings). Test controls: GET /_sandbox/oauth, POST /_sandbox/oauth/expire and
/_sandbox/oauth/uninstall.

Environment (SandboxConfig.from_env): BOOKBOT_SANDBOX_TOKEN, BOOKBOT_SANDBOX_LATENCY_MS,
BOOKBOT_SANDBOX_RATE_LIMIT, BOOKBOT_SANDBOX_SEED and BOOKBOT_SANDBOX_FAULTS, a comma list of
operation:kind[@seconds][xN] such as "book:503x2,list:429@3,availability:timeout@5,book:malformed".
BOOKBOT_SANDBOX_OAUTH_CLIENT_ID / _OAUTH_CLIENT_SECRET (unset: any) and
BOOKBOT_SANDBOX_OAUTH_TOKEN_SECONDS (access token lifetime, default 1800).
A "drop" fault answers 502: an ASGI app cannot close the connection without a response.
"""

from bot.devtools.sandbox.app import create_sandbox_app
from bot.devtools.sandbox.config import Fault, SandboxConfig, parse_faults
from bot.devtools.sandbox.state import SandboxState

__all__ = ["Fault", "SandboxConfig", "SandboxState", "create_sandbox_app", "parse_faults"]
