"""Pure Block Kit builders: the booking modal, its progress/result/error views, the channel card,
help, `/book list` and App Home.

Every function returns plain dicts (Slack JSON) from simple frozen inputs and does no I/O.
Text handed to these builders is *raw*: the builders escape whatever lands in mrkdwn, so callers
must not escape first. Slack's size limits are enforced here (truncating with "…").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlparse

from bot.i18n import Translator

JsonDict = dict[str, Any]

# --- contract ids (design.md §3) -------------------------------------------------------------
MODAL_CALLBACK_ID = "book_meeting"
MEETING_PAGE = "meeting_page"
WHEN = "when"
DURATION = "duration"
TIMEZONE = "timezone"
GUEST_EMAIL = "guest_email"
GUEST_FIRST_NAME = "guest_first_name"
GUEST_LAST_NAME = "guest_last_name"
POST_TO = "post_to"
FORM_FIELD_PREFIX = "form_field:"
FIELD_ERROR_PREFIX = "field_error:"
LEGAL_CONSENT_FIELD = "legal_consent"
LEGAL_CONSENT_BLOCK = FORM_FIELD_PREFIX + LEGAL_CONSENT_FIELD
JOIN_ACTION_ID = "join_meeting"
BACK_TO_FORM_ACTION_ID = "back_to_form"
HOME_BOOK_ACTION_ID = "open_booking_modal"
CHECK_AGAIN_ACTION_ID = "check_again"
# The card's "Add to calendar" button; its value is the booking's ledger key (never the guest).
ADD_TO_CALENDAR_ACTION_ID = "add_to_calendar"
REMINDER_ACTIONS_BLOCK = "reminder_actions"
# Buttons under `when` (nearest free slots, then other readings) are pick_slot_0, pick_slot_1, …
# and carry the ISO start as their value.
PICK_SLOT_ACTION_PREFIX = "pick_slot_"
PICK_SLOT_ACTION_PATTERN = re.compile(r"^pick_slot_\d+$")
WHEN_PREVIEW_BLOCK = "when_preview"
WHEN_SLOTS_BLOCK = "when_slots"
WHEN_ALTERNATIVES_BLOCK = "when_alternatives"
CARD_ACTIONS_BLOCK = "booking_actions"
# Inputs that send block_actions as soon as they change (the handler must ack each of them).
DISPATCHING_ACTION_IDS = (MEETING_PAGE, WHEN, DURATION, TIMEZONE)
CONSENT_PROCESSING_VALUE = "processing"
CONSENT_COMMUNICATION_PREFIX = "communication:"
BOOLEAN_CHECKED_VALUE = "true"
# Standard contact fields the modal already asks for with its own guest_* inputs.
GUEST_FORM_FIELD_NAMES = frozenset({"email", "firstname", "lastname"})

# --- Slack limits ----------------------------------------------------------------------------
VIEW_TITLE_MAX = 24
VIEW_BLOCKS_MAX = 100
MESSAGE_BLOCKS_MAX = 50
PRIVATE_METADATA_MAX = 3000
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
OPTIONS_MAX = 100
CHECKBOX_OPTIONS_MAX = 10
BUTTON_TEXT_MAX = 75
ACCESSIBILITY_LABEL_MAX = 75
BUTTON_VALUE_MAX = 2000
BUTTON_URL_MAX = 3000
ACTIONS_ELEMENTS_MAX = 25
LABEL_MAX = 2000
HINT_MAX = 2000
PLACEHOLDER_MAX = 150
INPUT_VALUE_MAX = 3000
# Booker's own cap on every free-text field (and on `/book` text): what anyone types for a time,
# a name or a page's question fits easily, and nothing longer is ever parsed.
TEXT_MAX = 500
SECTION_TEXT_MAX = 3000
CONTEXT_TEXT_MAX = 3000
HEADER_TEXT_MAX = 150
MESSAGE_TEXT_MAX = 40000

DEFAULT_DURATIONS = (15, 30, 45, 60)
_SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_SLACK_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}$")

# Grouped so the select stays under Slack's 100 options; the person's own zone is added first.
TIMEZONE_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "modal.timezone.group.americas",
        (
            "America/Anchorage",
            "America/Los_Angeles",
            "America/Vancouver",
            "America/Tijuana",
            "America/Denver",
            "America/Phoenix",
            "America/Chicago",
            "America/Mexico_City",
            "America/Guatemala",
            "America/Costa_Rica",
            "America/New_York",
            "America/Toronto",
            "America/Bogota",
            "America/Lima",
            "America/Caracas",
            "America/Halifax",
            "America/Santiago",
            "America/La_Paz",
            "America/Manaus",
            "America/Sao_Paulo",
            "America/Argentina/Buenos_Aires",
            "America/Montevideo",
            "America/Asuncion",
            "America/St_Johns",
            "Pacific/Honolulu",
        ),
    ),
    (
        "modal.timezone.group.europe_africa",
        (
            "Atlantic/Azores",
            "Europe/London",
            "Europe/Dublin",
            "Europe/Lisbon",
            "Africa/Casablanca",
            "Africa/Lagos",
            "Europe/Madrid",
            "Europe/Paris",
            "Europe/Brussels",
            "Europe/Amsterdam",
            "Europe/Berlin",
            "Europe/Zurich",
            "Europe/Rome",
            "Europe/Stockholm",
            "Europe/Warsaw",
            "Europe/Prague",
            "Europe/Athens",
            "Europe/Helsinki",
            "Europe/Bucharest",
            "Europe/Kyiv",
            "Europe/Istanbul",
            "Europe/Moscow",
            "Africa/Cairo",
            "Africa/Johannesburg",
            "Africa/Nairobi",
        ),
    ),
    (
        "modal.timezone.group.asia_pacific",
        (
            "Asia/Dubai",
            "Asia/Tehran",
            "Asia/Karachi",
            "Asia/Kolkata",
            "Asia/Kathmandu",
            "Asia/Dhaka",
            "Asia/Bangkok",
            "Asia/Jakarta",
            "Asia/Ho_Chi_Minh",
            "Asia/Singapore",
            "Asia/Kuala_Lumpur",
            "Asia/Manila",
            "Asia/Shanghai",
            "Asia/Hong_Kong",
            "Asia/Taipei",
            "Asia/Seoul",
            "Asia/Tokyo",
            "Australia/Perth",
            "Australia/Adelaide",
            "Australia/Brisbane",
            "Australia/Sydney",
            "Australia/Melbourne",
            "Pacific/Auckland",
        ),
    ),
    ("modal.timezone.group.utc", ("UTC",)),
)


# --- inputs ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class PageOption:
    """A HubSpot meeting page as offered in the `meeting_page` select."""

    slug: str
    name: str


@dataclass(frozen=True)
class FormFieldSpec:
    """One of the page's own questions. field_type is HubSpot's fieldType (select, radio,
    checkbox, booleancheckbox, textarea, text, number, …); options are (value, label)."""

    name: str
    label: str
    required: bool
    field_type: str
    options: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ConsentSpec:
    """The page's legal consent: the processing text and checkbox, and communication
    subscriptions as (subscription id, label, required)."""

    text: str
    checkbox_label: str
    communication: tuple[tuple[str, str, bool], ...] = ()


PreviewKind = Literal["ok", "busy", "error", "date_only", "empty", "checking"]


@dataclass(frozen=True)
class Preview:
    """What the typed time means, shown under `when`. Buttons are (label, ISO start)."""

    kind: PreviewKind
    text: str
    slot_buttons: tuple[tuple[str, str], ...] = ()
    alternative_buttons: tuple[tuple[str, str], ...] = ()
    # Screen-reader labels for slot buttons that show a time alone (the day is in `text`).
    slot_descriptions: tuple[str, ...] = ()


FormValue = str | tuple[str, ...]


@dataclass(frozen=True)
class ModalState:
    """Everything the booking modal shows; all typed values go back in so none is lost.

    form_values maps a page field name (or "legal_consent") to the typed text, the chosen
    option value, or a tuple of checked values. when_revision > 0 renames the `when` block
    (block_id "when~N", action_id still "when"): Slack keeps what a person typed in a block
    whose id is unchanged, so filling `when` from a slot button needs a new block id.
    """

    page: PageOption | None = None
    when_text: str = ""
    duration_minutes: int | None = None
    durations: tuple[int, ...] = ()
    timezone: str = "UTC"
    guest_email: str = ""
    guest_first_name: str = ""
    guest_last_name: str = ""
    form_values: Mapping[str, FormValue] = field(default_factory=dict)
    post_to_channel: str | None = None
    form_fields: tuple[FormFieldSpec, ...] = ()
    consent: ConsentSpec | None = None
    preview: Preview | None = None
    when_revision: int = 0
    # Set when the modal came from a message shortcut: the card goes in that message's thread
    # in this channel, so no `post_to` picker is offered.
    thread_channel: str | None = None
    # The date whose UTC offsets the time zone labels show (the typed time, else now).
    zone_moment: datetime | None = None
    # After the ack Slack's own inline errors are gone: HubSpot's refusals, block id ->
    # message, are shown right under those inputs, with `notice` at the top of the form.
    field_errors: Mapping[str, str] = field(default_factory=dict)
    notice: str | None = None


@dataclass(frozen=True)
class BookingCard:
    """A confirmed booking as posted in the channel."""

    page_name: str
    start_utc: datetime
    duration_minutes: int
    guest_name: str
    guest_email: str
    booked_by_user_id: str
    web_conference_url: str | None
    location: str | None
    timezone_for_fallback: str
    # The ledger key: when set, the card offers "Add to calendar" (the button's value).
    booking_key: str | None = None
    # Booked on the built-in HubSpot stand-in (`--sandbox`, the demo): the card says so.
    sandbox: bool = False


# --- text safety -----------------------------------------------------------------------------
def escape_mrkdwn(text: str) -> str:
    """Escape &, < and > the way Slack requires, so typed text cannot ping or forge links."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in "…" when cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + "…"


def truncate_mrkdwn(text: str, limit: int) -> str:
    """Like truncate, but never cuts inside a <…> token or an &entity;."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    open_token = cut.rfind("<")
    if open_token > cut.rfind(">"):
        cut = cut[:open_token]
    ampersand = cut.rfind("&")
    if ampersand > cut.rfind(";"):
        cut = cut[:ampersand]
    return cut.rstrip() + "…"


def when_block_id(revision: int) -> str:
    return WHEN if revision <= 0 else f"{WHEN}~{revision}"


def is_https_url(url: str | None) -> bool:
    if not url or len(url) > BUTTON_URL_MAX:
        return False
    parsed = urlparse(url)
    return parsed.scheme == "https" and bool(parsed.netloc) and not any(c.isspace() for c in url)


def user_mention(user_id: str) -> str:
    return f"<@{user_id}>" if _SLACK_USER_ID.match(user_id) else escape_mrkdwn(user_id)


def channel_mention(channel_id: str) -> str:
    return f"<#{channel_id}>" if _SLACK_CHANNEL_ID.match(channel_id) else escape_mrkdwn(channel_id)


def slack_date(moment: datetime, token_format: str, fallback: str) -> str:
    """A `<!date^…>` token: each viewer sees `moment` in their own zone; fallback otherwise."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    safe_fallback = escape_mrkdwn(fallback).replace("|", "/")
    return f"<!date^{int(aware.timestamp())}^{token_format}|{safe_fallback}>"


# --- small element builders ------------------------------------------------------------------
def _plain(text: str, limit: int) -> JsonDict:
    return {"type": "plain_text", "text": truncate(text, limit) or " ", "emoji": True}


def _mrkdwn(text: str, limit: int = SECTION_TEXT_MAX) -> JsonDict:
    return {"type": "mrkdwn", "text": truncate_mrkdwn(text, limit) or " "}


def _option(label: str, value: str) -> JsonDict:
    if len(value) > OPTION_VALUE_MAX:
        raise ValueError(f"option value longer than Slack's {OPTION_VALUE_MAX} characters")
    return {"text": _plain(label, OPTION_TEXT_MAX), "value": value}


def _section(text: str, *, block_id: str | None = None) -> JsonDict:
    block: JsonDict = {"type": "section", "text": _mrkdwn(text)}
    if block_id:
        block["block_id"] = block_id
    return block


def _context(text: str, *, block_id: str | None = None) -> JsonDict:
    block: JsonDict = {"type": "context", "elements": [_mrkdwn(text, CONTEXT_TEXT_MAX)]}
    if block_id:
        block["block_id"] = block_id
    return block


def _header(text: str) -> JsonDict:
    return {"type": "header", "text": _plain(text, HEADER_TEXT_MAX)}


def _button(
    text: str,
    action_id: str,
    *,
    value: str | None = None,
    url: str | None = None,
    style: str | None = None,
) -> JsonDict:
    button: JsonDict = {
        "type": "button",
        "text": _plain(text, BUTTON_TEXT_MAX),
        "action_id": action_id,
    }
    if value is not None:
        if len(value) > BUTTON_VALUE_MAX:
            raise ValueError(f"button value longer than Slack's {BUTTON_VALUE_MAX} characters")
        button["value"] = value
    if url is not None:
        button["url"] = url
    if style is not None:
        button["style"] = style
    return button


def _input(
    block_id: str,
    label: str,
    element: JsonDict,
    *,
    optional: bool = False,
    hint: str | None = None,
    dispatch_action: bool = False,
) -> JsonDict:
    block: JsonDict = {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label, LABEL_MAX),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = _plain(hint, HINT_MAX)
    if dispatch_action:
        block["dispatch_action"] = True
    return block


def _text_input(
    action_id: str,
    initial: str,
    placeholder: str | None,
    *,
    multiline: bool = False,
    element_type: str = "plain_text_input",
) -> JsonDict:
    element: JsonDict = {"type": element_type, "action_id": action_id}
    limit = TEXT_MAX if element_type == "plain_text_input" else INPUT_VALUE_MAX
    if element_type == "plain_text_input":
        element["max_length"] = TEXT_MAX
    if initial:
        element["initial_value"] = initial[:limit]
    if placeholder:
        element["placeholder"] = _plain(placeholder, PLACEHOLDER_MAX)
    if multiline:
        element["multiline"] = True
    return element


def _view(
    title: str,
    blocks: list[JsonDict],
    *,
    close: str | None = None,
    submit: str | None = None,
    private_metadata: str = "",
    callback_id: str | None = None,
) -> JsonDict:
    if len(private_metadata) > PRIVATE_METADATA_MAX:
        raise ValueError(f"private_metadata longer than Slack's {PRIVATE_METADATA_MAX} characters")
    view: JsonDict = {"type": "modal", "title": _plain(title, VIEW_TITLE_MAX), "blocks": blocks}
    if callback_id:
        view["callback_id"] = callback_id
    if close:
        view["close"] = _plain(close, VIEW_TITLE_MAX)
    if submit:
        view["submit"] = _plain(submit, VIEW_TITLE_MAX)
    if private_metadata:
        view["private_metadata"] = private_metadata
    return view


# --- the booking modal -----------------------------------------------------------------------
def booking_modal(state: ModalState, t: Translator, *, private_metadata: str) -> JsonDict:
    """The /book modal (callback_id `book_meeting`); everything typed is kept as initial values."""
    head = [_meeting_page_block(state, t)]
    if state.page is None:
        head.append(_context(escape_mrkdwn(t.t("modal.choose_page_first"))))
    head += _when_blocks(state, t)
    head.append(_duration_block(state, t))
    # The zone comes after the guest: few people change it, everyone fills in the guest.
    head += _guest_blocks(state, t)
    head.append(_timezone_block(state, t))
    if state.thread_channel:
        where = channel_mention(state.thread_channel)
        tail = [_context(t.t("modal.post_to.thread", channel=where), block_id=POST_TO)]
    else:
        tail = [_post_to_block(state, t)]
    page_blocks = _form_field_blocks(state, t) + _consent_blocks(state, t)
    if state.notice:
        head.insert(0, _context(":warning: " + escape_mrkdwn(state.notice)))
    room = VIEW_BLOCKS_MAX - len(head) - len(tail)
    blocks = _with_field_errors(head + page_blocks[:room] + tail, state.field_errors)
    return _view(
        t.t("modal.title"),
        blocks,
        close=t.t("modal.close"),
        submit=t.t("modal.submit"),
        private_metadata=private_metadata,
        callback_id=MODAL_CALLBACK_ID,
    )


def _with_field_errors(blocks: list[JsonDict], errors: Mapping[str, str]) -> list[JsonDict]:
    """Each error as a warning line right under the input it is about (`field_error:<id>`)."""
    if not errors:
        return blocks
    marked: list[JsonDict] = []
    for block in blocks:
        marked.append(block)
        message = errors.get(str(block.get("block_id", "")))
        if message is not None and block.get("type") == "input":
            marked.append(
                _context(
                    ":warning: " + escape_mrkdwn(message),
                    block_id=FIELD_ERROR_PREFIX + block["block_id"],
                )
            )
    return marked[:VIEW_BLOCKS_MAX]


def _meeting_page_block(state: ModalState, t: Translator) -> JsonDict:
    element: JsonDict = {
        "type": "external_select",
        "action_id": MEETING_PAGE,
        "placeholder": _plain(t.t("modal.meeting_page.placeholder"), PLACEHOLDER_MAX),
        "min_query_length": 0,
    }
    if state.page is not None:
        element["initial_option"] = page_option(state.page)
    return _input(MEETING_PAGE, t.t("modal.meeting_page.label"), element, dispatch_action=True)


def page_option(page: PageOption) -> JsonDict:
    """One `meeting_page` option; also what the block_suggestion handler returns."""
    return _option(page.name or page.slug, page.slug)


# What views.update accepts of a view Slack sent us (the rest is Slack's own bookkeeping).
_VIEW_KEYS = (
    "type", "title", "blocks", "close", "submit", "private_metadata", "callback_id",
    "clear_on_close", "notify_on_close", "external_id", "submit_disabled",
)  # fmt: skip


def with_preview_note(view: Mapping[str, Any], text: str) -> JsonDict:
    """The modal Slack showed, unchanged (every typed value stays), with `text` in place of the
    preview under `when` and no slot buttons: an answer that needs no HubSpot call."""
    kept = {key: view[key] for key in _VIEW_KEYS if key in view}
    previews = (WHEN_PREVIEW_BLOCK, WHEN_SLOTS_BLOCK, WHEN_ALTERNATIVES_BLOCK)
    new_blocks: list[JsonDict] = []
    for block in view.get("blocks") or []:
        if block.get("block_id") in previews:
            continue
        new_blocks.append(block)
        if str(block.get("block_id", "")).split("~")[0] == WHEN:
            new_blocks.append(_section(escape_mrkdwn(text), block_id=WHEN_PREVIEW_BLOCK))
    return kept | {"blocks": new_blocks}


def page_options(pages: Sequence[PageOption], query: str = "") -> list[JsonDict]:
    """Options for the `meeting_page` external select, filtered by the typed query, <= 100."""
    needle = query.strip().casefold()
    matching = [
        page
        for page in pages
        if not needle or needle in page.name.casefold() or needle in page.slug.casefold()
    ]
    return [page_option(page) for page in matching[:OPTIONS_MAX]]


def _when_blocks(state: ModalState, t: Translator) -> list[JsonDict]:
    element = _text_input(WHEN, state.when_text, t.t("modal.when.placeholder"))
    element["dispatch_action_config"] = {"trigger_actions_on": ["on_enter_pressed"]}
    blocks = [
        _input(
            when_block_id(state.when_revision),
            t.t("modal.when.label"),
            element,
            hint=t.t("modal.when.hint"),
            dispatch_action=True,
        )
    ]
    preview = state.preview
    if preview is None or not preview.text:
        # Nothing typed yet: the hint under `when` already says what to do.
        return blocks
    # A section, not a grey context line: the verdict is the first word a screen reader says.
    blocks.append(_section(escape_mrkdwn(preview.text), block_id=WHEN_PREVIEW_BLOCK))
    index = 0
    for block_id, buttons in (
        (WHEN_SLOTS_BLOCK, preview.slot_buttons),
        (WHEN_ALTERNATIVES_BLOCK, preview.alternative_buttons),
    ):
        elements = []
        described = block_id == WHEN_SLOTS_BLOCK and len(preview.slot_descriptions) == len(buttons)
        for position, (label, iso_start) in enumerate(buttons[:ACTIONS_ELEMENTS_MAX]):
            button = _button(label, f"{PICK_SLOT_ACTION_PREFIX}{index}", value=iso_start)
            if described:
                description = preview.slot_descriptions[position]
                button["accessibility_label"] = truncate(description, ACCESSIBILITY_LABEL_MAX)
            elements.append(button)
            index += 1
        if elements:
            blocks.append({"type": "actions", "block_id": block_id, "elements": elements})
    return blocks


def _duration_block(state: ModalState, t: Translator) -> JsonDict:
    durations = tuple(dict.fromkeys(state.durations or DEFAULT_DURATIONS))[:OPTIONS_MAX]
    options = [_option(t.format_duration(minutes), str(minutes)) for minutes in durations]
    element: JsonDict = {
        "type": "static_select",
        "action_id": DURATION,
        "placeholder": _plain(t.t("modal.duration.placeholder"), PLACEHOLDER_MAX),
        "options": options,
    }
    if state.duration_minutes in durations:
        element["initial_option"] = options[durations.index(state.duration_minutes)]
    return _input(DURATION, t.t("modal.duration.label"), element, dispatch_action=True)


def timezone_option_groups(
    t: Translator, person_zone: str, moment: datetime | None = None
) -> list[JsonDict]:
    """The `timezone` select's groups: the person's zone alone first, then regions (<= 100).
    Labels are CLDR's city in the person's language with the offset on `moment`'s date
    ("Nova York (UTC−5)"); values stay IANA ids."""
    at = moment or datetime.now(UTC)
    yours = _plain(t.t("modal.timezone.group.yours"), OPTION_TEXT_MAX)
    groups = [{"label": yours, "options": [_option(t.zone_label(person_zone, at), person_zone)]}]
    for label_key, zones in TIMEZONE_GROUPS:
        # West to east by the offset on that date (DST moves zones past each other).
        options = [
            _option(label, zone) for zone, label in t.zone_options(zones, at) if zone != person_zone
        ]
        if options:
            groups.append({"label": _plain(t.t(label_key), OPTION_TEXT_MAX), "options": options})
    return groups


def _timezone_block(state: ModalState, t: Translator) -> JsonDict:
    groups = timezone_option_groups(t, state.timezone, state.zone_moment)
    element: JsonDict = {
        "type": "static_select",
        "action_id": TIMEZONE,
        "placeholder": _plain(t.t("modal.timezone.placeholder"), PLACEHOLDER_MAX),
        "option_groups": groups,
        "initial_option": groups[0]["options"][0],
    }
    return _input(
        TIMEZONE,
        t.t("modal.timezone.label"),
        element,
        hint=t.t("modal.timezone.hint"),
        dispatch_action=True,
    )


def _guest_blocks(state: ModalState, t: Translator) -> list[JsonDict]:
    return [
        _input(
            GUEST_EMAIL,
            t.t("modal.guest_email.label"),
            _text_input(
                GUEST_EMAIL,
                state.guest_email,
                t.t("modal.guest_email.placeholder"),
                element_type="email_text_input",
            ),
        ),
        _input(
            GUEST_FIRST_NAME,
            t.t("modal.guest_first_name.label"),
            _text_input(
                GUEST_FIRST_NAME, state.guest_first_name, t.t("modal.guest_first_name.placeholder")
            ),
        ),
        _input(
            GUEST_LAST_NAME,
            t.t("modal.guest_last_name.label"),
            _text_input(
                GUEST_LAST_NAME, state.guest_last_name, t.t("modal.guest_last_name.placeholder")
            ),
        ),
    ]


def _form_field_blocks(state: ModalState, t: Translator) -> list[JsonDict]:
    blocks: list[JsonDict] = []
    for spec in state.form_fields:
        if spec.name.casefold() in GUEST_FORM_FIELD_NAMES or spec.name == LEGAL_CONSENT_FIELD:
            continue
        block_id = FORM_FIELD_PREFIX + spec.name
        element = _form_field_element(spec, block_id, state.form_values.get(spec.name), t)
        blocks.append(
            _input(block_id, spec.label or spec.name, element, optional=not spec.required)
        )
    return blocks


def _as_values(value: FormValue | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


@dataclass(frozen=True)
class FieldWidget:
    """How one kind of HubSpot question is asked in Slack: the Block Kit `element`, the most
    options it holds (None: it has none), and what the answer is (`value`): "text" (as
    typed), "number", "date" (YYYY-MM-DD), "option" (one option's value), "options" (several,
    sent to HubSpot joined by `;`) or "boolean" ("true" when checked)."""

    element: str
    value: str
    max_options: int | None = None


# THE table: HubSpot form field type -> Slack element -> value. For a question with options the
# first widget that holds them all is used; past 100 an external select searches the page's
# cached options (handlers/options.py). Any other type is asked as text.
FORM_FIELD_WIDGETS: dict[str, tuple[FieldWidget, ...]] = {
    "text": (FieldWidget("plain_text_input", "text"),),
    "textarea": (FieldWidget("plain_text_input", "text"),),
    "phonenumber": (FieldWidget("plain_text_input", "text"),),
    "number": (FieldWidget("number_input", "number"),),
    "date": (FieldWidget("datepicker", "date"),),
    "booleancheckbox": (FieldWidget("checkboxes", "boolean", 1),),
    "select": (
        FieldWidget("static_select", "option", OPTIONS_MAX),
        FieldWidget("external_select", "option", 1_000_000),
    ),
    "radio": (
        FieldWidget("radio_buttons", "option", CHECKBOX_OPTIONS_MAX),
        FieldWidget("static_select", "option", OPTIONS_MAX),
        FieldWidget("external_select", "option", 1_000_000),
    ),
    "checkbox": (
        FieldWidget("checkboxes", "options", CHECKBOX_OPTIONS_MAX),
        FieldWidget("multi_static_select", "options", OPTIONS_MAX),
        FieldWidget("multi_external_select", "options", 1_000_000),
    ),
}
# Other names HubSpot (or older pages) use for the same kinds.
FORM_FIELD_ALIASES = {
    "bool": "booleancheckbox",
    "boolean": "booleancheckbox",
    "dropdown": "select",
    "enumeration": "select",
    "phone": "phonenumber",
}
EXTERNAL_ELEMENTS = frozenset({"external_select", "multi_external_select"})


def form_field_widget(spec: FormFieldSpec) -> FieldWidget:
    """The widget of THE table that asks `spec` (a checkbox without options is a yes/no)."""
    kind = spec.field_type.casefold()
    kind = FORM_FIELD_ALIASES.get(kind, kind)
    if kind == "checkbox" and not spec.options:
        kind = "booleancheckbox"
    widgets = FORM_FIELD_WIDGETS.get(kind)
    if widgets is None or (widgets[0].max_options not in (None, 1) and not spec.options):
        return FORM_FIELD_WIDGETS["text"][0]
    for widget in widgets:
        if widget.max_options is None or len(spec.options) <= widget.max_options:
            return widget
    return widgets[-1]


def form_field_options(spec: FormFieldSpec, query: str = "") -> list[JsonDict]:
    """A question's options matching `query` (label or value), at most Slack's 100: what an
    external select of a long question (countries, ...) offers as the person types."""
    needle = query.strip().casefold()
    found = [
        _option(label or value, value)
        for value, label in spec.options
        if not needle or needle in (label or "").casefold() or needle in value.casefold()
    ]
    return found[:OPTIONS_MAX]


def _form_field_element(
    spec: FormFieldSpec, action_id: str, value: FormValue | None, t: Translator
) -> JsonDict:
    widget = form_field_widget(spec)
    chosen = _as_values(value)
    first = chosen[0] if chosen else ""
    placeholder = _plain(t.t("modal.form_field.select_placeholder"), PLACEHOLDER_MAX)
    element: JsonDict = {"type": widget.element, "action_id": action_id}
    if widget.value == "boolean":
        yes = _option(t.t("modal.form_field.yes"), BOOLEAN_CHECKED_VALUE)
        element["options"] = [yes]
        if first.casefold() in {"true", "yes", "1", "on"}:
            element["initial_options"] = [yes]
        return element
    if widget.value in ("option", "options"):
        labels = dict(spec.options)
        initial = [_option(labels[v] or v, v) for v in chosen if v in labels]
        if widget.element in EXTERNAL_ELEMENTS:
            element["min_query_length"] = 0
        else:
            element["options"] = [_option(label or val, val) for val, label in spec.options]
        if widget.element != "checkboxes" and widget.element != "radio_buttons":
            element["placeholder"] = placeholder
        if initial and widget.value == "option":
            element["initial_option"] = initial[0]
        elif initial:
            element["initial_options"] = initial
        return element
    if widget.value == "number":
        element["is_decimal_allowed"] = True
        if _NUMBER.fullmatch(first):
            element["initial_value"] = first
        return element
    if widget.value == "date":
        if _DATE.fullmatch(first):
            element["initial_date"] = first
        return element
    return _text_input(
        action_id,
        first,
        t.t("modal.form_field.placeholder"),
        multiline=spec.field_type.casefold() == "textarea",
    )


_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _consent_blocks(state: ModalState, t: Translator) -> list[JsonDict]:
    consent = state.consent
    if consent is None:
        return []
    boxes: list[tuple[str, str, bool]] = []  # (label, value, required)
    if consent.checkbox_label.strip():
        boxes.append((consent.checkbox_label.strip(), CONSENT_PROCESSING_VALUE, True))
    for subscription_id, label, required in consent.communication:
        boxes.append((label.strip(), CONSENT_COMMUNICATION_PREFIX + subscription_id, required))
    boxes = boxes[:CHECKBOX_OPTIONS_MAX]
    # Legal wording must not be lost to the 75-character option limit: long labels are
    # repeated in full in the text above the checkboxes.
    texts = [consent.text.strip()] + [
        f"• {label}" for label, _, _ in boxes if len(label) > OPTION_TEXT_MAX
    ]
    text = "\n".join(part for part in texts if part)
    blocks: list[JsonDict] = [_section(escape_mrkdwn(text))] if text else []
    if not boxes:
        return blocks
    options = []
    for label, value, required in boxes:
        option = _option(label or value, value)
        if required:
            option["description"] = _plain(t.t("modal.consent.required_option"), OPTION_TEXT_MAX)
        options.append(option)
    chosen = _as_values(state.form_values.get(LEGAL_CONSENT_FIELD))
    element: JsonDict = {"type": "checkboxes", "action_id": LEGAL_CONSENT_BLOCK, "options": options}
    initial = [option for option in options if option["value"] in chosen]
    if initial:
        element["initial_options"] = initial
    # Required for Slack (not marked optional) when the page requires a box: Slack then asks
    # for at least one tick, and submit checks that every required box is ticked
    # (error.consent_required).
    any_required = any(required for _, _, required in boxes)
    blocks.append(
        _input(
            LEGAL_CONSENT_BLOCK,
            t.t("modal.consent.label"),
            element,
            optional=not any_required,
            hint=t.t("modal.consent.hint"),
        )
    )
    return blocks


def _post_to_block(state: ModalState, t: Translator) -> JsonDict:
    element: JsonDict = {
        "type": "conversations_select",
        "action_id": POST_TO,
        "placeholder": _plain(t.t("modal.post_to.placeholder"), PLACEHOLDER_MAX),
        "default_to_current_conversation": True,
        "response_url_enabled": True,
        "filter": {"exclude_bot_users": True},
    }
    if state.post_to_channel:
        element["initial_conversation"] = state.post_to_channel
    return _input(POST_TO, t.t("modal.post_to.label"), element, hint=t.t("modal.post_to.hint"))


# --- progress, result and error views --------------------------------------------------------
def progress_modal(t: Translator, page_name: str) -> JsonDict:
    """Shown right after a valid submission while HubSpot books."""
    text = t.t("progress.text", page=escape_mrkdwn(truncate(page_name, 200)))
    # "Close", not "Done": the booking is still running when this shows.
    return _view(t.t("progress.title"), [_section(text)], close=t.t("progress.close"))


def result_modal(
    t: Translator, booking_card_summary: BookingCard | str, *, posted_to_channel: str | None = None
) -> JsonDict:
    """The modal after a booking: the card itself (or a raw summary text) and where it went."""
    if isinstance(booking_card_summary, BookingCard):
        _, blocks = booking_card(booking_card_summary, t)
    else:
        blocks = [_section(escape_mrkdwn(booking_card_summary))]
    if posted_to_channel:
        blocks.append(_context(t.t("result.posted_to", channel=channel_mention(posted_to_channel))))
    return _view(t.t("result.title"), blocks, close=t.t("result.close"))


def error_modal(
    t: Translator,
    message: str,
    *,
    back_metadata: str,
    title_key: str = "error.title",
) -> JsonDict:
    """A failure with a way back to the form; back_metadata (the form, serialized by the caller)
    rides in private_metadata so `back_to_form` can rebuild it."""
    buttons = [_button(t.t("action.back_to_form"), BACK_TO_FORM_ACTION_ID, value="back")]
    blocks = [_section(escape_mrkdwn(message)), {"type": "actions", "elements": buttons}]
    return _view(t.t(title_key), blocks, close=t.t("modal.close"), private_metadata=back_metadata)


def outcome_unknown_modal(
    t: Translator, detail: str, *, back_metadata: str, booking_key: str
) -> JsonDict:
    """HubSpot did not confirm: say so honestly, offer to check the slot again (`check_again`,
    value = booking key) and a way back to the form."""
    buttons = [
        _button(t.t("action.check_again"), CHECK_AGAIN_ACTION_ID, value=booking_key),
        _button(t.t("action.back_to_form"), BACK_TO_FORM_ACTION_ID, value="back"),
    ]
    blocks = [_section(escape_mrkdwn(detail)), {"type": "actions", "elements": buttons}]
    return _view(
        t.t("error.outcome_unknown_title"),
        blocks,
        close=t.t("modal.close"),
        private_metadata=back_metadata,
    )


def unfinished_booking_message(
    t: Translator, detail: str, *, booking_key: str | None
) -> tuple[str, list[JsonDict]]:
    """A DM about a booking whose outcome is not known (its modal is gone): (fallback text,
    blocks), with `check_again` (value = booking key) while there is something to check.
    `detail` is mrkdwn: the caller escapes what a person typed in it."""
    message_blocks: list[JsonDict] = [_section(detail)]
    if booking_key:
        message_blocks.append(
            {
                "type": "actions",
                "elements": [
                    _button(t.t("action.check_again"), CHECK_AGAIN_ACTION_ID, value=booking_key)
                ],
            }
        )
    return truncate(detail, 3000), message_blocks


# --- the channel card ------------------------------------------------------------------------


def _start_end(card: BookingCard) -> tuple[datetime, datetime]:
    start = card.start_utc if card.start_utc.tzinfo else card.start_utc.replace(tzinfo=UTC)
    return start, start + timedelta(minutes=card.duration_minutes)


def _when_token(card: BookingCard, t: Translator) -> str:
    """Weekday, date and time range, shown to each viewer in their own zone by Slack; the
    fallback (clients that cannot) is the booking's zone, named as CLDR names it."""
    start, end = _start_end(card)
    zone = card.timezone_for_fallback
    start_part = slack_date(start, "{day_divider_pretty}, {time}", t.format_slot(start, zone))
    end_part = slack_date(end, "{time}", f"{t.format_time(end, zone)}, {t.zone_label(zone, start)}")
    return f"{start_part}–{end_part}"


def _guest_name(card: BookingCard) -> str:
    return card.guest_name.strip() or card.guest_email.strip()


def _title(card: BookingCard, t: Translator) -> str:
    """ "Product Demo with Ana Souza" (raw text; escape where it lands in mrkdwn)."""
    page = truncate(card.page_name.strip(), 200)
    guest = truncate(_guest_name(card), 200)
    return t.t("card.title", page=page, guest=guest) if guest else page


def _join_button(card: BookingCard, t: Translator, *, style: str | None = None) -> JsonDict:
    """The Join button, labelled for screen readers with the meeting it joins (several such
    buttons sit side by side in lists)."""
    button = _button(t.t("card.join"), JOIN_ACTION_ID, url=card.web_conference_url, style=style)
    label = t.t("card.join_label", meeting=_title(card, t))
    # Escaped like every typed text that reaches Slack (a guest named <!channel> stays text).
    button["accessibility_label"] = truncate_mrkdwn(escape_mrkdwn(label), ACCESSIBILITY_LABEL_MAX)
    return button


def _location_line(card: BookingCard, t: Translator, join_url: str | None) -> str | None:
    if join_url is None and card.location and card.location.strip():
        location = escape_mrkdwn(truncate(card.location.strip(), 500))
        return t.t("card.location", location=location)
    return None


def booking_card(
    card: BookingCard, t: Translator, *, show_guest_email: bool = True
) -> tuple[str, list[JsonDict]]:
    """The message for a booking: (notification text, blocks). It leads with who and what
    ("*Product Demo with Ana Souza*"), then weekday, date, time range and duration on one
    line, then the buttons, then who booked it. The guest's email is shown only with
    `show_guest_email` (channel posts leave it out unless BOOKBOT_CARD_GUEST_EMAIL is set)."""
    email = card.guest_email.strip()
    if not show_guest_email:
        # Not even as the title's fallback for a guest without a name.
        card = replace(card, guest_email="")
    duration = t.format_duration(card.duration_minutes)
    lines = [
        f"*{escape_mrkdwn(_title(card, t))}*",
        t.t("card.when_line", when=_when_token(card, t), duration=duration),
    ]
    if show_guest_email and email and card.guest_name.strip():
        lines.append(t.t("card.guest_email", email=escape_mrkdwn(truncate(email, 254))))
    join_url = card.web_conference_url if is_https_url(card.web_conference_url) else None
    location = _location_line(card, t, join_url)
    if location:
        lines.append(location)
    blocks: list[JsonDict] = [_section("\n".join(lines))]
    buttons: list[JsonDict] = []
    if join_url is not None:
        buttons.append(_join_button(card, t, style="primary"))
    if card.booking_key:
        buttons.append(
            _button(t.t("card.add_to_calendar"), ADD_TO_CALENDAR_ACTION_ID, value=card.booking_key)
        )
    if buttons:
        blocks.append({"type": "actions", "block_id": CARD_ACTIONS_BLOCK, "elements": buttons})
    booked_by = user_mention(card.booked_by_user_id)
    blocks.append(_context(t.t("card.booked_by", user=booked_by)))
    if card.sandbox:
        blocks.append(_context(t.t("card.sandbox")))
    return truncate_mrkdwn(card_sentence(card, t), MESSAGE_TEXT_MAX), blocks


def card_sentence(card: BookingCard, t: Translator) -> str:
    """The card as one sentence, for notifications and screen readers: "Product Demo with Ana
    Souza — Fri, Dec 4 · 10:00–10:30 AM, New York (UTC−5). Booked by <@U1>." (escaped)."""
    start, end = _start_end(card)
    when = t.format_when(start, end, card.timezone_for_fallback)
    return t.t(
        "card.fallback",
        title=escape_mrkdwn(_title(card, t)),
        when=escape_mrkdwn(when),
        booked_by=user_mention(card.booked_by_user_id),
    )


def reminder_message(
    card: BookingCard, t: Translator, *, minutes: int, show_guest_email: bool = False
) -> tuple[str, list[JsonDict]]:
    """The message scheduled `minutes` before the start: who, when, and the Join button. It
    goes to the channel, so the guest's email is named only with `show_guest_email`."""
    if not show_guest_email:
        card = replace(card, guest_email="")
    lines = [
        t.t("reminder.heading", minutes=minutes, title=escape_mrkdwn(_title(card, t))),
        t.t(
            "card.when_line",
            when=_when_token(card, t),
            duration=t.format_duration(card.duration_minutes),
        ),
    ]
    join_url = card.web_conference_url if is_https_url(card.web_conference_url) else None
    location = _location_line(card, t, join_url)
    if location:
        lines.append(location)
    blocks: list[JsonDict] = [_section("\n".join(lines))]
    if join_url is not None:
        join = _join_button(card, t, style="primary")
        blocks.append({"type": "actions", "block_id": REMINDER_ACTIONS_BLOCK, "elements": [join]})
    blocks.append(_context(t.t("card.booked_by", user=user_mention(card.booked_by_user_id))))
    start, end = _start_end(card)
    text = t.t(
        "reminder.fallback",
        minutes=minutes,
        title=escape_mrkdwn(_title(card, t)),
        when=escape_mrkdwn(t.format_when(start, end, card.timezone_for_fallback)),
    )
    return truncate_mrkdwn(text, MESSAGE_TEXT_MAX), blocks


# --- help, list, home ------------------------------------------------------------------------
def help_message(t: Translator) -> list[JsonDict]:
    """Blocks for the ephemeral `/book help` answer."""
    return [
        _header(t.t("help.title")),
        _section(t.t("help.intro")),
        _section(f"{t.t('help.examples_title')}\n{t.t('help.examples')}"),
        _context(t.t("help.when_tips")),
    ]


def ephemeral_text_blocks(text: str) -> list[JsonDict]:
    """A raw (escaped here) text as section blocks, split to respect Slack's section limit."""
    escaped = escape_mrkdwn(text) or " "
    blocks: list[JsonDict] = []
    while escaped and len(blocks) < MESSAGE_BLOCKS_MAX:
        chunk = escaped[:SECTION_TEXT_MAX]
        if len(escaped) > SECTION_TEXT_MAX:
            # Break at a newline or space, and never inside an &entity;.
            breaks = max(chunk.rfind("\n"), chunk.rfind(" "))
            ampersand = chunk.rfind("&")
            if ampersand > chunk.rfind(";"):
                breaks = min(breaks, ampersand) if breaks > 0 else ampersand
            if breaks > 0:
                chunk = chunk[:breaks]
        blocks.append(_section(chunk))
        escaped = escaped[len(chunk) :].lstrip(" ")
    return blocks


def _booking_list_item(card: BookingCard, t: Translator) -> JsonDict:
    text = t.t(
        "list.item",
        title=escape_mrkdwn(_title(card, t)),
        when=_when_token(card, t),
        duration=t.format_duration(card.duration_minutes),
    )
    online = is_https_url(card.web_conference_url)
    # In person: where it happens, as on the card.
    location = _location_line(card, t, card.web_conference_url if online else None)
    if location:
        text += "\n" + location
    block = _section(text)
    if online:
        block["accessory"] = _join_button(card, t)
    return block


def booking_list_blocks(
    t: Translator, bookings: Sequence[BookingCard], *, limit: int = 20
) -> list[JsonDict]:
    """The `/book list` answer (also used on App Home): upcoming bookings, newest last."""
    limit = max(1, min(limit, MESSAGE_BLOCKS_MAX - 3))
    blocks: list[JsonDict] = [_header(t.t("list.title"))]
    if not bookings:
        blocks.append(_section(t.t("list.empty")))
        return blocks
    blocks += [_booking_list_item(card, t) for card in bookings[:limit]]
    if len(bookings) > limit:
        blocks.append(_context(t.t("list.more", count=len(bookings) - limit)))
    return blocks


def home_view(t: Translator, bookings: Sequence[BookingCard], *, can_book: bool = True) -> JsonDict:
    """The App Home tab (views.publish). `can_book` False (HubSpot not connected): the Book
    button is not primary, so Connect HubSpot is the one primary action."""
    blocks: list[JsonDict] = [
        _header(t.t("home.title")),
        {
            "type": "section",
            "text": _mrkdwn(t.t("home.intro")),
            "accessory": _button(
                t.t("home.book_button"),
                HOME_BOOK_ACTION_ID,
                value="open",
                style="primary" if can_book else None,
            ),
        },
        {"type": "divider"},
    ]
    upcoming = booking_list_blocks(t, bookings, limit=VIEW_BLOCKS_MAX - len(blocks) - 2)
    upcoming[0] = _header(t.t("home.upcoming"))
    return {"type": "home", "blocks": blocks + upcoming}


# --- Connect HubSpot (OAuth mode, bot/hubspot/connect.py) ------------------------------------

HUBSPOT_CONNECT_ACTION_ID = "hubspot_connect"


@dataclass(frozen=True)
class HubSpotPrompt:
    """The workspace has no HubSpot connection (or a broken one): `url` starts connecting."""

    url: str
    broken: bool = False


def hubspot_prompt_blocks(t: Translator, prompt: HubSpotPrompt) -> list[JsonDict]:
    """A section saying why HubSpot must be (re)connected, with a url button that does it."""
    text = t.t("hubspot.connect.broken" if prompt.broken else "hubspot.connect.needed")
    label = t.t("hubspot.reconnect.button" if prompt.broken else "hubspot.connect.button")
    return [
        {
            "type": "section",
            "block_id": "hubspot_connect",
            "text": _mrkdwn(text),
            "accessory": _button(
                label, HUBSPOT_CONNECT_ACTION_ID, url=prompt.url, value="connect", style="primary"
            ),
        },
        {"type": "divider"},
    ]


def with_hubspot_prompt(view: JsonDict, t: Translator, prompt: HubSpotPrompt) -> JsonDict:
    """`view` (App Home) with the connect prompt under its header, within Slack's block limit."""
    blocks = list(view["blocks"])
    blocks[1:1] = hubspot_prompt_blocks(t, prompt)
    return {**view, "blocks": blocks[:VIEW_BLOCKS_MAX]}


def hubspot_connect_modal(t: Translator, prompt: HubSpotPrompt) -> JsonDict:
    """Instead of the booking form while the workspace cannot book: connect first."""
    return _view(t.t("modal.title"), hubspot_prompt_blocks(t, prompt)[:1], close=t.t("modal.close"))
