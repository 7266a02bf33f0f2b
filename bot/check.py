"""`bookbot check`: each setting (secrets masked), then the database, Redis, Slack auth.test and
one HubSpot call; below the table one line per problem, among them all that `run` would refuse
(bot/startup.py)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from pydantic import SecretStr
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.hubspot.client import HubSpotClient
from bot.hubspot.errors import HubSpotError, TransportError
from bot.services import sandbox_transport
from bot.startup import (
    RunOptions,
    driver_threads_settled,
    http_url_problem,
    masked_url,
    one_line,
    port_free,
    reachability_problems,
    redis_reachable,
    setting_problems,
)

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
    if settings.slack_client_id or settings.slack_client_secret is not None:
        return "OAuth half set: SLACK_CLIENT_ID and SLACK_CLIENT_SECRET go together (see below)"
    return "single token (one workspace, SLACK_BOT_TOKEN)"


def masked_keys(secret: SecretStr | None) -> str:
    if secret is None:
        return "not set"
    count = len([part for part in secret.get_secret_value().split(",") if part.strip()])
    return f"set ({count} key{'s' if count != 1 else ''})"


def setting_lines(settings: Settings, options: RunOptions | None = None) -> list[str]:
    sandbox = options is not None and options.sandbox
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
        f"SLACK_API_URL         {masked_url(settings.slack_api_url)}",
        f"HUBSPOT_ACCESS_TOKEN  {masked(settings.hubspot_access_token)}"
        + ("  (--sandbox: the built-in stand-in)" if sandbox else ""),
        f"HUBSPOT_BASE_URL      {masked_url(settings.hubspot_base_url)}",
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
        return (
            f"Slack: could not reach {masked_url(settings.slack_api_url)}: "
            f"{type(error).__name__} (check SLACK_API_URL and the network)"
        )
    return None if answer.get("ok") else "Slack: auth.test did not answer ok"


async def check_hubspot(settings: Settings, *, sandbox: bool = False) -> tuple[str | None, int]:
    """(problem or None, number of meeting pages seen)."""
    transport = sandbox_transport() if sandbox else None
    base_url = "http://hubspot-sandbox.local" if sandbox else settings.hubspot_base_url
    client = HubSpotClient.from_settings(
        settings.model_copy(update={"hubspot_base_url": base_url}), transport=transport
    )
    try:
        pages = await client.list_meeting_links()
    except TransportError as error:
        # An operator's problem, not a passing one: say where Booker looked.
        where = "the sandbox" if sandbox else masked_url(settings.hubspot_base_url)
        return (
            f"HubSpot: could not reach {where} ({error.message}): check HUBSPOT_BASE_URL and "
            "the network",
            0,
        )
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
        where = masked_url(settings.slack_api_url)
        return False, f"FAILED (could not reach {where}: {type(error).__name__})"
    return True, "ok"


@contextlib.contextmanager
def _quiet_logs() -> Iterator[None]:
    """Library log lines (retries, connection errors) would land between the table's rows; each
    check's outcome is in the table and the problem lines instead."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    root.handlers[:] = [logging.NullHandler()]
    root.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


async def check_database(settings: Settings) -> tuple[str, str | None]:
    """(table status, problem or None); opens the ledger without migrating or creating it."""
    from bot.store import SchemaOutOfDate, Store, StoreError, resolve_database_url

    try:
        target = resolve_database_url(settings.database_url)
    except StoreError as error:
        return "FAILED", one_line(str(error))
    if target.is_sqlite and target.url.database not in (None, "", ":memory:"):
        path = Path(str(target.url.database))
        if not path.exists() and path.parent.is_dir():
            return "ok (not created yet: `bookbot run` creates it)", None
    try:
        store = await Store.open(settings.database_url, migrate=False)
    except SchemaOutOfDate:
        return "ok (older schema: `bookbot run` or `bookbot db upgrade` migrates it)", None
    except StoreError as error:
        await driver_threads_settled()
        return "FAILED", one_line(f"DATABASE_URL: {error}")
    await store.close()
    return "ok", None


async def run_check(settings: Settings, out: TextIO, options: RunOptions | None = None) -> int:
    options = options or RunOptions(port=None)
    with _quiet_logs():
        return await _run_check(settings, out, options)


async def _run_check(settings: Settings, out: TextIO, options: RunOptions) -> int:
    for line in setting_lines(settings, options):
        print(line, file=out)
    # Everything `bookbot run` would refuse; then whether each service answers.
    problems = setting_problems(settings, options)
    database_status, database_problem = await check_database(settings)
    print(f"Database              {database_status}", file=out)
    if database_problem and database_problem not in problems:
        problems.append(database_problem)
    redis_problems = await reachability_problems(settings, options, (redis_reachable,))
    redis_status = "not set" if settings.redis_url is None else "ok"
    print(f"Redis                 {'FAILED' if redis_problems else redis_status}", file=out)
    problems.extend(redis_problems)
    if options.port is not None:
        port_problems = await reachability_problems(settings, options, (port_free,))
        print(f"Port {options.port:<17d}{'FAILED' if port_problems else 'free'}", file=out)
        problems.extend(port_problems)
    if settings.oauth_mode:
        problems.extend(p for p in await check_workspaces(settings, out) if p not in problems)
    elif settings.slack_client_id or settings.slack_client_secret is not None:
        print("Slack auth.test       not tried (SLACK_CLIENT_ID/SLACK_CLIENT_SECRET)", file=out)
    elif settings.slack_bot_token is None:
        print("Slack auth.test       not tried (SLACK_BOT_TOKEN)", file=out)
    elif http_url_problem(settings.slack_api_url) is not None:
        print("Slack auth.test       not tried (SLACK_API_URL)", file=out)
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
    elif settings.uses_sandbox and not options.sandbox:
        print("HubSpot               not tried (no HubSpot credentials)", file=out)
    elif not options.sandbox and http_url_problem(settings.hubspot_base_url) is not None:
        print("HubSpot               not tried (HUBSPOT_BASE_URL)", file=out)
    else:
        hubspot_problem, page_count = await check_hubspot(settings, sandbox=options.sandbox)
        where = "sandbox" if options.sandbox else masked_url(settings.hubspot_base_url)
        status = (
            f"ok, {page_count} meeting pages ({where})" if hubspot_problem is None else "FAILED"
        )
        print(f"HubSpot               {status}", file=out)
        if hubspot_problem:
            problems.append(hubspot_problem)
    for problem in problems:
        print(problem, file=out)
    return 1 if problems else 0
