"""Slack payload shapes -> plain values for bot/. Nothing here talks to Slack or HubSpot."""

from __future__ import annotations

from typing import Any

from bot import blocks as ui
from bot.flow import FormValues, RequestMeta


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


# Where view.state.values holds the answer of each Block Kit input element Booker renders
# (bot.blocks.FORM_FIELD_WIDGETS says which element asks which HubSpot question).
STATE_FIELD: dict[str, str] = {
    "plain_text_input": "value",
    "email_text_input": "value",
    "url_text_input": "value",
    "number_input": "value",
    "datepicker": "selected_date",
    "timepicker": "selected_time",
    "static_select": "selected_option",
    "external_select": "selected_option",
    "radio_buttons": "selected_option",
    "checkboxes": "selected_options",
    "multi_static_select": "selected_options",
    "multi_external_select": "selected_options",
    "conversations_select": "selected_conversation",
}


def _action_value(action: dict[str, Any]) -> str | list[str] | None:
    """The picked or typed value; anything not shaped as Slack documents it reads as empty."""
    field = STATE_FIELD.get(str(action.get("type")), "value")
    raw = action.get(field)
    if field == "selected_option":
        return _text(_mapping(raw).get("value"))
    if field == "selected_options":
        if not isinstance(raw, list):
            return []
        values = (_text(_mapping(option).get("value")) for option in raw)
        return [value for value in values if value is not None]
    return _text(raw)


def _page_name(action: dict[str, Any]) -> str | None:
    return _text(_mapping(_mapping(action.get("selected_option")).get("text")).get("text"))


def _field(block_id: str) -> str:
    """The input a block holds: `when~2` is `when` re-drawn with a new value (a picked slot)."""
    return block_id.split("~", 1)[0]


def form_from_view(view: dict[str, Any]) -> FormValues:
    """Everything the person has typed or picked in the booking modal."""
    values = _mapping(_mapping(view.get("state")).get("values"))
    flat: dict[str, Any] = {}
    page_name = None
    for block_id, actions in values.items():
        for action_id, action in _mapping(actions).items():
            if not isinstance(action, dict):
                continue
            if block_id == ui.MEETING_PAGE and action_id == ui.MEETING_PAGE:
                page_name = _page_name(action)
            flat[_field(block_id)] = _action_value(action)

    def text(name: str) -> str:
        value = flat.get(name)
        return value if isinstance(value, str) else ""

    form_fields = {
        block_id[len(ui.FORM_FIELD_PREFIX) :]: value
        for block_id, value in flat.items()
        if block_id.startswith(ui.FORM_FIELD_PREFIX) and value is not None
    }
    duration = text(ui.DURATION)
    return FormValues(
        slug=text(ui.MEETING_PAGE) or None,
        page_name=page_name,
        when_text=text(ui.WHEN),
        duration_minutes=int(duration)
        if duration.isascii() and duration.isdigit() and len(duration) < 6
        else None,
        timezone=text(ui.TIMEZONE) or None,
        guest_email=text(ui.GUEST_EMAIL).strip(),
        guest_first_name=text(ui.GUEST_FIRST_NAME).strip(),
        guest_last_name=text(ui.GUEST_LAST_NAME).strip(),
        form_fields=form_fields,
        post_to=text(ui.POST_TO) or None,
    )


Profile = tuple[str | None, str | None]


def meta_from_body(
    body: dict[str, Any],
    profile: Profile,
    *,
    user_id: str | None = None,
    thread_ts: str | None = None,
    in_channel: bool = True,
) -> RequestMeta:
    """Who asked, from where, for any Slack request body: interactions carry `team.id`,
    `user.id` and `channel.id` (or the container's channel); slash commands and event envelopes
    carry `team_id`, `user_id` and `channel_id` at the top. `profile` is the person's (time
    zone, locale); `in_channel=False` for surfaces with no conversation (App Home)."""
    team = _text(_mapping(body.get("team")).get("id")) or _text(body.get("team_id")) or ""
    user = user_id or _text(_mapping(body.get("user")).get("id")) or _text(body.get("user_id"))
    channel = (
        _text(_mapping(body.get("channel")).get("id"))
        or _text(body.get("channel_id"))
        or _text(_mapping(body.get("container")).get("channel_id"))
        if in_channel
        else None
    )
    tz, locale = profile
    return RequestMeta(
        team_id=team,
        user_id=user or "",
        channel_id=channel,
        thread_ts=thread_ts,
        tz=tz,
        locale=locale,
    )


def meta_from_view(view: dict[str, Any]) -> RequestMeta:
    return RequestMeta.from_json(_text(view.get("private_metadata")) or "")


def response_url_of(view_submission: dict[str, Any]) -> str | None:
    """Slack's response URL for the picked conversation (response_url_enabled)."""
    items = view_submission.get("response_urls")
    for item in items if isinstance(items, list) else []:
        url = _text(_mapping(item).get("response_url"))
        if url:
            return url
    return None


def user_profile(users_info: dict[str, Any]) -> tuple[str | None, str | None]:
    """The person's IANA time zone and Slack locale from a users.info answer."""
    user = users_info.get("user") or {}
    return user.get("tz"), user.get("locale")
