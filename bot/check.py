"""`bookbot check`: each setting (secrets masked), then Slack auth.test and one HubSpot call."""

from __future__ import annotations

from typing import Any, TextIO

from pydantic import SecretStr
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.hubspot.client import HubSpotClient
from bot.hubspot.errors import HubSpotError
from bot.services import sandbox_transport

# Token kinds whose prefix says which token it is (and nothing secret); any other secret
# (a signing or client secret) shows no character at all.
_TOKEN_PREFIXES = ("xoxb-", "xoxp-", "xoxe-", "xapp-", "pat-")


def masked(secret: SecretStr | None) -> str:
    if secret is None:
        return "not set"
    value = secret.get_secret_value()
    if not value.strip():
        return "BLANK (set to nothing: treated as missing)"
    prefix = next((known for known in _TOKEN_PREFIXES if value.startswith(known)), "")
    return f"set ({prefix}…{len(value)} chars)"


def install_mode(settings: Settings) -> str:
    if settings.oauth_mode:
        return "OAuth (installs in many workspaces, tokens in the database)"
    return "single token (one workspace, SLACK_BOT_TOKEN)"


def masked_keys(secret: SecretStr | None) -> str:
    if secret is None:
        return "not set"
    count = len([part for part in secret.get_secret_value().split(",") if part.strip()])
    return f"set ({count} key{'s' if count != 1 else ''})"


def setting_lines(settings: Settings) -> list[str]:
    mode = "Socket Mode" if settings.socket_mode else "HTTP mode"
    oauth = (
        [
            f"SLACK_CLIENT_ID       {settings.slack_client_id or 'not set'}",
            f"SLACK_CLIENT_SECRET   {masked(settings.slack_client_secret)}",
            f"BOOKBOT_ENCRYPTION_KEY {masked_keys(settings.encryption_key)}",
            f"BOOKBOT_PUBLIC_URL    {settings.public_url or 'not set'}",
        ]
        if settings.oauth_mode or settings.slack_client_id or settings.slack_client_secret
        else []
    )
    return [
        f"mode                  {mode}",
        f"install               {install_mode(settings)}",
        *oauth,
        f"SLACK_BOT_TOKEN       {masked(settings.slack_bot_token)}",
        f"SLACK_APP_TOKEN       {masked(settings.slack_app_token)}",
        f"SLACK_SIGNING_SECRET  {masked(settings.slack_signing_secret)}",
        f"SLACK_API_URL         {settings.slack_api_url}",
        f"HUBSPOT_ACCESS_TOKEN  {masked(settings.hubspot_access_token)}"
        + ("  (the built-in sandbox stands in)" if settings.uses_sandbox else ""),
        f"HUBSPOT_BASE_URL      {settings.hubspot_base_url}",
        *(
            [
                f"HUBSPOT_CLIENT_ID     {settings.hubspot_client_id or 'not set'}"
                + ("  (Connect HubSpot per workspace)" if settings.hubspot_oauth_mode else ""),
                f"HUBSPOT_CLIENT_SECRET {masked(settings.hubspot_client_secret)}",
            ]
            if settings.hubspot_client_id or settings.hubspot_client_secret
            else []
        ),
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


async def check_workspaces(settings: Settings, out: TextIO) -> list[str]:
    """OAuth mode: each installed workspace, and whether its stored token still works."""
    from bot.crypto import EncryptionKeyError
    from bot.installations import InstallationStore, cipher_from_settings, oauth_problems
    from bot.store import Store, StoreError

    problems = [f"Slack: {problem}" for problem in oauth_problems(settings)]
    try:
        cipher = cipher_from_settings(settings)
        store = await Store.open(settings.database_url, migrate=False)
    except EncryptionKeyError:  # already among the problems above
        print("Slack workspaces      FAILED", file=out)
        return problems
    except StoreError as error:
        print("Slack workspaces      FAILED", file=out)
        return [*problems, f"Slack workspaces: {error}"]
    try:
        installations = InstallationStore(store, cipher)
        workspaces = await installations.workspaces()
        print(f"Slack workspaces      {len(workspaces)} installed", file=out)
        for workspace in workspaces:
            ok, status = await _workspace_status(settings, installations, workspace)
            if not ok:
                problems.append(f"Slack: workspace {workspace.label}: {status}")
            installed = workspace.installed_at.strftime("%Y-%m-%d")
            print(
                f"  {workspace.label}  installed {installed} by {workspace.installer_user_id}"
                f"  auth.test {status}",
                file=out,
            )
    finally:
        await store.close()
    return problems


async def _workspace_status(
    settings: Settings, installations: Any, workspace: Any
) -> tuple[bool, str]:
    if not workspace.token_readable:
        return False, "FAILED (token unreadable with BOOKBOT_ENCRYPTION_KEY: old key removed?)"
    bot = await installations.async_find_bot(
        enterprise_id=workspace.enterprise_id,
        team_id=workspace.team_id,
        is_enterprise_install=workspace.is_enterprise_install,
    )
    if bot is None:
        return False, "FAILED (no bot token: reinstall from /slack/install)"
    client = AsyncWebClient(token=bot.bot_token, base_url=settings.slack_api_url, timeout=10)
    try:
        await client.auth_test()
    except SlackApiError as error:
        code = error.response.get("error")
        if code == "token_expired" and bot.bot_refresh_token:
            return True, "ok (token expired; refreshed on the next request)"
        return False, f"FAILED ({code}: reinstall from /slack/install)"
    except Exception as error:  # network failures come in many types; one clear line each
        return False, f"FAILED (could not reach {settings.slack_api_url}: {type(error).__name__})"
    return True, "ok"


async def run_check(settings: Settings, out: TextIO) -> int:
    from bot.server import signing_secret_problem

    for line in setting_lines(settings):
        print(line, file=out)
    problems = []
    secret_problem = signing_secret_problem(settings)
    if secret_problem is not None:
        problems.append(f"Slack: {secret_problem}")
    if settings.oauth_mode:
        problems.extend(await check_workspaces(settings, out))
    else:
        slack_problem = await check_slack(settings)
        print(f"Slack auth.test       {'ok' if slack_problem is None else 'FAILED'}", file=out)
        if slack_problem:
            problems.append(slack_problem)
    if settings.hubspot_oauth_mode:
        # Connect HubSpot: no one token to try; each workspace's connection instead.
        from bot.hubspot.connect import connection_report

        lines, hubspot_problems = await connection_report(settings)
        for line in lines:
            print(line, file=out)
        problems.extend(hubspot_problems)
    else:
        hubspot_problem, page_count = await check_hubspot(settings)
        where = "sandbox" if settings.uses_sandbox else settings.hubspot_base_url
        status = (
            f"ok, {page_count} meeting pages ({where})" if hubspot_problem is None else "FAILED"
        )
        print(f"HubSpot               {status}", file=out)
        if hubspot_problem:
            problems.append(hubspot_problem)
    for problem in problems:
        print(problem, file=out)
    return 1 if problems else 0
