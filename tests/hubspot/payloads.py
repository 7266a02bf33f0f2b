"""HubSpot-shaped JSON bodies for unit tests, faithful to the spec (test_models checks that)."""

from __future__ import annotations

from typing import Any

# 2026-12-01 14:00 UTC = 09:00 in New York.
SLOT_START_MS = 1_796_133_600_000
HALF_HOUR_MS = 30 * 60_000
HOUR_MS = 60 * 60_000
CORRELATION_ID = "aeb5f871-7f07-4993-9211-075dc63e7cbf"
SCHEDULER = "/scheduler/v3/meetings"


def meeting_link(slug: str = "demo", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": f"link-{slug}",
        "slug": slug,
        "link": f"https://meetings.hubspot.com/{slug}",
        "name": slug.replace("-", " ").title(),
        "type": "PERSONAL_LINK",
        "organizerUserId": "1001",
        "defaultLink": False,
        "createdAt": "2026-01-10T18:05:53.512Z",
        "updatedAt": "2026-02-01T09:00:00Z",
        "userIdsOfLinkMembers": ["1001"],
    }
    body.update(overrides)
    return body


def links_page(
    slugs: list[str], after: str | None = None, total: int | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "results": [meeting_link(slug) for slug in slugs],
        "total": total if total is not None else len(slugs),
    }
    if after is not None:
        body["paging"] = {"next": {"after": after, "link": f"?after={after}"}}
    return body


def busy_times() -> list[dict[str, Any]]:
    return [
        {
            "isOffline": False,
            "busyTimes": [
                {"start": SLOT_START_MS + 2 * HOUR_MS, "end": SLOT_START_MS + 3 * HOUR_MS}
            ],
            "meetingsUser": {
                "id": "mu-1",
                "userId": "1001",
                "calendarProvider": "GOOGLE",
                "isSalesStarter": False,
                "userProfile": {
                    "email": "ines@booker.invalid",
                    "firstName": "Inês",
                    "lastName": "Costa",
                    "fullName": "Inês Costa",
                },
            },
        }
    ]


def link_availability() -> dict[str, Any]:
    return {
        "hasMore": True,
        "linkAvailabilityByDuration": {
            str(HALF_HOUR_MS): {
                "meetingDurationMillis": HALF_HOUR_MS,
                "availabilities": [
                    # out of order on purpose: the client sorts
                    {
                        "startMillisUtc": SLOT_START_MS + HALF_HOUR_MS,
                        "endMillisUtc": SLOT_START_MS + 2 * HALF_HOUR_MS,
                    },
                    {"startMillisUtc": SLOT_START_MS, "endMillisUtc": SLOT_START_MS + HALF_HOUR_MS},
                ],
            },
            str(HOUR_MS): {
                "meetingDurationMillis": HOUR_MS,
                "availabilities": [
                    {"startMillisUtc": SLOT_START_MS, "endMillisUtc": SLOT_START_MS + HOUR_MS}
                ],
            },
        },
    }


def booking_info(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "linkId": "link-sales-intro",
        "linkType": "PERSONAL_LINK",
        "isOffline": False,
        "allUsersBusyTimes": busy_times(),
        "linkAvailability": link_availability(),
        "customParams": {
            "availability": {"MONDAY": {"start": 540, "end": 1020}},
            "durations": [HOUR_MS, HALF_HOUR_MS],
            "meetingBufferTime": 0,
            "ownerPrioritized": False,
            "startTimeIncrementMinutes": "FIFTEEN",
            "weeksToAdvertise": 2,
            "locale": "en-us",
            "language": "en",
            "location": "Rua Augusta 10, Lisboa",
            "displayInfo": {
                "headline": "Sales intro",
                "publicDisplayAvatarOption": "PROFILE_IMAGE",
            },
            "formFields": [
                {
                    "name": "company_size",
                    "label": "Company size",
                    "fieldType": "select",
                    "type": "enumeration",
                    "isCustom": True,
                    "isRequired": True,
                    "options": [
                        {
                            "label": "50+",
                            "value": "50+",
                            "displayOrder": 2,
                            "doubleData": 0,
                            "hidden": False,
                            "readOnly": False,
                            "description": "",
                        },
                        {
                            "label": "1-10",
                            "value": "1-10",
                            "displayOrder": 0,
                            "doubleData": 0,
                            "hidden": False,
                            "readOnly": False,
                            "description": "",
                        },
                        {
                            "label": "legacy",
                            "value": "legacy",
                            "displayOrder": 1,
                            "doubleData": 0,
                            "hidden": True,
                            "readOnly": False,
                            "description": "",
                        },
                    ],
                },
                {
                    "name": "email",
                    "label": "Email",
                    "fieldType": "text",
                    "type": "string",
                    "isCustom": False,
                    "isRequired": True,
                    "options": [],
                },
            ],
            "legalConsentEnabled": True,
            "legalConsentOptions": {
                "communicationConsentCheckboxes": [
                    {"communicationTypeId": "88", "label": "Send me news", "required": False},
                    {"communicationTypeId": "99", "label": "Contact me", "required": True},
                ],
                "communicationConsentText": "We'd like to contact you.",
                "isLegitimateInterest": False,
                "legitimateInterestSubscriptionTypes": [],
                "privacyPolicyText": "Our privacy policy.",
                "processingConsentCheckboxLabel": "I agree",
                "processingConsentFooterText": "",
                "processingConsentText": "We process your data.",
                "processingConsentType": "REQUIRED_CHECKBOX",
            },
        },
    }
    body.update(overrides)
    return body


def availability() -> dict[str, Any]:
    return {"allUsersBusyTimes": busy_times(), "linkAvailability": link_availability()}


def booking_response(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "start": "2026-12-01T14:00:00Z",
        "end": "2026-12-01T14:30:00Z",
        "duration": HALF_HOUR_MS,
        "subject": "Sales intro with Ana Lima",
        "bookingTimezone": "America/New_York",
        "calendarEventId": "evt-1",
        "contactId": "501",
        "guestEmails": ["ana@acme.com"],
        "isOffline": False,
        "formFields": [
            {"name": "company_size", "label": "Company size", "value": "1-10", "isCustom": True}
        ],
        "legalConsentResponses": [{"communicationTypeId": "99", "consented": True}],
        "locale": "en-us",
        "webConferenceMeetingId": "conf-1",
        "webConferenceUrl": "https://meet.example.invalid/conf-1",
        "futureField": {"added": "later"},
    }
    body.update(overrides)
    return body


def error_body(category: str, message: str = "Something failed", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "status": "error",
        "message": message,
        "correlationId": CORRELATION_ID,
        "category": category,
    }
    body.update(extra)
    return body
