"""build_app: the only place in bot/ that knows Bolt."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.web.async_client import AsyncWebClient

from bot.after_ack import AfterAck
from bot.config import Settings
from bot.followup import SlackClientSource
from bot.logging_setup import new_request_id, redact_records_at_creation, request_id_var
from bot.services import Services
from bot.work_queue import kind_of

log = logging.getLogger("bot.app")


class _ClientTokenNotice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment on its own when it is given no `token`,
    then warns that the `client` we pass (made with that same token, or per-workspace tokens in
    OAuth mode) wins over it: true, intended, and alarming at every start. Drop that one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ("client" in message and "will be unused" in message)


def _bolt_logger() -> logging.Logger:
    logger = logging.getLogger("bot.slack")
    if not any(isinstance(existing, _ClientTokenNotice) for existing in logger.filters):
        logger.addFilter(_ClientTokenNotice())
    return logger


def build_app(settings: Settings, services: Services) -> AsyncApp:
    """A Bolt app with every listener registered; `services` reach listeners through `context`."""
    redact_records_at_creation()
    _never_log_refused_bodies()
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    secret = (
        settings.slack_signing_secret.get_secret_value().strip()
        if settings.slack_signing_secret
        else None
    )
    if not settings.socket_mode and not secret:
        # Bolt would serve unsigned requests: never. (`run` refuses to start before this.)
        raise ValueError("HTTP mode needs SLACK_SIGNING_SECRET; it is missing or blank")
    # OAuth mode: no one token; Bolt's authorize puts each workspace's own on every request.
    client = AsyncWebClient(
        token=None if settings.oauth_mode else token, base_url=settings.slack_api_url, timeout=10
    )
    # Slack's `ratelimited` answers carry Retry-After; wait it out once rather than drop a card.
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
    oauth_flow = _oauth_flow(settings, services, client) if settings.oauth_mode else None
    app = AsyncApp(
        client=client,
        signing_secret=secret,
        # Socket Mode has no HTTP signature to check; HTTP mode always checks it.
        request_verification_enabled=not settings.socket_mode,
        logger=_bolt_logger(),
        oauth_flow=oauth_flow,
        # OAuth mode, a workspace with no (readable) installation: no user's locale is known
        # without its token, so the message says it in every language.
        user_facing_authorize_error_message=(
            _not_installed_message(settings, services) if oauth_flow is not None else None
        ),
        # Answer Slack at the ack, not at Bolt's next 10 ms poll (see _answer_at_ack).
        process_before_response=True,
    )

    async def tag_request(next: Callable[[], Awaitable[None]]) -> None:
        # Socket Mode has no HTTP route to do it: one id per Slack request for its log lines
        # (HTTP mode's route has set one already; tasks started from here inherit it).
        if request_id_var.get() is None:
            new_request_id()
        await next()

    app.middleware(tag_request)

    async def inject_services(context: dict[str, Any], next: Callable[[], Awaitable[None]]) -> None:
        # Connect HubSpot mode: the requesting workspace's HubSpot client, pages and flow.
        context["services"] = services.for_workspace(
            context.get("team_id"), context.get("enterprise_id")
        )
        await next()

    app.middleware(inject_services)
    app.middleware(_metadata_check(services))
    if oauth_flow is not None:
        installations = oauth_flow.settings.installation_store

        async def inject_installations(
            context: dict[str, Any], next: Callable[[], Awaitable[None]]
        ) -> None:
            context["installations"] = installations
            await next()

        app.middleware(inject_installations)

    from handlers import actions, commands, home, options, views

    for module in (commands, views, actions, options, home):
        module.register(app)
    from handlers import shortcuts  # the "Book a meeting" message shortcut

    shortcuts.register(app)
    from handlers import lifecycle  # app_uninstalled, tokens_revoked

    lifecycle.register(app)
    from handlers import hubspot  # the Connect HubSpot button

    hubspot.register(app)
    from handlers import unfurls, workflow  # pasted meeting links; the Workflow Builder step

    unfurls.register(app)
    workflow.register(app)
    from handlers import fallback  # last: any click nobody else claims is still acknowledged

    fallback.register(app)

    _answer_at_ack(app, services.after_ack)
    if services.followups is not None:
        services.followups.slack = _slack_clients(settings, app, oauth_flow)
    # Parsing pays its one-off cost here, never inside Slack's 3-second window.
    services.parser.warm_up()
    return app


def _metadata_check(services: Services) -> Callable[..., Awaitable[Any]]:
    """A modal's private_metadata must be one Booker signed (bot/metadata.py), and the team and
    person it names must be the request's own; otherwise nothing runs (the request is still
    acknowledged). Listeners then read it without the signature."""

    async def check_private_metadata(
        body: dict[str, Any], context: dict[str, Any], next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        view = body.get("view") if isinstance(body, dict) else None
        sealed = view.get("private_metadata") if isinstance(view, dict) else None
        sealer = services.flow.sealer
        if not sealed or not isinstance(sealed, str) or sealer is None:
            await next()
            return None
        opened = sealer.open(sealed)
        problem = "not signed by Booker" if opened is None else None
        if opened is not None:
            problem = _identity_problem(opened, body, context)
        if problem is not None:
            log.warning("refused a %s: its private_metadata is %s", _kind(body), problem)
            return BoltResponse(status=200, body="")
        assert isinstance(view, dict)
        view["private_metadata"] = opened
        await next()
        return None

    return check_private_metadata


def _kind(body: dict[str, Any]) -> str:
    kind = body.get("type")
    return kind if isinstance(kind, str) and kind.isidentifier() and len(kind) < 40 else "request"


def _identity_problem(opened: str, body: dict[str, Any], context: dict[str, Any]) -> str | None:
    """Why the metadata's team or user is not the request's own (None: they match)."""
    import json

    try:
        data = json.loads(opened)
    except ValueError:
        return "not JSON"
    meta = data.get("meta", data) if isinstance(data, dict) else {}
    if not isinstance(meta, dict):
        return "not an object"
    user = body.get("user") or {}
    team = context.get("team_id") or (body.get("team") or {}).get("id") or user.get("team_id")
    if meta.get("team_id") and team and meta["team_id"] != team:
        return "from another workspace"
    if meta.get("user_id") and user.get("id") and meta["user_id"] != user["id"]:
        return "another person's"
    return None


class _WithoutBody(logging.Filter):
    """Bolt logs a request whose signature fails at INFO with its whole body (guest emails, and
    anything an attacker sends, newlines included). HTTP mode's guard (bot/guard.py) keeps such
    requests from Bolt; this keeps the line bodiless should one ever get there."""

    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith("Invalid request signature detected"):
            record.msg, record.args = "Invalid request signature detected (body not logged)", None
        return True


def _never_log_refused_bodies() -> None:
    for name in ("slack_bolt.RequestVerification", "slack_bolt.AsyncRequestVerification"):
        verification = logging.getLogger(name)
        if not any(isinstance(f, _WithoutBody) for f in verification.filters):
            verification.addFilter(_WithoutBody())


# --------------------------------------------------------------------------- answering at the ack


def _answer_at_ack(app: AsyncApp, after_ack: AfterAck) -> None:
    """Slack gets its answer the moment a listener acks; the listener goes on after that.

    Bolt's default (process_before_response=False) runs a listener in a task and polls for its
    ack every 10 ms, so every ack waited up to 10 ms for nothing. The app is built with
    process_before_response=True (Bolt answers when the listener returns) and each listener is
    wrapped so that it "returns" at its ack and finishes in a task. Event listeners (no ack
    argument; Bolt acks them itself) run entirely after the answer, as before. The rest runs
    under `after_ack`, which a stop drains (bot/after_ack.py), and waits there for its turn
    (bot/work_queue.py: the listener's kind, set with `queued_as`, is its place).
    """
    for listener in app._async_listeners:
        arg_names = getattr(listener, "arg_names", None)
        if arg_names is None:  # not a listener built from a function: left as Bolt made it
            continue
        listener.ack_function = _returning_at_ack(
            listener.ack_function,
            takes_ack="ack" in arg_names,
            ack_timeout=listener.ack_timeout,
            after_ack=after_ack,
            kind=kind_of(listener.ack_function),
        )


def _returning_at_ack(
    function: Callable[..., Awaitable[Any]],
    *,
    takes_ack: bool,
    ack_timeout: float,
    after_ack: AfterAck,
    kind: str,
) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(function)
    async def until_acked(**kwargs: Any) -> Any:
        if not takes_ack:
            after_ack.start(function(**kwargs), kind=kind)
            return None
        ack = kwargs["ack"]
        acked: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        async def ack_and_answer(*args: Any, **ack_kwargs: Any) -> Any:
            try:
                answered = await ack(*args, **ack_kwargs)
            finally:
                if not acked.done():
                    acked.set_result(None)
            # Slack has its answer: the rest of the listener waits for its turn.
            await after_ack.turn(kind)
            return answered

        kwargs["ack"] = ack_and_answer
        task = asyncio.ensure_future(function(**kwargs))
        await asyncio.wait((task, acked), timeout=ack_timeout, return_when=asyncio.FIRST_COMPLETED)
        if task.done() and not acked.done():
            # Finished (or failed) without an ack: Bolt handles it as it always did.
            return task.result()
        after_ack.hold(task)
        return None

    return until_acked


def _slack_clients(
    settings: Settings, app: AsyncApp, oauth_flow: AsyncOAuthFlow | None
) -> SlackClientSource:
    """A Web API client for a workspace, outside any request (resumed after-ack steps): the
    app's own (single-token mode) or one with the workspace's installed bot token (OAuth)."""

    async def client_for(team_id: str, enterprise_id: str | None) -> AsyncWebClient | None:
        if oauth_flow is None:
            return app.client
        store = oauth_flow.settings.installation_store
        bot = await store.async_find_bot(enterprise_id=enterprise_id or None, team_id=team_id)
        if bot is None or not bot.bot_token:
            return None
        return AsyncWebClient(
            token=bot.bot_token,
            base_url=settings.slack_api_url,
            timeout=10,
            session=app.client.session,
        )

    return client_for


# --------------------------------------------------------------------------- OAuth mode


def _oauth_flow(settings: Settings, services: Services, client: AsyncWebClient) -> AsyncOAuthFlow:
    """Bolt's OAuth install flow on our stores, pages and Web API base URL (issue 7)."""
    from bot.installations import (
        STATE_EXPIRATION_SECONDS,
        InstallationStore,
        OAuthStateStore,
        cipher_from_settings,
    )

    assert settings.slack_client_id and settings.slack_client_secret is not None
    client_secret = settings.slack_client_secret.get_secret_value()
    installation_store = InstallationStore(
        services.store, cipher_from_settings(settings), clock=services.clock
    )
    state_store = OAuthStateStore(
        services.store,
        expiration_seconds=STATE_EXPIRATION_SECONDS,
        clock=services.clock,
        # Signed states: an anonymous GET /slack/install writes no row (only a used state does).
        signing_key=hashlib.sha256(b"bookbot install state:" + client_secret.encode()).digest(),
    )
    bolt_logger = logging.getLogger("bot.slack")
    oauth_settings = AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=client_secret,
        scopes=list(settings.slack_scopes),
        user_scopes=[],
        redirect_uri=settings.slack_redirect_uri,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        callback_options=AsyncCallbackOptions(success=_installed_page, failure=_failure_page),
        authorization_url=settings.slack_authorize_url,
        installation_store=installation_store,
        state_store=state_store,
        state_expiration_seconds=STATE_EXPIRATION_SECONDS,
        token_rotation_expiration_minutes=settings.slack_token_rotation_minutes,
        logger=bolt_logger,
    )
    # Bolt's default authorize refreshes rotating tokens through a client of its own that only
    # knows slack.com; this one refreshes through ours (SLACK_API_URL).
    oauth_settings.authorize = _SharedRotationAuthorize(
        logger=bolt_logger,
        installation_store=installation_store,
        client_id=settings.slack_client_id,
        client_secret=client_secret,
        token_rotation_expiration_minutes=settings.slack_token_rotation_minutes,
        client=client,
        # auth.test once per token, not on every request inside Slack's 3-second window; a
        # rotated token is a new key, an uninstalled workspace has no token to look up.
        cache_enabled=True,
    )
    return _BookerOAuthFlow(client=client, logger=bolt_logger, settings=oauth_settings)


INSTALL_PATH = "/slack/install"
_SLACK_TEAM_ID = re.compile(r"[TE][A-Z0-9]{1,30}")
REDIRECT_PATH = "/slack/oauth_redirect"
_HTML = "text/html; charset=utf-8"
# Bolt's failure reasons -> the error page's text.
_FAILURE_TEXT = {
    "invalid_browser": "expired",
    "invalid_state": "expired",
    "missing_code": "code",
    "invalid_code": "code",
    "storage_error": "storage",
}


def _language_of(request: AsyncBoltRequest) -> str:
    from bot.web import language_from_accept_language

    values = request.headers.get("accept-language") or []
    return language_from_accept_language(values[0] if values else None)


def _page_headers(request: AsyncBoltRequest, **extra: Any) -> dict[str, Any]:
    from bot.web import PAGE_HEADERS

    return {"Content-Type": _HTML, **PAGE_HEADERS, **extra}


class _SharedRotationAuthorize(AsyncInstallationStoreAuthorize):
    """Bolt's authorize, but requests of one workspace that find its rotating token expiring
    together share one refresh: Slack revokes a refresh token once it is used, so a second
    refresh with the same one fails (and that request with it)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._rotation_locks: dict[tuple[str | None, str | None, bool], asyncio.Lock] = {}

    async def _rotate_and_save_tokens_if_necessary(
        self, installation: Installation | None
    ) -> Installation | None:
        if installation is None or not installation.bot_refresh_token:
            return None
        margin = self.token_rotation_expiration_minutes * 60
        expires_at = installation.bot_token_expires_at
        if expires_at is None or expires_at > time.time() + margin:
            return None  # the common case: nothing to refresh, no lock, no extra read
        workspace = (
            installation.enterprise_id,
            installation.team_id,
            bool(installation.is_enterprise_install),
        )

        async def stored() -> Installation | None:
            return await self.installation_store.async_find_installation(
                enterprise_id=workspace[0], team_id=workspace[1], is_enterprise_install=workspace[2]
            )

        lock = self._rotation_locks.setdefault(workspace, asyncio.Lock())
        async with lock:
            # Another request may have refreshed it while this one waited: take what is stored.
            current = await stored()
            if current is None:
                return None
            try:
                refreshed = await super()._rotate_and_save_tokens_if_necessary(current)
            except SlackTokenRotationError:
                # Another worker process used the refresh token first; it saves the new one.
                for _ in range(10):
                    await asyncio.sleep(0.1)
                    latest = await stored()
                    if latest is not None and latest.bot_token != current.bot_token:
                        return latest
                raise
        if refreshed is not None:
            return refreshed
        return current if current.bot_token != installation.bot_token else None


def _not_installed_message(settings: Settings, services: Services) -> str:
    install_url = f"{settings.public_url or ''}{INSTALL_PATH}"
    return "\n".join(
        services.catalog.for_language(language).t("oauth.not_installed", install_url=install_url)
        for language in services.catalog.languages
    )


class _BookerOAuthFlow(AsyncOAuthFlow):
    """Bolt's flow with our own install page (three languages, accessible)."""

    async def build_authorize_url(self, state: str, request: AsyncBoltRequest) -> str:
        # `?team=` pre-selects a workspace on Slack's page. Bolt pastes it into the URL as is,
        # so only a Slack team id is passed on: never extra parameters smuggled in with `&`.
        values = request.query.get("team") or []
        team = values[0] if values and _SLACK_TEAM_ID.fullmatch(values[0]) else None
        return self.settings.authorize_url_generator.generate(state=state, team=team)

    async def build_install_page_html(self, url: str, request: AsyncBoltRequest) -> str:
        from bot.web import render_page

        return render_page("install", _language_of(request), link_url=url)

    async def append_set_cookie_headers(
        self, headers: dict[str, Any], set_cookie_value: str | None
    ) -> dict[str, Any]:
        from bot.web import PAGE_HEADERS

        headers = await super().append_set_cookie_headers(headers, set_cookie_value)
        return {**headers, **PAGE_HEADERS}


async def _installed_page(args: AsyncSuccessArgs) -> BoltResponse:
    from bot.web import render_page

    installation = args.installation
    name = (
        installation.team_name
        or installation.enterprise_name
        or installation.team_id
        or installation.enterprise_id
        or ""
    )
    log.info(
        "Booker was installed in workspace %s", installation.team_id or installation.enterprise_id
    )
    return BoltResponse(
        status=200,
        body=render_page("installed", _language_of(args.request), team_name=name),
        headers=_page_headers(
            args.request,
            **{"Set-Cookie": [args.settings.state_utils.build_set_cookie_for_deletion()]},
        ),
    )


async def _failure_page(args: AsyncFailureArgs) -> BoltResponse:
    from bot.web import render_page

    language = _language_of(args.request)
    if args.reason == "access_denied":
        body = render_page("cancelled", language, link_url=INSTALL_PATH)
    else:
        log.warning("a Slack install failed: %r", args.reason[:80])
        body = render_page(
            "error",
            language,
            reason=_FAILURE_TEXT.get(args.reason, "generic"),
            reference=args.reason,
            link_url=INSTALL_PATH,
        )
    return BoltResponse(
        status=args.suggested_status_code,
        body=body,
        headers=_page_headers(
            args.request,
            **{"Set-Cookie": [args.settings.state_utils.build_set_cookie_for_deletion()]},
        ),
    )
