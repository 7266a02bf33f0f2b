"""build_app: the only place in bot/ that knows Bolt."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.services import Services

log = logging.getLogger("bot.app")


def build_app(settings: Settings, services: Services) -> AsyncApp:
    """A Bolt app with every listener registered; `services` reach listeners through `context`."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    secret = (
        settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    )
    client = AsyncWebClient(token=token, base_url=settings.slack_api_url, timeout=10)
    # Slack's `ratelimited` answers carry Retry-After; wait it out once rather than drop a card.
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
    app = AsyncApp(
        client=client,
        signing_secret=secret,
        # Socket Mode has no HTTP signature to check.
        request_verification_enabled=secret is not None,
        logger=logging.getLogger("bot.slack"),
    )

    async def inject_services(context: dict[str, Any], next: Callable[[], Awaitable[None]]) -> None:
        context["services"] = services
        await next()

    app.middleware(inject_services)

    from handlers import actions, commands, home, options, views

    for module in (commands, views, actions, options, home):
        module.register(app)

    # Parsing pays its one-off cost here, never inside Slack's 3-second window.
    services.parser.warm_up()
    return app
