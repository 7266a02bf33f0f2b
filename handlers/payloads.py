"""Slack payload shapes -> plain values for bot/. Nothing here talks to Slack or HubSpot."""

from __future__ import annotations

from typing import Any

from bot.flow import FormValues, RequestMeta

FORM_FIELD_PREFIX = "form_field:"


def _action_value(action: dict[str, Any]) -> Any:
    kind = action.get("type")
    if kind in ("static_select", "external_select"):
        option = action.get("selected_option") or {}
        return option.get("value")
    if kind == "conversations_select":
        return action.get("selected_conversation")
    if kind == "checkboxes":
        return [option.get("value") for option in action.get("selected_options") or []]
    if kind == "datepicker":
        return action.get("selected_date")
    return action.get("value")


def _page_name(action: dict[str, Any]) -> str | None:
    option = action.get("selected_option") or {}
    text = option.get("text") or {}
    return text.get("text")


def form_from_view(view: dict[str, Any]) -> FormValues:
    """Everything the person has typed or picked in the booking modal."""
    values: dict[str, dict[str, Any]] = (view.get("state") or {}).get("values") or {}
    flat: dict[str, Any] = {}
    page_name = None
    for block_id, actions in values.items():
        for action_id, action in actions.items():
            if block_id == "meeting_page" and action_id == "meeting_page":
                page_name = _page_name(action)
            flat[block_id] = _action_value(action)
    form_fields = {
        block_id[len(FORM_FIELD_PREFIX) :]: value
        for block_id, value in flat.items()
        if block_id.startswith(FORM_FIELD_PREFIX)
    }
    duration = flat.get("duration")
    return FormValues(
        slug=flat.get("meeting_page"),
        page_name=page_name,
        when_text=flat.get("when") or "",
        duration_minutes=int(duration) if duration and str(duration).isdigit() else None,
        timezone=flat.get("timezone"),
        guest_email=(flat.get("guest_email") or "").strip(),
        guest_first_name=(flat.get("guest_first_name") or "").strip(),
        guest_last_name=(flat.get("guest_last_name") or "").strip(),
        form_fields=form_fields,
        post_to=flat.get("post_to"),
    )


def meta_from_view(view: dict[str, Any]) -> RequestMeta:
    return RequestMeta.from_json(view.get("private_metadata") or "")


def response_url_of(view_submission: dict[str, Any]) -> str | None:
    """Slack's response URL for the picked conversation (response_url_enabled)."""
    for item in view_submission.get("response_urls") or []:
        url = item.get("response_url")
        if url:
            return str(url)
    return None


def user_profile(users_info: dict[str, Any]) -> tuple[str | None, str | None]:
    """The person's IANA time zone and Slack locale from a users.info answer."""
    user = users_info.get("user") or {}
    return user.get("tz"), user.get("locale")
