"""The booking conversation, free of Slack transport: pre-fill, render, validate, book, report.

Handlers turn Slack payloads into FormValues/RequestMeta and send what this returns; every
user-typed string is escaped by bot.blocks when it lands in mrkdwn.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot import blocks
from bot.booking import BookingOutcome, BookingService, Preview, Refusal, Submission
from bot.calendar_invite import CalendarInvite, build_ics, invite_filename
from bot.guest_names import suggest_names
from bot.hubspot import errors as hs
from bot.hubspot.models import BookingInfo, MeetingLink, TimeSlot
from bot.i18n import Catalog, Translator
from bot.meeting_pages import PageDirectory, page_label
from bot.metadata import SEAL_CHARS, MetadataSealer
from bot.store import (
    BookingRecord,
    Preferences,
    Store,
    StoreBusy,
    StoreError,
    idempotency_key,
)
from bot.timeparse import ParseError, ParseResult
from bot.timeparse.result import CHOICE_ERRORS

log = logging.getLogger("bot.flow")

EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
SUBCOMMANDS = {
    "help": "help",
    "ajuda": "help",
    "ayuda": "help",
    "?": "help",
    "list": "list",
    "lista": "list",
    "listar": "list",
}
# Slot check on submit: answered from the preview's cache, or HubSpot within this bound.
SUBMIT_CHECK_SECONDS = 1.5
# A person's Slack profile is asked again after this long (BOOKBOT_PROFILE_TTL_SECONDS).
PROFILE_TTL_SECONDS = 60.0
DUPLICATE_CHECK_SECONDS = 0.5
FORM_VALUE_MAX = 500
DEFAULT_MINUTES = 30
# Slack refuses to schedule a message in the past; too close to now it may already be past.
REMINDER_MIN_LEAD = timedelta(minutes=1)
# A message handed to the shortcut is read for time words, an email and a page name only.
MESSAGE_TEXT_MAX = 2000
MESSAGE_PAGES_WAIT_SECONDS = 0.8
_SLACK_LINK = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _revision(value: object) -> int:
    return value if type(value) is int and 0 <= value < 1_000_000 else 0


@dataclass(frozen=True)
class RequestMeta:
    """Who asked, from where; rides in the modal's private_metadata."""

    team_id: str
    user_id: str
    channel_id: str | None
    thread_ts: str | None
    tz: str | None
    locale: str | None
    when_revision: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RequestMeta:
        return cls(
            team_id=str(data.get("team_id") or ""),
            user_id=str(data.get("user_id") or ""),
            channel_id=_str_or_none(data.get("channel_id")),
            thread_ts=_str_or_none(data.get("thread_ts")),
            tz=_str_or_none(data.get("tz")),
            locale=_str_or_none(data.get("locale")),
            when_revision=_revision(data.get("when_revision")),
        )

    @classmethod
    def from_json(cls, text: str) -> RequestMeta:
        try:
            data = json.loads(text) if text else {}
        except ValueError:
            data = {}
        if isinstance(data, dict) and "meta" in data:
            data = data["meta"]
        return cls.from_dict(data if isinstance(data, dict) else {})


# OAuth mode: the connect prompt for a request's workspace, None when it can book.
HubSpotPromptSource = Callable[[RequestMeta], Awaitable["blocks.HubSpotPrompt | None"]]

FormFieldValue = str | tuple[str, ...]


@dataclass(frozen=True)
class FormValues:
    """What the person typed or picked in the modal."""

    slug: str | None = None
    page_name: str | None = None
    when_text: str = ""
    duration_minutes: int | None = None
    timezone: str | None = None
    guest_email: str = ""
    guest_first_name: str = ""
    guest_last_name: str = ""
    form_fields: Mapping[str, FormFieldValue] = field(default_factory=dict)
    post_to: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["form_fields"] = {
            name: value[:FORM_VALUE_MAX] if isinstance(value, str) else list(value)
            for name, value in self.form_fields.items()
        }
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FormValues:
        fields = data.get("form_fields")
        fields = fields if isinstance(fields, dict) else {}
        minutes = data.get("duration_minutes")
        return cls(
            slug=_str_or_none(data.get("slug")),
            page_name=_str_or_none(data.get("page_name")),
            when_text=str(data.get("when_text") or ""),
            duration_minutes=minutes if type(minutes) is int and 0 < minutes < 10_000 else None,
            timezone=_str_or_none(data.get("timezone")),
            guest_email=str(data.get("guest_email") or ""),
            guest_first_name=str(data.get("guest_first_name") or ""),
            guest_last_name=str(data.get("guest_last_name") or ""),
            form_fields={
                str(name): value if isinstance(value, str) else tuple(map(str, value))
                for name, value in fields.items()
                if isinstance(value, str | list)
            },
            post_to=_str_or_none(data.get("post_to")),
        )


@dataclass(frozen=True)
class Checked:
    errors: dict[str, str]
    submission: Submission | None = None


@dataclass(frozen=True)
class Reminder:
    """A message to schedule before a booking starts (chat.scheduleMessage)."""

    post_at: datetime
    text: str
    blocks: list[dict[str, Any]]


@dataclass(frozen=True)
class CalendarFile:
    """The .ics for one booking, ready to upload to the person who asked for it."""

    filename: str
    title: str
    content: bytes
    comment: str


def message_words(text: str) -> str:
    """A Slack message's text as a person reads it: links to their labels (emails to the
    address), mentions and channel links dropped, entities decoded."""

    def readable(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith("mailto:"):
            return " " + target.removeprefix("mailto:") + " "
        if target[:1] in ("@", "#", "!"):
            return " "
        return " " + (label or "") + " "

    plain = _SLACK_LINK.sub(readable, text[:MESSAGE_TEXT_MAX])
    plain = plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(plain.split())


def valid_zone(name: str | None) -> str | None:
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


class BookingFlow:
    def __init__(
        self,
        booking: BookingService,
        pages: PageDirectory,
        store: Store,
        catalog: Catalog,
        *,
        default_slug: str | None = None,
        card_guest_email: bool = False,
        sandbox: bool = False,
        profile_ttl_seconds: float = PROFILE_TTL_SECONDS,
    ) -> None:
        self.booking = booking
        # BOOKBOT_CARD_GUEST_EMAIL: the channel card shows the guest's email only when set.
        self.card_guest_email = card_guest_email
        self.pages = pages
        self.store = store
        self.catalog = catalog
        self.default_slug = default_slug
        # `bookbot run --sandbox` / `bookbot demo`: every card says its booking is not in HubSpot.
        self.sandbox = sandbox
        # OAuth mode: why this workspace cannot book yet (bot/services.py sets it per workspace).
        self.hubspot_prompt: HubSpotPromptSource | None = None
        # What is known at once when Slack or the database is slow: each person's last known
        # Slack profile (time zone, locale) and last read preferences (bounded, oldest dropped).
        self._profiles: dict[str, tuple[str | None, str | None]] = {}
        self._recent_preferences: dict[tuple[str, str], Preferences] = {}
        # Signs every private_metadata Booker writes (bot/services.py sets it; bot/app.py checks
        # what comes back before any listener reads it).
        self.sealer: MetadataSealer | None = None
        # BOOKBOT_PROFILE_TTL_SECONDS: a profile Slack gave this recently is used without asking
        # users.info again (monotonic time it was remembered, by person).
        self.profile_ttl_seconds = profile_ttl_seconds
        self._profile_times: dict[str, float] = {}
        self.profile_clock: Callable[[], float] = time.monotonic

    # --- small helpers -------------------------------------------------------------------
    def translator(self, meta: RequestMeta) -> Translator:
        return self.catalog.for_locale(meta.locale)

    def text(self, meta: RequestMeta, key: str, **params: object) -> str:
        return self.translator(meta).t(key, **params)

    def could_not_post(self, meta: RequestMeta, channel_id: str | None) -> str:
        where = blocks.channel_mention(channel_id) if channel_id else "?"
        return self.text(meta, "dm.could_not_post", channel=where)

    def slow_down_view(self, view: Mapping[str, Any], meta: RequestMeta) -> dict[str, Any]:
        """The modal as shown, with a "slow down" note for its preview (no HubSpot call)."""
        return blocks.with_preview_note(view, self.text(meta, "error.slow_down"))

    def too_long(self, text: str, meta: RequestMeta) -> str | None:
        """The message for `/book` text over blocks.TEXT_MAX characters (None: it is fine)."""
        if len(text) <= blocks.TEXT_MAX:
            return None
        return self.text(meta, "error.text_too_long", limit=blocks.TEXT_MAX, length=len(text))

    @staticmethod
    def subcommand(text: str) -> str | None:
        return SUBCOMMANDS.get(text.strip().casefold())

    def zone_of(self, form: FormValues, meta: RequestMeta) -> str:
        return valid_zone(form.timezone) or valid_zone(meta.tz) or "UTC"

    # --- pre-fill ------------------------------------------------------------------------
    def remember_profile(self, user_id: str, tz: str | None, locale: str | None) -> None:
        _remember(self._profiles, user_id, (tz, locale))
        _remember(self._profile_times, user_id, self.profile_clock())

    def fresh_profile(self, user_id: str) -> tuple[str | None, str | None] | None:
        """The profile Slack gave within BOOKBOT_PROFILE_TTL_SECONDS, else None (ask again)."""
        remembered = self._profile_times.get(user_id)
        if remembered is None or self.profile_clock() - remembered >= self.profile_ttl_seconds:
            return None
        return self._profiles.get(user_id)

    def cached_profile(self, user_id: str) -> tuple[str | None, str | None]:
        """The person's time zone and locale as Slack last gave them ((None, None): unknown)."""
        return self._profiles.get(user_id, (None, None))

    async def _preferences(self, meta: RequestMeta) -> Preferences | None:
        return (await self._read_preferences(meta))[0]

    async def _read_preferences(
        self, meta: RequestMeta, *, within: float | None = None
    ) -> tuple[Preferences | None, bool]:
        """The person's saved preferences and True; with `within`, what is known after that
        many seconds (the last ones read, or None) and False rather than waiting on a slow
        database. Unreadable: the last known, and True (asking again will not help)."""
        key = (meta.team_id, meta.user_id)
        try:
            read = self.store.get_preferences(meta.team_id, meta.user_id)
            prefs = await (read if within is None else asyncio.wait_for(read, within))
        except TimeoutError:
            log.info("preferences not read within %.2f s; using the last known", within or 0)
            return self._recent_preferences.get(key), False
        except StoreError as error:
            log.warning("preferences unavailable: %s", error)
            return self._recent_preferences.get(key), True
        if prefs is not None:
            _remember(self._recent_preferences, key, prefs)
        return prefs, True

    def _split_page(self, text: str) -> tuple[MeetingLink | None, str]:
        """The cached page named in the text, and the text without that name."""
        page = self.pages.match_in_text(text)
        if page is not None:
            text = re.sub(re.escape(page_label(page)), " ", text, count=1, flags=re.I)
            text = re.sub(rf"\b{re.escape(page.slug)}\b", " ", text, count=1, flags=re.I)
        return page, " ".join(text.split())

    async def _page_from_words(self, form: FormValues) -> FormValues:
        """When the page list was not cached at /book time, look for a page name again."""
        if form.slug or not form.when_text or await _bounded(self.pages.pages()) is None:
            return form
        page, rest = self._split_page(form.when_text)
        if page is None:
            return form
        return replace(form, slug=page.slug, page_name=page_label(page), when_text=rest)

    async def prefill(self, text: str, meta: RequestMeta) -> FormValues:
        """Fields from `/book <text>` and the person's last booking; never waits on HubSpot."""
        return self._prefilled(text, meta, await self._preferences(meta))

    async def quick_prefill(
        self, text: str, meta: RequestMeta, *, within: float
    ) -> tuple[FormValues, bool]:
        """`prefill` with the database given `within` seconds (the trigger is ticking); True
        when the preferences were read, False when the form should be filled in again."""
        prefs, complete = await self._read_preferences(meta, within=within)
        return self._prefilled(text, meta, prefs), complete

    def _prefilled(self, text: str, meta: RequestMeta, prefs: Preferences | None) -> FormValues:
        rest = text
        email_match = EMAIL.search(rest)
        email = email_match.group(0) if email_match else ""
        if email_match:
            rest = rest.replace(email, " ")
        page, rest = self._split_page(rest)
        slug = page.slug if page else (prefs.last_page_slug if prefs else None) or self.default_slug
        page_name = page_label(page) if page else None
        if slug and page_name is None:
            cached = next((p for p in self.pages.cached_pages() if p.slug == slug), None)
            page_name = page_label(cached) if cached else slug
        when_text = " ".join(rest.split())
        tz = valid_zone(meta.tz) or (prefs.timezone if prefs else None) or "UTC"
        duration = prefs.duration_minutes if prefs else None
        if when_text:
            parsed = self.booking.parse(when_text, tz=tz, locale=meta.locale)
            if parsed.duration is not None:
                duration = int(parsed.duration.total_seconds() // 60)
        first, last = suggest_names(email)
        return FormValues(
            slug=slug,
            page_name=page_name,
            when_text=when_text,
            duration_minutes=duration,
            timezone=tz,
            guest_email=email,
            # Suggested from the address, shown as editable initial values.
            guest_first_name=first,
            guest_last_name=last,
            post_to=meta.channel_id,
        )

    async def prefill_from_message(self, text: str, meta: RequestMeta) -> FormValues:
        """Like `prefill`, from a whole Slack message: `when` keeps only the time words."""
        if not self.pages.cached_pages():
            # The page name must be found now: the rest of the message is not kept. Bounded,
            # since the trigger expires (the list is normally warm from start-up).
            await _bounded(self.pages.pages(), seconds=MESSAGE_PAGES_WAIT_SECONDS)
        # Only the start of a long message is read: nothing longer is ever parsed.
        form = await self.prefill(
            message_words(text[: blocks.TEXT_MAX * 2])[: blocks.TEXT_MAX], meta
        )
        if not form.when_text:
            return form
        parsed = self.booking.parse(form.when_text, tz=self.zone_of(form, meta), locale=meta.locale)
        return replace(form, when_text=parsed.matched_text)

    # --- rendering -----------------------------------------------------------------------
    def _metadata(self, meta: RequestMeta) -> str:
        return self._sealed(meta.to_json())

    def _sealed(self, text: str) -> str:
        return self.sealer.seal(text) if self.sealer is not None else text

    def _state(
        self,
        form: FormValues,
        meta: RequestMeta,
        *,
        info: BookingInfo | None,
        preview: blocks.Preview | None,
        moment: datetime | None = None,
    ) -> blocks.ModalState:
        page = blocks.PageOption(form.slug, form.page_name or form.slug) if form.slug else None
        durations = tuple(info.durations_minutes) if info else ()
        duration = form.duration_minutes
        if durations and duration not in durations:
            duration = DEFAULT_MINUTES if DEFAULT_MINUTES in durations else durations[0]
        return blocks.ModalState(
            page=page,
            when_text=form.when_text,
            duration_minutes=duration,
            durations=durations,
            timezone=self.zone_of(form, meta),
            guest_email=form.guest_email,
            guest_first_name=form.guest_first_name,
            guest_last_name=form.guest_last_name,
            form_values=dict(form.form_fields),
            post_to_channel=form.post_to or meta.channel_id,
            form_fields=_form_specs(info),
            consent=_consent_spec(info),
            preview=preview,
            when_revision=meta.when_revision,
            thread_channel=meta.channel_id if meta.thread_ts else None,
            zone_moment=moment or self.booking.clock(),
        )

    def quick_form(self, form: FormValues, meta: RequestMeta) -> dict[str, Any]:
        """The modal as it can be drawn at once (no HubSpot): opened inside the trigger window."""
        t = self.translator(meta)
        preview = None
        moment: datetime | None = None
        if form.when_text.strip():
            parsed = self.booking.parse(
                form.when_text, tz=self.zone_of(form, meta), locale=meta.locale
            )
            minutes = form.duration_minutes or DEFAULT_MINUTES
            local = Preview(
                parsed,
                start=parsed.start,
                end=parsed.start + timedelta(minutes=minutes) if parsed.start else None,
            )
            preview = self._preview_blocks(local, form, meta, t, checking=True)
            moment = parsed.start
        state = self._state(form, meta, info=None, preview=preview, moment=moment)
        return blocks.booking_modal(state, t, private_metadata=self._metadata(meta))

    async def full_form(
        self,
        form: FormValues,
        meta: RequestMeta,
        *,
        refusal: Refusal | None = None,
    ) -> dict[str, Any]:
        """The modal with the page's durations, questions and a checked preview; with
        `refusal`, HubSpot's objections shown under the fields they are about."""
        t = self.translator(meta)
        zone = self.zone_of(form, meta)
        form = await self._page_from_words(form)
        # Connect HubSpot: asked after the page list, which finds a connection revoked just now.
        prompt = await self._hubspot_prompt(meta)
        if prompt is not None:
            return blocks.hubspot_connect_modal(t, prompt)
        info: BookingInfo | None = None
        problem: str | None = None
        if form.slug:
            try:
                info = await self.pages.details(form.slug, zone)
            except hs.HubSpotError as error:
                # Connect HubSpot: a connection found revoked just now asks to reconnect.
                prompt = (
                    await self._hubspot_prompt(meta)
                    if isinstance(error, hs.AuthenticationError)
                    else None
                )
                if prompt is not None:
                    return blocks.hubspot_connect_modal(t, prompt)
                problem = _hubspot_message(t, error)
        durations = info.durations_minutes if info else []
        minutes = form.duration_minutes
        if durations and minutes not in durations:
            minutes = DEFAULT_MINUTES if DEFAULT_MINUTES in durations else durations[0]
        form = replace(form, duration_minutes=minutes)
        preview_blocks = None
        moment: datetime | None = None
        if problem is not None:
            preview_blocks = blocks.Preview("error", problem)
        elif form.when_text.strip():
            preview = await self.booking.preview(
                slug=form.slug if info else None,
                when_text=form.when_text,
                tz=zone,
                locale=meta.locale,
                duration_minutes=minutes,
            )
            preview_blocks = self._preview_blocks(preview, form, meta, t)
            moment = preview.start
        state = self._state(form, meta, info=info, preview=preview_blocks, moment=moment)
        if refusal is not None:
            field_errors, unplaced = _refusal_errors(t, refusal, info, meta)
            notice = [t.t("error.hubspot.refused_fields"), *unplaced]
            state = replace(state, field_errors=field_errors, notice=" ".join(notice))
        return blocks.booking_modal(state, t, private_metadata=self._metadata(meta))

    def _slot_buttons(
        self, slots: tuple[TimeSlot, ...], zone: str, t: Translator, *, day: date | None = None
    ) -> tuple[tuple[str, str], ...]:
        """(label, ISO start) per slot: the time alone when every slot falls on `day` (the line
        above names it), else weekday, date and time."""
        same_day = day is not None and all(
            slot.start.astimezone(ZoneInfo(zone)).date() == day for slot in slots
        )
        return tuple(
            (
                t.format_time(slot.start, zone) if same_day else t.format_slot(slot.start, zone),
                slot.start.isoformat(),
            )
            for slot in slots
        )

    @staticmethod
    def _slot_descriptions(
        slots: tuple[TimeSlot, ...], zone: str, t: Translator
    ) -> tuple[str, ...]:
        """What a screen reader says for each slot button: weekday, date and time, even when
        the button shows the time alone."""
        return tuple(t.format_slot(slot.start, zone) for slot in slots)

    def _preview_blocks(
        self,
        preview: Preview,
        form: FormValues,
        meta: RequestMeta,
        t: Translator,
        *,
        checking: bool = False,
    ) -> blocks.Preview:
        """The verdict first, then the time. `checking`: HubSpot has not answered yet (the modal
        as opened inside Slack's trigger window), so say so instead of a verdict."""
        zone = self.zone_of(form, meta)
        parsed = preview.parsed
        if parsed.error is not None:
            if parsed.error is ParseError.DATE_ONLY and parsed.date is not None:
                day = t.format_day(parsed.date)
                if checking:
                    return blocks.Preview("checking", t.t("preview.checking_day", date=day))
                if not form.slug:
                    # No page yet, so no free times to offer: ask for a time, claim nothing.
                    return blocks.Preview("date_only", t.t("preview.day_pick", date=day))
                if preview.check_error is not None:
                    return blocks.Preview("date_only", t.t("preview.day_unchecked", date=day))
                if preview.day_slots:
                    return blocks.Preview(
                        "date_only",
                        t.t("preview.day_free", date=day),
                        slot_buttons=self._slot_buttons(
                            preview.day_slots, zone, t, day=parsed.date
                        ),
                        slot_descriptions=self._slot_descriptions(preview.day_slots, zone, t),
                    )
                return blocks.Preview("date_only", t.t("preview.day_none", date=day))
            if parsed.error in CHOICE_ERRORS and parsed.alternatives:
                # Two readings (or a weekday that is not the date's): each is a button.
                key = f"error.time.{parsed.error.value}"
                return blocks.Preview(
                    "error",
                    t.t(key, text=form.when_text.strip()[:100]),
                    alternative_buttons=self._choice_buttons(parsed, zone, t),
                )
            message = _time_error(t, parsed.error, form.when_text, parsed, zone)
            return blocks.Preview("error", message)
        if preview.start is None or preview.end is None:
            return blocks.Preview("empty", "")
        when = t.format_when(preview.start, preview.end, zone) + _read_words(t, parsed)
        alternatives = tuple(
            (t.format_slot(moment, zone), moment.isoformat()) for moment in parsed.alternatives
        )
        kind: blocks.PreviewKind = "ok"
        if preview.free is True:
            text = t.t("preview.free", when=when)
        elif preview.free is False:
            start_day = preview.start.astimezone(ZoneInfo(zone)).date()
            text = (
                t.t("preview.busy", when=when)
                + " "
                + (
                    t.t("preview.nearest_free")
                    if preview.nearest
                    else t.t("preview.no_free_nearby")
                )
            )
            return blocks.Preview(
                "busy",
                text,
                slot_buttons=self._slot_buttons(preview.nearest, zone, t, day=start_day),
                alternative_buttons=alternatives,
                slot_descriptions=self._slot_descriptions(preview.nearest, zone, t),
            )
        elif checking:
            # Opened inside Slack's trigger window; the page (maybe still to be found in the
            # words) is asked right after: no verdict yet, and no false warning either.
            kind, text = "checking", t.t("preview.checking", when=when)
        elif not form.slug:
            text = when
        else:
            text = t.t("preview.unchecked", when=when)
        if alternatives:
            text += " " + t.t("preview.alternatives")
        return blocks.Preview(kind, text, alternative_buttons=alternatives)

    @staticmethod
    def _choice_buttons(
        parsed: ParseResult, zone: str, t: Translator
    ) -> tuple[tuple[str, str], ...]:
        return tuple((t.format_slot(m, zone), m.isoformat()) for m in parsed.alternatives)

    def with_picked_time(
        self, form: FormValues, iso_start: str, meta: RequestMeta
    ) -> tuple[FormValues, RequestMeta]:
        """A slot button fills `when` with a text the parser reads back exactly."""
        try:
            start = datetime.fromisoformat(iso_start)
        except ValueError:
            return form, meta
        local = start.astimezone(ZoneInfo(self.zone_of(form, meta)))
        form = replace(form, when_text=local.strftime("%Y-%m-%d %H:%M"))
        return form, replace(meta, when_revision=meta.when_revision + 1)

    # --- submission ----------------------------------------------------------------------
    async def validate(self, form: FormValues, meta: RequestMeta, *, view_id: str) -> Checked:
        t = self.translator(meta)
        errors: dict[str, str] = {}
        zone = self.zone_of(form, meta)
        when_block = blocks.when_block_id(meta.when_revision)
        if not form.slug:
            errors[blocks.MEETING_PAGE] = t.t("error.page_required")
        too_long = _too_long_fields(form, when_block)
        for block_id in too_long:
            errors[block_id] = t.t("error.field_too_long", limit=blocks.TEXT_MAX)
        if when_block in too_long:
            return Checked(errors)  # never parsed
        parsed = self.booking.parse(form.when_text, tz=zone, locale=meta.locale)
        if parsed.error is not None or parsed.start is None:
            # None: the day's free times are unknown (no page, or HubSpot did not answer).
            day_slots: tuple[TimeSlot, ...] | None = None
            if parsed.error is ParseError.DATE_ONLY and parsed.date and form.slug:
                preview = await _bounded(
                    self.booking.preview(
                        slug=form.slug,
                        when_text=form.when_text,
                        tz=zone,
                        locale=meta.locale,
                        duration_minutes=form.duration_minutes,
                    )
                )
                if preview is not None and preview.check_error is None:
                    day_slots = preview.day_slots
            errors[when_block] = _time_error(
                t,
                parsed.error or ParseError.UNPARSEABLE,
                form.when_text,
                parsed,
                zone,
                day_slots=day_slots,
            )
        if not EMAIL.fullmatch(form.guest_email or ""):
            errors[blocks.GUEST_EMAIL] = t.t("error.email.invalid")
        for name, label in (
            ("guest_first_name", form.guest_first_name),
            ("guest_last_name", form.guest_last_name),
        ):
            if not label.strip():
                errors[name] = t.t("error.required")
        info: BookingInfo | None = None
        if form.slug and not errors.get(blocks.MEETING_PAGE):
            info = await _bounded(self.pages.details(form.slug, zone))
        if info is not None:
            for spec in _form_specs(info):
                answer = form.form_fields.get(spec.name)
                if spec.required and not _filled(answer):
                    errors[blocks.FORM_FIELD_PREFIX + spec.name] = t.t("error.required")
                elif (
                    spec.options
                    and _filled(answer)
                    and not _checked_values(answer) <= {v for v, _ in spec.options}
                ):
                    # Refused rather than guessed: HubSpot would refuse it after the ack.
                    errors[blocks.FORM_FIELD_PREFIX + spec.name] = t.t("error.hubspot.field.option")
            if _consent_missing(info, form.form_fields.get(blocks.LEGAL_CONSENT_FIELD)):
                errors[blocks.LEGAL_CONSENT_BLOCK] = t.t("error.consent_required")
        minutes = form.duration_minutes or DEFAULT_MINUTES
        if info is not None and info.durations_minutes and minutes not in info.durations_minutes:
            minutes = info.durations_minutes[0]
        if errors or parsed.start is None or form.slug is None:
            return Checked(errors)
        submitted = form.to_dict() | {"start": parsed.start.isoformat(), "minutes": minutes}
        key = idempotency_key(view_id, submitted)
        if await self._already_submitted(key):
            # The same form again (Slack's retry, a second worker): the slot is taken by this
            # very booking, so skip the check; booking it returns the first one's outcome.
            return Checked({}, self._submission(key, form, meta, parsed.start, minutes, zone, info))
        # Only what HubSpot last said (the live preview asked it moments ago): a HubSpot round
        # trip here would hold Slack's ack. The booking's own answer is final either way.
        preview = await _bounded(
            self.booking.preview(
                slug=form.slug,
                when_text=form.when_text,
                tz=zone,
                locale=meta.locale,
                duration_minutes=minutes,
                cached_only=True,
            ),
            seconds=SUBMIT_CHECK_SECONDS,
        )
        if preview is not None and preview.free is False and not await self._already_submitted(key):
            # (Asked again: a twin of this submission may have been claimed since the first
            # look, and booked — its claim always comes before HubSpot takes the slot.)
            nearest = ", ".join(t.format_slot(s.start, zone) for s in preview.nearest)
            message = t.t("error.slot_taken")
            if nearest:
                message += " " + t.t("preview.nearest_free") + " " + nearest
            return Checked({when_block: message})
        return Checked({}, self._submission(key, form, meta, parsed.start, minutes, zone, info))

    async def _already_submitted(self, key: str) -> bool:
        """Whether this exact submission is already in the ledger (booking or booked)."""
        try:
            # Bounded, and through the ack path's own pool: this runs before Slack's 3-second
            # ack, while bookings after other acks may hold every connection of the main pool.
            record = await asyncio.wait_for(self.store.get_for_ack(key), DUPLICATE_CHECK_SECONDS)
        except (StoreBusy, TimeoutError) as error:
            # Busy, not broken (the ack path's own pool all in use, or a loop too busy to get
            # the answer in time): go on without the check. It only spares a twin the slot
            # check; the claim after the ack still stops a second booking.
            log.info("duplicate check skipped: %s", str(error) or "no answer in time")
            return False
        except StoreError as error:
            log.warning("ledger unavailable while checking for a duplicate: %s", error)
            return False
        return record is not None and record.status != "failed"

    def _submission(
        self,
        key: str,
        form: FormValues,
        meta: RequestMeta,
        start: datetime,
        minutes: int,
        zone: str,
        info: BookingInfo | None,
    ) -> Submission:
        assert form.slug is not None
        return Submission(
            key=key,
            team_id=meta.team_id,
            user_id=meta.user_id,
            channel_id=form.post_to or meta.channel_id,
            thread_ts=meta.thread_ts,
            slug=form.slug,
            page_name=self._page_name(form.slug, form.page_name),
            start=start,
            duration_minutes=minutes,
            timezone=zone,
            locale=self.translator(meta).locale,
            guest_email=form.guest_email,
            guest_first_name=form.guest_first_name.strip(),
            guest_last_name=form.guest_last_name.strip(),
            form_fields=_answers(info, form.form_fields),
            consents=_consents(info, form.form_fields.get(blocks.LEGAL_CONSENT_FIELD)),
        )

    def progress_view(self, form: FormValues, meta: RequestMeta) -> dict[str, Any]:
        return blocks.progress_modal(self.translator(meta), form.page_name or form.slug or "")

    async def book(
        self, submission: Submission, meta: RequestMeta, *, followup: str | None = None
    ) -> BookingOutcome:
        """Book; `followup` (bot/followup.py) is kept with the ledger row for the after-ack
        steps, so that a restart can still carry them out."""
        if followup is not None:
            submission = replace(submission, followup=followup)
        outcome = await self.booking.book(submission)
        if outcome.status == "booked" and not outcome.duplicate:
            await self._remember(submission, meta)
        return outcome

    async def _remember(self, submission: Submission, meta: RequestMeta) -> None:
        _remember(
            self._recent_preferences,
            (submission.team_id, submission.user_id),
            Preferences(
                team_id=submission.team_id,
                user_id=submission.user_id,
                last_page_slug=submission.slug,
                duration_minutes=submission.duration_minutes,
                timezone=submission.timezone,
                language=self.translator(meta).language,
            ),
        )
        try:
            await self.store.save_preferences(
                Preferences(
                    team_id=submission.team_id,
                    user_id=submission.user_id,
                    last_page_slug=submission.slug,
                    duration_minutes=submission.duration_minutes,
                    timezone=submission.timezone,
                    language=self.translator(meta).language,
                )
            )
        except StoreError as error:
            log.warning("could not save preferences: %s", error)

    def _page_name(self, slug: str, known: str | None) -> str:
        """The page's name, never its slug when the name is known (the pre-fill may have run
        before the page list was loaded and kept the slug)."""
        if known and known != slug:
            return known
        page = next((page for page in self.pages.cached_pages() if page.slug == slug), None)
        return page_label(page) if page else known or slug

    def card_for(self, record: BookingRecord) -> blocks.BookingCard:
        return blocks.BookingCard(
            page_name=record.page_name,
            start_utc=record.start,
            duration_minutes=record.duration_minutes,
            guest_name=f"{record.guest_first_name} {record.guest_last_name}".strip(),
            guest_email=record.guest_email,
            booked_by_user_id=record.user_id,
            web_conference_url=record.web_conference_url,
            location=record.location,
            timezone_for_fallback=record.timezone,
            booking_key=record.key,
            sandbox=self.sandbox,
        )

    def back_metadata(self, form: FormValues, meta: RequestMeta) -> str:
        data = {"meta": meta.to_dict(), "form": form.to_dict()}
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        if len(text) > blocks.PRIVATE_METADATA_MAX - SEAL_CHARS:
            data["form"]["form_fields"] = {}
            text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        return self._sealed(text)

    def restore(self, private_metadata: str) -> tuple[FormValues, RequestMeta]:
        try:
            data = json.loads(private_metadata)
        except ValueError:
            data = {}
        data = data if isinstance(data, dict) else {}
        meta_data, form_data = data.get("meta"), data.get("form")
        meta = RequestMeta.from_dict(meta_data if isinstance(meta_data, dict) else {})
        form = FormValues.from_dict(form_data if isinstance(form_data, dict) else {})
        return form, replace(meta, when_revision=meta.when_revision + 1)

    async def result_view(
        self, outcome: BookingOutcome, form: FormValues, meta: RequestMeta
    ) -> dict[str, Any]:
        """The modal after the booking: the result, or when HubSpot refused a field, the form
        again with the refusal under that field (typed values kept)."""
        record = outcome.record
        if record.status == "failed" and record.error_code == "validation" and form.slug:
            refusal = Refusal.read(record.error_message)
            if any(problem.field for problem in refusal.problems):
                view = await self.full_form(form, meta, refusal=refusal)
                if _marks_a_field(view):
                    return view
        return self._result_view(outcome, form, meta)

    def _result_view(
        self, outcome: BookingOutcome, form: FormValues, meta: RequestMeta
    ) -> dict[str, Any]:
        t = self.translator(meta)
        record = outcome.record
        if record.status == "booked":
            return blocks.result_modal(
                t, self.card_for(record), posted_to_channel=form.post_to or meta.channel_id
            )
        back = self.back_metadata(form, meta)
        if record.status == "unknown":
            return blocks.outcome_unknown_modal(
                t, t.t("error.hubspot.outcome_unknown"), back_metadata=back, booking_key=record.key
            )
        if record.status == "pending":
            return blocks.progress_modal(t, record.page_name)
        message = _error_code_message(t, record.error_code, record.error_message)
        return blocks.error_modal(t, message, back_metadata=back)

    def card(self, outcome: BookingOutcome, meta: RequestMeta) -> tuple[str, list[dict[str, Any]]]:
        """The card for the channel: the guest's email only with BOOKBOT_CARD_GUEST_EMAIL."""
        return blocks.booking_card(
            self.card_for(outcome.record),
            self.translator(meta),
            show_guest_email=self.card_guest_email,
        )

    async def card_posted(
        self, outcome: BookingOutcome, channel: str | None, ts: str | None
    ) -> None:
        if channel and ts:
            try:
                await self.store.set_message(outcome.record.key, channel=channel, ts=ts)
            except StoreError as error:
                log.warning("could not record the posted card: %s", error)

    # --- reminder and calendar file ------------------------------------------------------
    def reminder(self, outcome: BookingOutcome, meta: RequestMeta, minutes: int) -> Reminder | None:
        """The reminder for a new booking, or None: reminders off, or the start too close."""
        record = outcome.record
        if minutes <= 0 or record.status != "booked" or outcome.duplicate:
            return None
        post_at = record.start - timedelta(minutes=minutes)
        if post_at - self.booking.clock() < REMINDER_MIN_LEAD:
            return None
        text, reminder_blocks = blocks.reminder_message(
            self.card_for(record),
            self.translator(meta),
            minutes=minutes,
            show_guest_email=self.card_guest_email,
        )
        return Reminder(post_at=post_at, text=text, blocks=reminder_blocks)

    async def reminder_scheduled(
        self, outcome: BookingOutcome, scheduled_message_id: str, post_at: datetime
    ) -> None:
        try:
            await self.store.set_reminder(
                outcome.record.key, scheduled_message_id=scheduled_message_id, post_at=post_at
            )
        except StoreError as error:
            log.warning("could not record the scheduled reminder: %s", error)

    async def calendar_file(self, key: str, meta: RequestMeta) -> CalendarFile | str:
        """The booking's .ics for the person in `meta`, or a message (their language) why not."""
        t = self.translator(meta)
        try:
            record = await self.store.get(key) if key else None
        except StoreError as error:
            log.warning("calendar file: ledger unavailable: %s", error)
            return t.t("calendar.failed")
        if record is None or record.team_id != meta.team_id:
            # A key from another workspace is one this workspace has no booking for.
            return t.t("calendar.not_found")
        if record.status != "booked":
            return t.t("calendar.not_booked")
        guest_name = f"{record.guest_first_name} {record.guest_last_name}".strip()
        guest = f"{guest_name} ({record.guest_email})" if guest_name else record.guest_email
        join_url = (
            record.web_conference_url if blocks.is_https_url(record.web_conference_url) else None
        )
        lines = [t.t("calendar.description_guest", guest=guest)]
        if join_url:
            lines.append(t.t("calendar.description_join", url=join_url))
        lines.append(t.t("calendar.description_booked_in_slack"))
        invite = CalendarInvite(
            booking_key=record.key,
            summary=record.page_name,
            start=record.start,
            duration_minutes=record.duration_minutes,
            description="\n".join(lines),
            stamp=record.created_at,
            join_url=join_url,
            location=record.location,
            attendee_email=record.guest_email or None,
            attendee_name=guest_name or None,
        )
        return CalendarFile(
            filename=invite_filename(record.page_name, record.start),
            title=record.page_name,
            content=build_ics(invite),
            comment=t.t(
                "calendar.dm_comment",
                page=blocks.escape_mrkdwn(blocks.truncate(record.page_name, 200)),
            ),
        )

    async def _recheck(
        self, key: str, t: Translator, *, team_id: str, user_id: str
    ) -> tuple[BookingRecord | None, str, bool]:
        """Check again, only on the clicking person's own booking: the booking if it is now
        booked (HubSpot shows the slot taken), what to tell the person, and whether checking
        again still makes sense. Never books."""
        try:
            record = await self.store.get(key) if key else None
        except StoreError:
            record = None
        if record is None or (record.team_id, record.user_id) != (team_id, user_id):
            return None, t.t("recheck.settled"), False
        try:
            taken = await self.booking.recheck_unknown(key)
        except hs.HubSpotError as error:
            return None, _hubspot_message(t, error), True
        record = await self.store.get(key) if taken else None
        if taken and record is not None and record.status == "booked":
            return record, t.t("recheck.taken"), False
        if taken is None:
            return None, t.t("recheck.settled"), False
        return None, t.t("recheck.free"), False

    async def recheck_view(
        self, key: str, private_metadata: str, *, team_id: str, user_id: str
    ) -> dict[str, Any]:
        """ "Check again" in the modal for the booking `key`, only when it is the clicking
        person's own: the booked result (its card is then due), or what HubSpot shows."""
        form, meta = self.restore(private_metadata)
        t = self.translator(meta)
        booked, detail, again = await self._recheck(key, t, team_id=team_id, user_id=user_id)
        if booked is not None:
            return blocks.result_modal(
                t, self.card_for(booked), posted_to_channel=form.post_to or meta.channel_id
            )
        return blocks.outcome_unknown_modal(
            t,
            detail,
            back_metadata=self.back_metadata(form, meta),
            booking_key=key if again or detail != t.t("recheck.settled") else "",
        )

    async def recheck_message(self, key: str, meta: RequestMeta) -> tuple[str, list[Any]]:
        """Check again from a DM (the booking's modal was gone): the DM's new text and blocks."""
        t = self.translator(meta)
        booked, detail, again = await self._recheck(
            key, t, team_id=meta.team_id, user_id=meta.user_id
        )
        if booked is not None:
            where = booked.channel_id or None
            detail = t.t(
                "recheck.taken_posted",
                channel=blocks.channel_mention(where) if where else "?",
            )
        elif detail == t.t("recheck.free"):
            detail = t.t("recheck.free_dm")
        return blocks.unfinished_booking_message(t, detail, booking_key=key if again else None)

    # --- lists, help, pages --------------------------------------------------------------
    def help_message(self, meta: RequestMeta) -> dict[str, Any]:
        t = self.translator(meta)
        return {"text": t.t("help.title"), "blocks": blocks.help_message(t)}

    async def _upcoming(self, meta: RequestMeta) -> list[blocks.BookingCard]:
        records = await self.store.upcoming_for_user(
            meta.team_id, meta.user_id, now=self.booking.clock()
        )
        # A booking made before the page list was loaded may have kept the slug as its name.
        names = {page.slug: page_label(page) for page in self.pages.cached_pages()}
        return [
            replace(
                self.card_for(record),
                page_name=names.get(record.page_slug, record.page_name),
            )
            if record.page_name == record.page_slug
            else self.card_for(record)
            for record in records
        ]

    async def list_message(self, meta: RequestMeta) -> dict[str, Any]:
        t = self.translator(meta)
        return {
            "text": t.t("list.title"),
            "blocks": blocks.booking_list_blocks(t, await self._upcoming(meta)),
        }

    async def home_view(self, meta: RequestMeta) -> dict[str, Any]:
        t = self.translator(meta)
        prompt = await self._hubspot_prompt(meta)
        view = blocks.home_view(t, await self._upcoming(meta), can_book=prompt is None)
        return view if prompt is None else blocks.with_hubspot_prompt(view, t, prompt)

    async def _hubspot_prompt(self, meta: RequestMeta) -> blocks.HubSpotPrompt | None:
        if self.hubspot_prompt is None:
            return None
        try:
            return await self.hubspot_prompt(meta)
        except StoreError as error:
            log.warning("could not read the HubSpot connection: %s", error)
            return None

    async def form_field_options(
        self, form: FormValues, meta: RequestMeta, name: str, query: str
    ) -> list[dict[str, Any]]:
        """A long question's options matching what the person typed (from the page's cached
        details; nothing when the page or question is unknown)."""
        if not form.slug:
            return []
        info = await _bounded(self.pages.details(form.slug, self.zone_of(form, meta)))
        spec = next((s for s in _form_specs(info) if s.name == name), None)
        return blocks.form_field_options(spec, query) if spec is not None else []

    async def page_options(self, query: str) -> list[dict[str, Any]]:
        pages = await self.pages.search(query)
        return blocks.page_options([blocks.PageOption(p.slug, page_label(p)) for p in pages])


# --- pure helpers ----------------------------------------------------------------------------
REMEMBERED_PEOPLE = 10_000


def _remember(cache: dict[Any, Any], key: Any, value: Any) -> None:
    """cache[key] = value, dropping the oldest entry past REMEMBERED_PEOPLE."""
    cache.pop(key, None)
    cache[key] = value
    if len(cache) > REMEMBERED_PEOPLE:
        cache.pop(next(iter(cache)))


async def _bounded(awaitable: Any, *, seconds: float = SUBMIT_CHECK_SECONDS) -> Any:
    """HubSpot's answer if it comes in time (and without error), else None."""
    try:
        return await asyncio.wait_for(awaitable, seconds)
    except (TimeoutError, hs.HubSpotError):
        return None


def _form_specs(info: BookingInfo | None) -> tuple[blocks.FormFieldSpec, ...]:
    if info is None:
        return ()
    return tuple(
        blocks.FormFieldSpec(
            name=field_.name,
            label=field_.label,
            required=field_.is_required,
            field_type=field_.field_type or field_.type or "text",
            options=tuple((option.value, option.label) for option in field_.visible_options),
        )
        for field_ in info.custom_form_fields
        if field_.name.casefold() not in blocks.GUEST_FORM_FIELD_NAMES
    )


def _consent_spec(info: BookingInfo | None) -> blocks.ConsentSpec | None:
    if info is None or not info.custom_params.legal_consent_enabled:
        return None
    options = info.custom_params.legal_consent_options
    if options is None:
        return None
    processing_label = (
        options.processing_consent_checkbox_label
        if options.processing_consent_type == "REQUIRED_CHECKBOX"
        else ""
    )
    return blocks.ConsentSpec(
        text=options.processing_consent_text or "",
        checkbox_label=processing_label or "",
        communication=tuple(
            (box.communication_type_id, box.label, box.required)
            for box in options.communication_consent_checkboxes
        ),
    )


def _checked_values(value: FormFieldValue | None) -> set[str]:
    if value is None:
        return set()
    return {value} if isinstance(value, str) else set(value)


def _consent_missing(info: BookingInfo, value: FormFieldValue | None) -> bool:
    checked = _checked_values(value)
    if info.requires_processing_consent and blocks.CONSENT_PROCESSING_VALUE not in checked:
        return True
    return any(
        blocks.CONSENT_COMMUNICATION_PREFIX + box.communication_type_id not in checked
        for box in info.required_consent_checkboxes
    )


def _consents(
    info: BookingInfo | None, value: FormFieldValue | None
) -> tuple[tuple[str, bool], ...]:
    if info is None or not info.custom_params.legal_consent_enabled:
        return ()
    options = info.custom_params.legal_consent_options
    if options is None:
        return ()
    checked = _checked_values(value)
    return tuple(
        (
            box.communication_type_id,
            blocks.CONSENT_COMMUNICATION_PREFIX + box.communication_type_id in checked,
        )
        for box in options.communication_consent_checkboxes
    )


def _filled(value: FormFieldValue | None) -> bool:
    if value is None:
        return False
    return bool(value.strip()) if isinstance(value, str) else bool(value)


def _answers(info: BookingInfo | None, values: Mapping[str, FormFieldValue]) -> dict[str, str]:
    names = {spec.name for spec in _form_specs(info)}
    answers: dict[str, str] = {}
    for name, value in values.items():
        if name not in names or not _filled(value):
            continue
        answers[name] = value.strip() if isinstance(value, str) else ";".join(value)
    return answers


def _too_long_fields(form: FormValues, when_block: str) -> list[str]:
    """Block ids of the free-text answers over blocks.TEXT_MAX characters."""
    texts = {
        when_block: form.when_text,
        blocks.GUEST_FIRST_NAME: form.guest_first_name,
        blocks.GUEST_LAST_NAME: form.guest_last_name,
    }
    for name, value in form.form_fields.items():
        for item in (value,) if isinstance(value, str) else tuple(value or ()):
            if len(item) > blocks.TEXT_MAX:
                texts[blocks.FORM_FIELD_PREFIX + name] = item
    return [block_id for block_id, text in texts.items() if len(text or "") > blocks.TEXT_MAX]


def _read_words(t: Translator, parsed: ParseResult) -> str:
    """ " (read: “thursday”, “3pm”)": which of the typed words counted as the time."""
    if not parsed.read_words:
        return ""
    words = ", ".join(f"“{word[:60]}”" for word in parsed.read_words[:8])
    return " " + t.t("preview.read", words=words)


def _strict_error(t: Translator, error: ParseError, text: str, parsed: Any, zone: str) -> str:
    """Why the strict reading refused (issue 11), naming the words, in the person's language."""
    word = (getattr(parsed, "word", None) or text.strip())[:100]
    if error is ParseError.INVALID_DATE:
        invalid = getattr(parsed, "invalid_day", None)
        if invalid is None:
            return t.t("error.time.unparseable", text=text.strip()[:100])
        if invalid.days == 0:
            return t.t("error.time.invalid_month", text=word)
        month = t.t("calendar.months").split()[invalid.month - 1]
        if invalid.year is not None:
            month = t.t("calendar.month_year", month=month, year=invalid.year)
        return t.t("error.time.invalid_date", text=word, month=month, days=invalid.days)
    if error is ParseError.INVALID_TIME:
        return t.t("error.time.invalid_time", text=word)
    if error is ParseError.UNKNOWN_WORD:
        suggestion = getattr(parsed, "suggestion", None)
        if suggestion:
            return t.t("error.time.unknown_word_suggest", word=word, suggestion=suggestion)
        return t.t("error.time.unknown_word", word=word)
    alternatives: tuple[datetime, ...] = tuple(getattr(parsed, "alternatives", None) or ())
    if error in CHOICE_ERRORS and alternatives:
        choices = " / ".join(t.format_slot(moment, zone) for moment in alternatives)
        key = f"error.time.{error.value}_choices"
        return t.t(key, text=text.strip()[:100], choices=choices)
    if error is ParseError.TOO_LONG:
        return t.t("error.field_too_long", limit=blocks.TEXT_MAX)
    return t.t("error.time.unparseable", text=text.strip()[:100])


def _time_error(
    t: Translator,
    error: ParseError,
    text: str,
    parsed: Any,
    zone: str,
    *,
    day_slots: tuple[TimeSlot, ...] | None = (),
) -> str:
    if error is ParseError.EMPTY:
        return t.t("error.time.empty")
    if error not in (ParseError.PAST, ParseError.DATE_ONLY, ParseError.UNPARSEABLE):
        return _strict_error(t, error, text, parsed, zone)
    if error is ParseError.PAST:
        when = text
        if parsed is not None and getattr(parsed, "start", None) is not None:
            when = t.format_slot(parsed.start, zone)
        return t.t("error.time.past", when=when)
    if error is ParseError.DATE_ONLY and parsed is not None and parsed.date is not None:
        day = t.format_day(parsed.date)
        if day_slots is None:
            return t.t("error.time.date_only_add", date=day, text=text.strip()[:100])
        if day_slots:
            slots = ", ".join(t.format_time(slot.start, zone) for slot in day_slots)
            return t.t("error.time.date_only", date=day, slots=slots)
        return t.t("error.time.date_only_none_free", date=day)
    return t.t("error.time.unparseable", text=text.strip()[:100])


# Each failure code (bot/hubspot/errors.py: HubSpotError.code) -> its message in bot/i18n.
HUBSPOT_MESSAGE_KEYS = {
    "auth": "error.hubspot.auth",
    "scope": "error.hubspot.scope",
    "page_not_found": "error.hubspot.page_not_found",
    "rate_limited": "error.hubspot.rate_limited",
    "rate_limited_daily": "error.hubspot.rate_limited_daily",
    "server": "error.hubspot.server_error",
    "unreachable": "error.hubspot.unreachable",
    "unknown": "error.hubspot.outcome_unknown",
    "slot_taken": "error.slot_taken",
}


def _error_code_message(t: Translator, code: str | None, detail: str | None) -> str:
    """The person's-language message for a failure code. HubSpot's own wording appears only
    quoted (escaped) inside a sentence in the person's language, with its reference, when a
    refusal of the booking's details names no field of the form."""
    if code == "validation":
        refusal = Refusal.read(detail)
        said = [p.message for p in refusal.problems if p.message.strip()]
        if not said:
            return t.t("error.hubspot.validation")
        return " ".join(_refused_message(t, message, refusal) for message in said)
    key = HUBSPOT_MESSAGE_KEYS.get(code or "")
    return t.t(key) if key else t.t("error.unexpected")


def _refused_message(t: Translator, message: str, refusal: Refusal) -> str:
    """What HubSpot said, in the person's language, with the reference HubSpot support needs."""
    return t.t(
        "error.hubspot.refused",
        detail=blocks.truncate(message.strip(), 300),
        reference=refusal.correlation_id or "-",
    )


# HubSpot's names of the booking's own fields -> the modal block that holds each.
HUBSPOT_FIELD_BLOCKS: dict[str, str] = {
    "email": blocks.GUEST_EMAIL,
    "firstname": blocks.GUEST_FIRST_NAME,
    "lastname": blocks.GUEST_LAST_NAME,
    "duration": blocks.DURATION,
    "timezone": blocks.TIMEZONE,
    "legalconsentresponses": blocks.LEGAL_CONSENT_BLOCK,
    "slug": blocks.MEETING_PAGE,
}
# HubSpot's refusal codes -> the message shown under the field.
REFUSAL_KEYS: dict[str, str] = {
    "INVALID_EMAIL": "error.hubspot.field.email",
    "INVALID_EMAIL_GUESTS": "error.hubspot.field.email",
    "REQUIRED": "error.required",
    "REQUIRED_FORM_FIELD": "error.required",
    "INVALID_OPTION": "error.hubspot.field.option",
    "INVALID_DURATION": "error.hubspot.field.duration",
    "LEGAL_CONSENT_REQUIRED": "error.consent_required",
}


def _refusal_block(
    field_name: str | None, info: BookingInfo | None, meta: RequestMeta
) -> str | None:
    """The modal block a HubSpot field name belongs to, None when it is not in the modal."""
    if not field_name:
        return None
    if field_name == "startTime":
        return blocks.when_block_id(meta.when_revision)
    known = HUBSPOT_FIELD_BLOCKS.get(field_name.casefold())
    if known is not None:
        return known
    if info is not None and any(spec.name == field_name for spec in _form_specs(info)):
        return blocks.FORM_FIELD_PREFIX + field_name
    return None


def _refusal_errors(
    t: Translator, refusal: Refusal, info: BookingInfo | None, meta: RequestMeta
) -> tuple[dict[str, str], list[str]]:
    """Each problem as (block id -> message in the person's language); those no field of the
    modal holds come back as whole sentences with HubSpot's words and the reference."""
    placed: dict[str, str] = {}
    unplaced: list[str] = []
    for problem in refusal.problems:
        block_id = _refusal_block(problem.field, info, meta)
        if block_id is None:
            unplaced.append(_refused_message(t, problem.message, refusal))
            continue
        key = REFUSAL_KEYS.get(problem.code or "")
        if key is not None:
            message = t.t(key)
        else:
            message = t.t(
                "error.hubspot.field.refused", detail=blocks.truncate(problem.message.strip(), 300)
            )
        placed.setdefault(block_id, message)
    return placed, unplaced


def _marks_a_field(view: Mapping[str, Any]) -> bool:
    return any(
        str(block.get("block_id", "")).startswith(blocks.FIELD_ERROR_PREFIX)
        for block in view.get("blocks", [])
    )


def _hubspot_message(t: Translator, error: hs.HubSpotError) -> str:
    return _error_code_message(t, error.code, error.user_message)
