"""manifest.yml and the OAuth mode agree: redirect URL, lifecycle events, scopes asked for."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from bot.app import REDIRECT_PATH
from bot.config import DEFAULT_SLACK_SCOPES

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"


def manifest() -> dict[str, Any]:
    loaded = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_the_redirect_url_is_the_apps_oauth_redirect_route() -> None:
    [url] = manifest()["oauth_config"]["redirect_urls"]
    parts = urlsplit(url)
    assert parts.scheme == "https" and parts.path == REDIRECT_PATH


def test_uninstall_and_revocation_events_are_subscribed() -> None:
    events = manifest()["settings"]["event_subscriptions"]["bot_events"]
    assert {"app_uninstalled", "tokens_revoked"} <= set(events)


def test_an_oauth_install_asks_for_exactly_the_manifests_bot_scopes() -> None:
    assert sorted(manifest()["oauth_config"]["scopes"]["bot"]) == sorted(DEFAULT_SLACK_SCOPES)
