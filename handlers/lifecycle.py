"""App lifecycle events: a workspace removing Booker, or Slack revoking its tokens.

In OAuth mode the workspace's stored tokens are deleted (Slack has already made them useless);
in single-token mode nothing is stored, so there is nothing to do.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.hubspot.connect import disconnect
from bot.installations import InstallationStore

log = logging.getLogger("handlers.lifecycle")


def register(app: AsyncApp) -> None:
    app.event("app_uninstalled")(on_app_uninstalled)
    app.event("tokens_revoked")(on_tokens_revoked)


def _installations(context: dict[str, Any]) -> InstallationStore | None:
    store = context.get("installations")
    return store if isinstance(store, InstallationStore) else None


async def on_app_uninstalled(context: dict[str, Any]) -> None:
    # Connect HubSpot: the workspace's HubSpot tokens go too (in either Slack mode).
    connect = getattr(context.get("services"), "hubspot_connect", None)
    if connect is not None:
        await disconnect(connect, context.get("team_id"), context.get("enterprise_id"))
    store = _installations(context)
    if store is None:
        return
    await store.forget_workspace(
        enterprise_id=context.get("enterprise_id"),
        team_id=None if context.get("is_enterprise_install") else context.get("team_id"),
    )


async def on_tokens_revoked(event: dict[str, Any], context: dict[str, Any]) -> None:
    store = _installations(context)
    if store is None:
        return
    tokens = event.get("tokens") or {}
    enterprise_id = context.get("enterprise_id")
    team_id = None if context.get("is_enterprise_install") else context.get("team_id")
    if tokens.get("bot"):
        await store.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)
    for user_id in tokens.get("oauth") or []:
        await store.async_delete_installation(
            enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
        )
