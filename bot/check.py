"""`bookbot check`: each setting (secrets masked), then Slack auth.test and one HubSpot call."""

from __future__ import annotations

from typing import TextIO

from pydantic import SecretStr
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.hubspot.client import HubSpotClient
from bot.hubspot.errors import HubSpotError
from bot.services import sandbox_transport


def masked(secret: SecretStr | None) -> str:
    if secret is None:
        return "not set"
    value = secret.get_secret_value()
    prefix = value.split("-", 1)[0] + "-" if "-" in value[:6] else ""
    return f"set ({prefix}…{len(value)} chars)"


def setting_lines(settings: Settings) -> list[str]:
    mode = "Socket Mode" if settings.socket_mode else "HTTP mode"
    return [
        f"mode                  {mode}",
        f"SLACK_BOT_TOKEN       {masked(settings.slack_bot_token)}",
        f"SLACK_APP_TOKEN       {masked(settings.slack_app_token)}",
        f"SLACK_SIGNING_SECRET  {masked(settings.slack_signing_secret)}",
        f"SLACK_API_URL         {settings.slack_api_url}",
        f"HUBSPOT_ACCESS_TOKEN  {masked(settings.hubspot_access_token)}"
        + ("  (the built-in sandbox stands in)" if settings.uses_sandbox else ""),
        f"HUBSPOT_BASE_URL      {settings.hubspot_base_url}",
        f"DATABASE_URL          {_without_password(settings.database_url)}",
        "REDIS_URL             "
        + (_without_password(settings.redis_url) if settings.redis_url else "not set (in-process)"),
        f"BOOKBOT_DEFAULT_SLUG  {settings.default_slug or 'not set'}",
        f"BOOKBOT_LANGUAGES     {','.join(settings.languages)}",
    ]


def _without_password(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, _, host = rest.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in credentials else url


async def check_slack(settings: Settings) -> str | None:
    """None when auth.test passes, else one line saying what is wrong and how to fix it."""
    if settings.slack_bot_token is None:
        return "Slack: SLACK_BOT_TOKEN is not set (OAuth & Permissions → Bot User OAuth Token)"
    client = AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=10,
    )
    try:
        answer = await client.auth_test()
    except SlackApiError as error:
        return f"Slack: auth.test failed: {error.response.get('error')} (check SLACK_BOT_TOKEN)"
    except Exception as error:  # network failures come in many types; one clear line each
        return f"Slack: could not reach {settings.slack_api_url}: {type(error).__name__}"
    return None if answer.get("ok") else "Slack: auth.test did not answer ok"


async def check_hubspot(settings: Settings) -> tuple[str | None, int]:
    """(problem or None, number of meeting pages seen)."""
    transport = sandbox_transport() if settings.uses_sandbox else None
    base_url = (
        "http://hubspot-sandbox.local" if settings.uses_sandbox else settings.hubspot_base_url
    )
    client = HubSpotClient.from_settings(
        settings.model_copy(update={"hubspot_base_url": base_url}), transport=transport
    )
    try:
        pages = await client.list_meeting_links()
    except HubSpotError as error:
        return f"HubSpot: {error.user_message}", 0
    finally:
        await client.aclose()
    return None, len(pages)


async def run_check(settings: Settings, out: TextIO) -> int:
    for line in setting_lines(settings):
        print(line, file=out)
    problems = []
    slack_problem = await check_slack(settings)
    print(f"Slack auth.test       {'ok' if slack_problem is None else 'FAILED'}", file=out)
    if slack_problem:
        problems.append(slack_problem)
    hubspot_problem, page_count = await check_hubspot(settings)
    where = "sandbox" if settings.uses_sandbox else settings.hubspot_base_url
    status = f"ok, {page_count} meeting pages ({where})" if hubspot_problem is None else "FAILED"
    print(f"HubSpot               {status}", file=out)
    if hubspot_problem:
        problems.append(hubspot_problem)
    for problem in problems:
        print(problem, file=out)
    return 1 if problems else 0
