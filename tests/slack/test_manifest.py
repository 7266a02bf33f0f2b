"""manifest.yml is what an admin pastes into Slack: valid, and matching what the code uses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = REPO_ROOT / "tests" / "contracts" / "slack-app-manifest.schema.json"
EVENTS_URL = "https://booker.example.com/slack/events"


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    loaded = yaml.safe_load((REPO_ROOT / "manifest.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    loaded = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_manifest_is_valid_against_slacks_schema(
    manifest: dict[str, Any], schema: dict[str, Any]
) -> None:
    jsonschema.validate(manifest, schema)


def test_schema_rejects_a_broken_manifest(manifest: dict[str, Any], schema: dict[str, Any]) -> None:
    broken = json.loads(json.dumps(manifest))
    broken["features"]["slash_commands"][0]["command"] = "book"  # must start with "/"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_book_command_has_description_and_usage_hint(manifest: dict[str, Any]) -> None:
    commands = {c["command"]: c for c in manifest["features"]["slash_commands"]}
    book = commands["/book"]
    assert book["description"].strip()
    assert "help" in book["usage_hint"]
    assert book["url"] == EVENTS_URL


def test_interactivity_socket_mode_and_app_home_are_on(manifest: dict[str, Any]) -> None:
    settings = manifest["settings"]
    assert settings["socket_mode_enabled"] is True
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["interactivity"]["request_url"] == EVENTS_URL
    assert settings["interactivity"]["message_menu_options_url"] == EVENTS_URL
    assert "app_home_opened" in settings["event_subscriptions"]["bot_events"]
    app_home = manifest["features"]["app_home"]
    assert app_home["home_tab_enabled"] is True
    assert app_home["messages_tab_enabled"] is True


def test_no_one_can_type_into_a_messages_tab_nobody_reads(manifest: dict[str, Any]) -> None:
    """Booker DMs people (calendar files, notes) but answers no DM: a message typed to it would
    meet silence, so the Messages tab is read-only unless DMs are subscribed to."""
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    app_home = manifest["features"]["app_home"]
    if "message.im" not in events:
        assert app_home["messages_tab_read_only_enabled"] is True


def test_message_shortcut_books_from_a_message(manifest: dict[str, Any]) -> None:
    shortcuts = {s["callback_id"]: s for s in manifest["features"]["shortcuts"]}
    assert shortcuts["book_from_message"]["type"] == "message"
    assert shortcuts["book_from_message"]["name"] == "Book a meeting"


def test_bot_scopes_are_exactly_the_ones_the_code_uses(manifest: dict[str, Any]) -> None:
    scopes = manifest["oauth_config"]["scopes"]["bot"]
    assert len(scopes) == len(set(scopes))
    assert set(scopes) == {
        "commands",
        "chat:write",
        "chat:write.public",
        "users:read",
        "im:write",
        "files:write",
        "links:read",
        "links:write",
    }
    assert "user" not in manifest["oauth_config"]["scopes"], "Booker needs no user token"
