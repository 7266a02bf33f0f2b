"""The meeting pages, organizers and busy calendars the sandbox is seeded with."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

MINUTE_MS = 60_000
BUSINESS_DAYS = (0, 1, 2, 3, 4)
WEEKDAY_NAMES = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
INCREMENT_NAMES = {
    5: "FIVE",
    10: "TEN",
    15: "FIFTEEN",
    20: "TWENTY",
    30: "THIRTY",
    45: "FORTY_FIVE",
    60: "SIXTY",
    90: "NINETY",
    120: "ONE_HUNDRED_TWENTY",
}


@dataclass(frozen=True)
class SandboxUser:
    user_id: str
    meetings_user_id: str
    first_name: str
    last_name: str
    email: str
    calendar_provider: str = "GOOGLE"

    def to_meetings_user(self) -> dict[str, Any]:
        return {
            "id": self.meetings_user_id,
            "userId": self.user_id,
            "isSalesStarter": False,
            "calendarProvider": self.calendar_provider,
            "userProfile": {
                "email": self.email,
                "firstName": self.first_name,
                "lastName": self.last_name,
                "fullName": f"{self.first_name} {self.last_name}",
            },
        }


@dataclass(frozen=True)
class FormFieldOption:
    value: str
    label: str

    def to_json(self, display_order: int) -> dict[str, Any]:
        return {
            "value": self.value,
            "label": self.label,
            "description": "",
            "displayOrder": display_order,
            "doubleData": 0,
            "hidden": False,
            "readOnly": False,
        }


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    field_type: str  # HubSpot property field type: text, select, textarea, ...
    value_type: str  # HubSpot property type: string, enumeration, ...
    is_custom: bool
    is_required: bool
    options: tuple[FormFieldOption, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "fieldType": self.field_type,
            "type": self.value_type,
            "isCustom": self.is_custom,
            "isRequired": self.is_required,
            "options": [option.to_json(index) for index, option in enumerate(self.options)],
        }

    def option_label(self, value: str) -> str | None:
        return next((option.label for option in self.options if option.value == value), None)


STANDARD_FORM_FIELDS: tuple[FormField, ...] = (
    FormField("firstName", "First name", "text", "string", is_custom=False, is_required=True),
    FormField("lastName", "Last name", "text", "string", is_custom=False, is_required=True),
    FormField("email", "Email", "text", "string", is_custom=False, is_required=True),
)


@dataclass(frozen=True)
class ConsentCheckbox:
    communication_type_id: str
    label: str
    required: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "communicationTypeId": self.communication_type_id,
            "label": self.label,
            "required": self.required,
        }


@dataclass(frozen=True)
class LegalConsent:
    processing_consent_type: str  # IMPLICIT or REQUIRED_CHECKBOX
    checkboxes: tuple[ConsentCheckbox, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "isLegitimateInterest": False,
            "legitimateInterestSubscriptionTypes": [],
            "communicationConsentCheckboxes": [box.to_json() for box in self.checkboxes],
            "communicationConsentText": (
                "We would like to contact you about our products and services. "
                "Please tick below to say how you would like us to contact you."
            ),
            "processingConsentType": self.processing_consent_type,
            "processingConsentText": (
                "To provide you the content requested, we need to store and process your "
                "personal data."
            ),
            "processingConsentCheckboxLabel": "I agree to allow Booker Sandbox Co. to store and "
            "process my personal data.",
            "processingConsentFooterText": "",
            "privacyPolicyText": "You can unsubscribe at any time. See our privacy policy.",
        }


@dataclass(frozen=True)
class MeetingPage:
    link_id: str
    slug: str
    name: str
    link_type: str
    organizer: SandboxUser
    members: tuple[SandboxUser, ...]
    timezone: str
    durations_minutes: tuple[int, ...]
    # weekday (0 = Monday) -> (start minute, end minute) from local midnight
    weekly_hours: dict[int, tuple[int, int]]
    start_increment_minutes: int
    weeks_to_advertise: int
    created_at: datetime
    buffer_minutes: int = 0
    custom_form_fields: tuple[FormField, ...] = ()
    legal_consent: LegalConsent | None = None
    is_offline: bool = False
    location: str | None = None
    language: str = "en"
    locale: str = "en-us"
    default_link: bool = False

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def durations_millis(self) -> tuple[int, ...]:
        return tuple(minutes * MINUTE_MS for minutes in self.durations_minutes)

    @property
    def form_fields(self) -> tuple[FormField, ...]:
        return STANDARD_FORM_FIELDS + self.custom_form_fields

    def custom_field(self, name: str) -> FormField | None:
        return next((item for item in self.custom_form_fields if item.name == name), None)

    def to_metadata(self) -> dict[str, Any]:
        return {
            "id": self.link_id,
            "slug": self.slug,
            "link": f"https://meetings.hubspot.com/{self.slug}",
            "name": self.name,
            "type": self.link_type,
            "organizerUserId": self.organizer.user_id,
            "userIdsOfLinkMembers": [member.user_id for member in self.members],
            "defaultLink": self.default_link,
            "createdAt": _iso_millis(self.created_at),
            "updatedAt": _iso_millis(self.created_at + timedelta(days=3)),
        }

    def to_custom_params(self) -> dict[str, Any]:
        params: dict[str, Any] = {
            "availability": {
                WEEKDAY_NAMES[day]: {"start": start, "end": end}
                for day, (start, end) in sorted(self.weekly_hours.items())
            },
            "durations": list(self.durations_millis),
            "formFields": [item.to_json() for item in self.form_fields],
            "legalConsentEnabled": self.legal_consent is not None,
            "meetingBufferTime": self.buffer_minutes * MINUTE_MS,
            "ownerPrioritized": False,
            "startTimeIncrementMinutes": INCREMENT_NAMES[self.start_increment_minutes],
            "weeksToAdvertise": self.weeks_to_advertise,
            "language": self.language,
            "locale": self.locale,
            "guestSettings": {"canAddGuests": False, "maxGuestCount": 0},
            "displayInfo": {
                "publicDisplayAvatarOption": "PROFILE_IMAGE",
                "avatar": f"https://avatars.sandbox.booker.invalid/{self.organizer.user_id}.png",
                "companyAvatar": "https://avatars.sandbox.booker.invalid/company.png",
            },
            "welcomeScreenInfo": {
                "title": self.name,
                "description": f"Pick a time to meet {self.organizer.first_name}.",
                "showWelcomeScreen": False,
                "useCompanyLogo": True,
            },
        }
        if self.legal_consent is not None:
            params["legalConsentOptions"] = self.legal_consent.to_json()
        if self.location is not None:
            params["location"] = self.location
        return params


@dataclass(frozen=True)
class BusyInterval:
    user_id: str
    start_ms: int
    end_ms: int


@dataclass
class SeedData:
    pages: list[MeetingPage]
    users: list[SandboxUser]
    busy: list[BusyInterval] = field(default_factory=list)
    # Busy calendars cover the advertised weeks from this day on (refreshed as days pass).
    busy_from: date | None = None

    def page_by_slug(self, slug: str) -> MeetingPage | None:
        return next((page for page in self.pages if page.slug == slug), None)


def _iso_millis(moment: datetime) -> str:
    return (
        moment.astimezone(ZoneInfo("UTC")).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    )


_PEOPLE: tuple[tuple[str, str], ...] = (
    ("Dana", "Whitaker"),
    ("João", "Almeida"),
    ("Marcus", "Bell"),
    ("Ana", "Souza"),
    ("Priya", "Raman"),
    ("Lucía", "Fernández"),
    ("Tom", "Okafor"),
    ("Hannah", "Müller"),
    ("Kenji", "Watanabe"),
    ("Sofia", "Rossi"),
    ("Liam", "O'Brien"),
    ("Amara", "Nwosu"),
    ("Mateo", "García"),
    ("Chloe", "Martin"),
    ("Ravi", "Kapoor"),
    ("Elena", "Petrova"),
)

_TEAMS: tuple[tuple[str, str, str], ...] = (
    # (team name, slug stem, zone)
    ("Customer Success", "customer-success", "America/Chicago"),
    ("Support", "support", "Europe/London"),
    ("Solutions Engineering", "solutions", "America/Los_Angeles"),
    ("Partnerships", "partners", "Europe/Madrid"),
    ("Onboarding", "onboarding", "America/Sao_Paulo"),
    ("Billing", "billing", "America/New_York"),
    ("Product Feedback", "product-feedback", "Europe/Berlin"),
    ("Renewals", "renewals", "America/Denver"),
    ("Enterprise Sales", "enterprise", "America/New_York"),
)

_TEAM_PAGE_KINDS: tuple[tuple[str, str, tuple[int, ...]], ...] = (
    # (name suffix, link type, durations)
    ("Quick call", "PERSONAL_LINK", (15, 30)),
    ("Round robin", "ROUND_ROBIN_CALENDAR", (30,)),
    ("Team session", "GROUP_CALENDAR", (45, 60)),
)


def _slugify(text: str) -> str:
    ascii_text = (
        text.lower()
        .replace("ã", "a")
        .replace("á", "a")
        .replace("í", "i")
        .replace("é", "e")
        .replace("ü", "u")
        .replace("'", "")
    )
    return "-".join("".join(ch if ch.isalnum() else " " for ch in ascii_text).split())


def _options(*labels: str) -> tuple[FormFieldOption, ...]:
    return tuple(FormFieldOption(_slugify(label), label) for label in labels)


def _countries() -> tuple[FormFieldOption, ...]:
    """The ~250 countries and territories (ISO 3166 codes, English names): a question longer
    than any Slack select holds."""
    from babel import Locale

    names = {str(code): str(name) for code, name in Locale("en").territories.items()}
    # Not countries: the EU, the eurozone, the UN, "Outlying Oceania", pseudo-locales, unknown.
    groups = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}
    codes = sorted(code for code in names if len(code) == 2 and code.isalpha())
    return tuple(FormFieldOption(code, names[code]) for code in codes if code not in groups)


# "intake": one question of every HubSpot form field type Booker asks in Slack.
INTAKE_FORM_FIELDS: tuple[FormField, ...] = (
    FormField("phone", "Phone number", "phonenumber", "string", is_custom=True, is_required=False),
    FormField("employees", "Employees", "number", "number", is_custom=True, is_required=False),
    FormField("start_date", "Start date", "date", "date", is_custom=True, is_required=False),
    FormField(
        "plan",
        "Plan",
        "radio",
        "enumeration",
        is_custom=True,
        is_required=True,
        options=_options("Starter", "Professional", "Enterprise"),
    ),
    FormField(
        "industry",
        "Industry",
        "select",
        "enumeration",
        is_custom=True,
        is_required=False,
        options=_options(*(f"Industry {n:02d}" for n in range(1, 31))),
    ),
    FormField(
        "interests",
        "Interests",
        "checkbox",
        "enumeration",
        is_custom=True,
        is_required=False,
        options=_options("Sales", "Marketing", "Service", "Operations"),
    ),
    FormField(
        "tools",
        "Tools you use",
        "checkbox",
        "enumeration",
        is_custom=True,
        is_required=True,
        options=_options(*(f"Tool {n:02d}" for n in range(1, 41))),
    ),
    FormField(
        "country",
        "Country",
        "select",
        "enumeration",
        is_custom=True,
        is_required=True,
        options=_countries(),
    ),
    FormField(
        "markets",
        "Markets",
        "checkbox",
        "enumeration",
        is_custom=True,
        is_required=False,
        options=tuple(
            FormFieldOption(f"m-{option.value}", option.label) for option in _countries()[:150]
        ),
    ),
    FormField(
        "newsletter",
        "Send me the newsletter",
        "booleancheckbox",
        "bool",
        is_custom=True,
        is_required=False,
    ),
    FormField("notes", "Notes", "textarea", "string", is_custom=True, is_required=False),
)


def build_seed_data(seed: int, now: datetime) -> SeedData:
    """Pages, users and busy calendars; the same for the same seed and day."""
    rng = random.Random(seed)
    users = [
        SandboxUser(
            user_id=str(rng.randrange(10_000_000, 99_999_999)),
            meetings_user_id=str(rng.randrange(1_000_000, 9_999_999)),
            first_name=first,
            last_name=last,
            email=f"{_slugify(first)}.{_slugify(last).replace('-', '')}@sandbox.booker.invalid",
        )
        for first, last in _PEOPLE
    ]
    created = (now - timedelta(days=120)).replace(microsecond=0)

    def link_id() -> str:
        return str(rng.randrange(100_000_000, 999_999_999))

    business_hours = dict.fromkeys(BUSINESS_DAYS, (9 * 60, 17 * 60))
    demo = MeetingPage(
        link_id=link_id(),
        slug="demo",
        name="Product Demo",
        link_type="PERSONAL_LINK",
        organizer=users[0],
        members=(users[0],),
        timezone="America/New_York",
        durations_minutes=(15, 30, 60),
        weekly_hours=business_hours,
        start_increment_minutes=15,
        weeks_to_advertise=4,
        created_at=created,
        default_link=True,
    )
    sales_intro = MeetingPage(
        link_id=link_id(),
        slug="sales-intro",
        name="Sales Introduction",
        link_type="PERSONAL_LINK",
        organizer=users[1],
        members=(users[1],),
        timezone="Europe/Lisbon",
        durations_minutes=(30,),
        weekly_hours=business_hours,
        start_increment_minutes=30,
        weeks_to_advertise=6,
        created_at=created + timedelta(days=1),
        buffer_minutes=15,
        custom_form_fields=(
            FormField(
                "company_size",
                "Company size",
                "select",
                "enumeration",
                is_custom=True,
                is_required=True,
                options=(
                    FormFieldOption("1-10", "1–10 employees"),
                    FormFieldOption("11-50", "11–50 employees"),
                    FormFieldOption("51-200", "51–200 employees"),
                    FormFieldOption("201+", "201 or more employees"),
                ),
            ),
            FormField(
                "what_to_discuss",
                "What would you like to discuss?",
                "textarea",
                "string",
                is_custom=True,
                is_required=False,
            ),
        ),
        legal_consent=LegalConsent(
            processing_consent_type="REQUIRED_CHECKBOX",
            checkboxes=(
                ConsentCheckbox("31476113", "I agree to receive meeting communications.", True),
                ConsentCheckbox("31476114", "I agree to receive marketing emails.", False),
            ),
        ),
        language="pt-br",
        locale="pt-br",
    )
    onsite = MeetingPage(
        link_id=link_id(),
        slug="onsite-visit",
        name="On-site Visit",
        link_type="PERSONAL_LINK",
        organizer=users[2],
        members=(users[2],),
        timezone="America/Chicago",
        durations_minutes=(60,),
        weekly_hours=dict.fromkeys(BUSINESS_DAYS, (10 * 60, 16 * 60)),
        start_increment_minutes=60,
        weeks_to_advertise=2,
        created_at=created + timedelta(days=2),
        is_offline=True,
        location="Booker HQ, 233 S Wacker Dr, Suite 4100, Chicago, IL 60606",
    )
    pages = [demo, sales_intro, onsite]
    intake = MeetingPage(
        link_id=link_id(),
        slug="intake",
        name="Customer Intake",
        link_type="PERSONAL_LINK",
        organizer=users[0],
        members=(users[0],),
        timezone="America/New_York",
        durations_minutes=(30,),
        weekly_hours=business_hours,
        start_increment_minutes=30,
        weeks_to_advertise=4,
        created_at=created + timedelta(days=2, hours=12),
        custom_form_fields=INTAKE_FORM_FIELDS,
    )
    people_pool = users[3:]
    for team_index, (team, stem, zone) in enumerate(_TEAMS):
        for kind_index, (suffix, link_type, durations) in enumerate(_TEAM_PAGE_KINDS):
            organizer = people_pool[(team_index * 3 + kind_index) % len(people_pool)]
            second = people_pool[(team_index * 3 + kind_index + 1) % len(people_pool)]
            members = (organizer,) if link_type == "PERSONAL_LINK" else (organizer, second)
            pages.append(
                MeetingPage(
                    link_id=link_id(),
                    slug=f"{stem}-{_slugify(suffix)}",
                    name=f"{team} — {suffix}",
                    link_type=link_type,
                    organizer=organizer,
                    members=members,
                    timezone=zone,
                    durations_minutes=durations,
                    weekly_hours=business_hours,
                    start_increment_minutes=15,
                    weeks_to_advertise=2,
                    created_at=created + timedelta(days=3 + team_index, hours=kind_index),
                )
            )
    # Last, so the other pages keep the ids and calendars they always had.
    pages.append(intake)
    return SeedData(
        pages=pages,
        users=users,
        busy=busy_calendar(seed, users, pages, now),
        busy_from=now.date(),
    )


def busy_calendar(
    seed: int, users: list[SandboxUser], pages: list[MeetingPage], now: datetime
) -> list[BusyInterval]:
    """A few meetings a working day per organizer, in the zone of their first page."""
    rng = random.Random(f"{seed}:{now.date().isoformat()}")
    zone_of_user: dict[str, ZoneInfo] = {}
    for page in pages:
        zone_of_user.setdefault(page.organizer.user_id, page.zone)
    horizon_days = 7 * max(page.weeks_to_advertise for page in pages) + 7
    busy: list[BusyInterval] = []
    for user in users:
        zone = zone_of_user.get(user.user_id, ZoneInfo("UTC"))
        first_day: date = now.astimezone(zone).date() - timedelta(days=1)
        for offset in range(horizon_days):
            day = first_day + timedelta(days=offset)
            if day.weekday() not in BUSINESS_DAYS:
                continue
            for _ in range(rng.randint(1, 3)):
                start_minute = rng.choice(range(9 * 60, 16 * 60, 30))
                length = rng.choice((30, 30, 60, 90))
                start = datetime.combine(day, time(), tzinfo=zone) + timedelta(minutes=start_minute)
                start_ms = int(start.timestamp() * 1000)
                busy.append(BusyInterval(user.user_id, start_ms, start_ms + length * MINUTE_MS))
    return busy
