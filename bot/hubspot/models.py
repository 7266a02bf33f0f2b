"""Pydantic models of the HubSpot Scheduler Meetings v3 wire shapes we use.

Attribute names are snake_case; on the wire they are camelCase (the spec's names). Responses
accept fields the spec does not list (HubSpot adds fields without notice); requests refuse
unknown fields so a typo never reaches HubSpot silently.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    field_serializer,
    field_validator,
)
from pydantic.alias_generators import to_camel

MILLIS_PER_MINUTE = 60_000

LinkType = Literal["GROUP_CALENDAR", "PERSONAL_LINK", "ROUND_ROBIN_CALENDAR"]


class HubSpotResponseModel(BaseModel):
    """Base of everything HubSpot sends us: camelCase on the wire, unknown fields kept."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="allow")


class HubSpotRequestModel(BaseModel):
    """Base of everything we send HubSpot: camelCase on the wire, unknown fields refused."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    def to_wire(self) -> dict[str, Any]:
        """The JSON body HubSpot expects: camelCase names, unset optional fields left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


@dataclass(frozen=True, slots=True)
class TimeSlot:
    """A bookable interval; both ends are aware datetimes."""

    start: datetime
    end: datetime

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start) / timedelta(minutes=1))

    def astimezone(self, zone: tzinfo) -> TimeSlot:
        return TimeSlot(self.start.astimezone(zone), self.end.astimezone(zone))

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def millis_to_datetime(millis: int) -> datetime:
    return datetime.fromtimestamp(millis / 1000, tz=UTC)


def minutes_to_millis(minutes: int) -> int:
    return minutes * MILLIS_PER_MINUTE


# --- meeting links (GET /meeting-links) ---------------------------------------------------------


class MeetingLink(HubSpotResponseModel):
    """ExternalLinkMetadata: one meeting page."""

    id: str
    slug: str
    link: str
    type: LinkType
    organizer_user_id: str
    default_link: bool
    created_at: datetime
    user_ids_of_link_members: list[str]
    name: str | None = None
    updated_at: datetime | None = None
    payment_link_id: str | None = None


class NextPage(HubSpotResponseModel):
    after: str
    link: str | None = None


class PreviousPage(HubSpotResponseModel):
    before: str
    link: str | None = None


class Paging(HubSpotResponseModel):
    next: NextPage | None = None
    prev: PreviousPage | None = None


class MeetingLinksPage(HubSpotResponseModel):
    """CollectionResponseWithTotalExternalLinkMetadata: one page of meeting links."""

    results: list[MeetingLink]
    total: int
    paging: Paging | None = None

    @property
    def next_after(self) -> str | None:
        return self.paging.next.after if self.paging and self.paging.next else None


# --- booking info (GET /meeting-links/book/{slug}) ----------------------------------------------


class FormFieldOption(HubSpotResponseModel):
    """ExternalOption: a choice of a select / radio form field."""

    label: str
    value: str
    display_order: int
    double_data: float
    hidden: bool
    read_only: bool
    description: str | None = None


class LinkFormField(HubSpotResponseModel):
    """ExternalLinkFormField: a question the meeting page asks the guest."""

    name: str
    label: str
    field_type: str
    type: str
    is_custom: bool
    is_required: bool
    options: list[FormFieldOption]

    @property
    def visible_options(self) -> list[FormFieldOption]:
        return sorted((o for o in self.options if not o.hidden), key=lambda o: o.display_order)


class CommunicationConsentCheckbox(HubSpotResponseModel):
    """ExternalCommunicationConsentCheckbox."""

    communication_type_id: str
    label: str
    required: bool


class LegalConsentOptions(HubSpotResponseModel):
    """ExternalLegalConsentOptions."""

    communication_consent_checkboxes: list[CommunicationConsentCheckbox]
    communication_consent_text: str
    is_legitimate_interest: bool
    legitimate_interest_subscription_types: list[int]
    privacy_policy_text: str
    processing_consent_checkbox_label: str
    processing_consent_footer_text: str
    processing_consent_text: str
    processing_consent_type: Literal["IMPLICIT", "REQUIRED_CHECKBOX"]
    legitimate_interest_legal_basis: str | None = None


class ClosedRange(HubSpotResponseModel):
    """ExternalClosedRange: minutes from midnight (540 = 9:00)."""

    start: int
    end: int


class LinkDisplayInfo(HubSpotResponseModel):
    avatar: str | None = None
    company_avatar: str | None = None
    headline: str | None = None
    public_display_avatar_option: str | None = None


class GuestSettings(HubSpotResponseModel):
    can_add_guests: bool
    max_guest_count: int


class WelcomeScreenInfo(HubSpotResponseModel):
    description: str | None = None
    logo_url: str | None = None
    show_welcome_screen: bool | None = None
    title: str | None = None
    use_company_logo: bool | None = None


class MeetingLinkSettings(HubSpotResponseModel):
    """ExternalMeetingsLinkSettings (`customParams`): what the page offers and asks."""

    availability: dict[str, ClosedRange]
    durations: list[int]  # milliseconds
    form_fields: list[LinkFormField]
    legal_consent_enabled: bool
    meeting_buffer_time: int  # milliseconds
    owner_prioritized: bool
    start_time_increment_minutes: str
    weeks_to_advertise: int
    custom_availability_start_date: int | None = None
    custom_availability_end_date: int | None = None
    display_info: LinkDisplayInfo | None = None
    guest_settings: GuestSettings | None = None
    language: str | None = None
    legal_consent_options: LegalConsentOptions | None = None
    locale: str | None = None
    location: str | None = None
    redirect_url: str | None = None
    welcome_screen_info: WelcomeScreenInfo | None = None


class UserProfile(HubSpotResponseModel):
    email: str
    first_name: str | None = None
    last_name: str | None = None
    full_name: str | None = None


class MeetingsUser(HubSpotResponseModel):
    """ExternalMeetingsUser: an organizer or member of a meeting page."""

    id: str
    user_id: str
    calendar_provider: str
    is_sales_starter: bool
    user_profile: UserProfile


class TimeRange(HubSpotResponseModel):
    """ExternalTimeRange: epoch milliseconds."""

    start: int
    end: int

    def as_slot(self) -> TimeSlot:
        return TimeSlot(millis_to_datetime(self.start), millis_to_datetime(self.end))


class UserBusyTimes(HubSpotResponseModel):
    """ExternalUserBusyTimes."""

    busy_times: list[TimeRange]
    is_offline: bool
    meetings_user: MeetingsUser


class MeetingAvailability(HubSpotResponseModel):
    """ExternalMeetingAvailability: one free start..end, epoch milliseconds UTC."""

    start_millis_utc: int
    end_millis_utc: int

    def as_slot(self) -> TimeSlot:
        return TimeSlot(
            millis_to_datetime(self.start_millis_utc), millis_to_datetime(self.end_millis_utc)
        )


class LinkAvailabilityForDuration(HubSpotResponseModel):
    """ExternalLinkAvailabilityForDuration."""

    meeting_duration_millis: int
    availabilities: list[MeetingAvailability]


# LinkAvailability answers -> their slots by duration (see LinkAvailability.slots).
_SLOTS_READ: dict[int, tuple[weakref.ref[LinkAvailability], dict[int, tuple[TimeSlot, ...]]]] = {}


def _forget_slots(key: int, _: object) -> None:
    _SLOTS_READ.pop(key, None)


class LinkAvailability(HubSpotResponseModel):
    """ExternalLinkAvailability: free slots grouped by duration (keys: duration ms as text)."""

    has_more: bool
    link_availability_by_duration: dict[str, LinkAvailabilityForDuration]

    def slots(self, duration_minutes: int) -> list[TimeSlot]:
        # Read once per answer and duration: a cached answer is asked again on every preview
        # and every submission's check (hundreds of slots, two datetimes each, on the event
        # loop inside Slack's 3 s). Kept beside the model, not in it: models compare by content.
        key = id(self)
        entry = _SLOTS_READ.get(key)
        if entry is None or entry[0]() is not self:
            entry = (weakref.ref(self, functools.partial(_forget_slots, key)), {})
            _SLOTS_READ[key] = entry
        read = entry[1].get(duration_minutes)
        if read is None:
            read = entry[1][duration_minutes] = tuple(self._read_slots(duration_minutes))
        return list(read)

    def _read_slots(self, duration_minutes: int) -> list[TimeSlot]:
        wanted = minutes_to_millis(duration_minutes)
        group = self.link_availability_by_duration.get(str(wanted))
        if group is None:  # keys are documented as the duration, but trust the inner field
            group = next(
                (
                    g
                    for g in self.link_availability_by_duration.values()
                    if g.meeting_duration_millis == wanted
                ),
                None,
            )
        if group is None:
            return []
        return sorted((a.as_slot() for a in group.availabilities), key=lambda s: s.start)


class _SlotsMixin:
    """Free-slot helpers over an optional `link_availability`."""

    link_availability: LinkAvailability | None

    def slots(self, duration_minutes: int, *, zone: tzinfo | None = None) -> list[TimeSlot]:
        """Free slots of `duration_minutes`, earliest first, in `zone` (UTC when not given)."""
        if self.link_availability is None:
            return []
        found = self.link_availability.slots(duration_minutes)
        return [slot.astimezone(zone) for slot in found] if zone else found

    def is_free(self, start: datetime, duration_minutes: int) -> bool:
        """Whether a meeting of `duration_minutes` may start exactly at `start` (aware)."""
        if start.tzinfo is None:
            raise ValueError("start must be an aware datetime")
        return any(slot.start == start for slot in self.slots(duration_minutes))

    def slots_on(self, day: datetime, duration_minutes: int, *, zone: tzinfo) -> list[TimeSlot]:
        """Free slots starting on the calendar day of `day` as seen in `zone`."""
        wanted = day.astimezone(zone).date() if day.tzinfo else day.date()
        return [s for s in self.slots(duration_minutes, zone=zone) if s.start.date() == wanted]


class BookingInfo(_SlotsMixin, HubSpotResponseModel):
    """ExternalBookingInfo: everything needed to show a booking form for a page."""

    link_id: str
    link_type: LinkType
    is_offline: bool
    custom_params: MeetingLinkSettings
    all_users_busy_times: list[UserBusyTimes]
    link_availability: LinkAvailability | None = None
    branding_metadata: dict[str, Any] | None = None

    @property
    def durations_minutes(self) -> list[int]:
        return sorted({ms // MILLIS_PER_MINUTE for ms in self.custom_params.durations})

    @property
    def form_fields(self) -> list[LinkFormField]:
        return self.custom_params.form_fields

    @property
    def custom_form_fields(self) -> list[LinkFormField]:
        """The page's own questions (email, first and last name are asked by every page)."""
        return [f for f in self.custom_params.form_fields if f.is_custom]

    @property
    def required_consent_checkboxes(self) -> list[CommunicationConsentCheckbox]:
        options = self.custom_params.legal_consent_options
        if not self.custom_params.legal_consent_enabled or options is None:
            return []
        return [c for c in options.communication_consent_checkboxes if c.required]

    @property
    def requires_processing_consent(self) -> bool:
        options = self.custom_params.legal_consent_options
        return (
            self.custom_params.legal_consent_enabled
            and options is not None
            and options.processing_consent_type == "REQUIRED_CHECKBOX"
        )

    @property
    def organizer_user_ids(self) -> list[str]:
        """HubSpot user ids of the page's members: what `likelyAvailableUserIds` wants."""
        return [b.meetings_user.user_id for b in self.all_users_busy_times]

    @property
    def location(self) -> str | None:
        return self.custom_params.location


class Availability(_SlotsMixin, HubSpotResponseModel):
    """ExternalLinkAvailabilityAndBusyTimes (GET .../availability-page/{slug})."""

    all_users_busy_times: list[UserBusyTimes]
    link_availability: LinkAvailability | None = None

    @property
    def durations_minutes(self) -> list[int]:
        if self.link_availability is None:
            return []
        groups = self.link_availability.link_availability_by_duration.values()
        return sorted({g.meeting_duration_millis // MILLIS_PER_MINUTE for g in groups})

    @property
    def has_more(self) -> bool:
        return self.link_availability.has_more if self.link_availability else False


# --- booking (POST /meeting-links/book) ----------------------------------------------------------


class BookingFormField(HubSpotRequestModel):
    """ExternalBookingFormField: the guest's answer to one form field."""

    name: str
    value: str


class LegalConsentResponse(HubSpotRequestModel):
    """ExternalLegalConsentResponse."""

    communication_type_id: str
    consented: bool


class BookingRequest(HubSpotRequestModel):
    """ExternalMeetingBooking: book `duration` ms at `start_time` on page `slug`."""

    slug: str = Field(min_length=1)
    duration: int = Field(gt=0, description="milliseconds")
    start_time: AwareDatetime
    email: str = Field(min_length=3)
    first_name: str
    last_name: str
    form_fields: list[BookingFormField] = Field(default_factory=list)
    legal_consent_responses: list[LegalConsentResponse] = Field(default_factory=list)
    likely_available_user_ids: list[str] = Field(default_factory=list)
    locale: str | None = None
    timezone: str | None = None

    @classmethod
    def create(
        cls,
        *,
        slug: str,
        start: datetime,
        duration_minutes: int,
        email: str,
        first_name: str,
        last_name: str,
        form_fields: Mapping[str, str] | None = None,
        consents: Mapping[str, bool] | None = None,
        likely_available_user_ids: Iterable[str] = (),
        timezone: str | None = None,
        locale: str | None = None,
    ) -> BookingRequest:
        """A request from the values a person entered (minutes, plain mappings)."""
        return cls(
            slug=slug,
            duration=minutes_to_millis(duration_minutes),
            start_time=start,
            email=email,
            first_name=first_name,
            last_name=last_name,
            form_fields=[BookingFormField(name=k, value=v) for k, v in (form_fields or {}).items()],
            legal_consent_responses=[
                LegalConsentResponse(communication_type_id=k, consented=v)
                for k, v in (consents or {}).items()
            ],
            likely_available_user_ids=list(likely_available_user_ids),
            timezone=timezone,
            locale=locale,
        )

    @property
    def duration_minutes(self) -> int:
        return self.duration // MILLIS_PER_MINUTE

    @field_validator("start_time")
    @classmethod
    def _to_utc_whole_seconds(cls, value: datetime) -> datetime:
        # Slots start on whole minutes; what is stored is exactly what is sent.
        return value.astimezone(UTC).replace(microsecond=0)

    @field_serializer("start_time")
    def _iso_utc_z(self, value: datetime) -> str:
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")


class ValidatedFormField(HubSpotResponseModel):
    """ExternalValidatedFormField: a form answer as HubSpot recorded it."""

    name: str
    label: str
    value: str
    is_custom: bool
    field_type: str | None = None
    translated_label: str | None = None
    value_label: str | None = None


class RecordedLegalConsent(HubSpotResponseModel):
    communication_type_id: str
    consented: bool


class BookingResponse(HubSpotResponseModel):
    """ExternalMeetingBookingResponse: the meeting HubSpot booked."""

    start: AwareDatetime
    end: AwareDatetime
    duration: int  # milliseconds
    subject: str
    booking_timezone: str
    calendar_event_id: str
    contact_id: str
    guest_emails: list[str]
    is_offline: bool
    form_fields: list[ValidatedFormField]
    legal_consent_responses: list[RecordedLegalConsent]
    locale: str | None = None
    location: str | None = None
    web_conference_meeting_id: str | None = None
    web_conference_url: str | None = None

    @property
    def duration_minutes(self) -> int:
        return self.duration // MILLIS_PER_MINUTE

    @property
    def slot(self) -> TimeSlot:
        return TimeSlot(self.start, self.end)


# --- errors -------------------------------------------------------------------------------------


class ErrorDetail(HubSpotResponseModel):
    """ErrorDetail: one specific problem inside an error."""

    message: str
    in_: str | None = Field(default=None, alias="in")
    code: str | None = None
    sub_category: str | None = None
    context: dict[str, list[str]] | None = None


class HubSpotErrorBody(HubSpotResponseModel):
    """Error: HubSpot's error JSON. A real 429 is not the spec's Error: it has no `category`
    (`status`, `message`, `errorType`, `policyName`, `correlationId`, `requestId`)."""

    message: str
    category: str | None = None
    correlation_id: str | None = None
    status: str | None = None
    sub_category: str | None = None
    errors: list[ErrorDetail] = Field(default_factory=list)
    context: dict[str, list[str]] | None = None
    links: dict[str, str] | None = None
    error_type: str | None = None
    policy_name: str | None = None
