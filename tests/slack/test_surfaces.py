"""Every surface a person sees, rendered in pt-BR and es by the real code (flow, blocks, web
pages) against the sandbox: no catalog key missing, no English word from Booker's own strings,
and every word as bot/i18n/GLOSSARY.md says (never a form from its last column).

A new catalog key must show up on one of these surfaces (or in PLAIN_MESSAGES, for texts sent
as a plain message): the last test fails otherwise, so nothing escapes the checks.
"""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot import blocks as bk
from bot.booking import Preview as BookingPreview
from bot.booking import Refusal
from bot.config import Settings
from bot.devtools.sandbox import SandboxConfig, create_sandbox_app
from bot.flow import HUBSPOT_MESSAGE_KEYS, BookingFlow, FormValues, RequestMeta, _error_code_message
from bot.hubspot.errors import FieldProblem
from bot.i18n import LANGUAGES, Catalog, Translator
from bot.services import Services, build_services
from bot.web.html_pages import PAGES, render_page

GLOSSARY = Path(__file__).resolve().parents[2] / "bot" / "i18n" / "GLOSSARY.md"
NOW = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)  # a Wednesday
SLACK_LOCALES = {"pt": "pt-BR", "es": "es-419"}
# English words that must never reach a pt-BR or es person from Booker's own strings.
STOP_WORDS = frozenset(
    [
        "the",
        "and",
        "with",
        "book",
        "booked",
        "booking",
        "bookings",
        "join",
        "meeting",
        "meetings",
        "guest",
        "guests",
        "free",
        "busy",
        "done",
        "close",
        "cancel",
        "please",
        "nothing",
        "try",
        "again",
        "list",
        "help",
        "when",
        "duration",
        "refused",
        "details",
        "time",
        "check",
        "slot",
        "slots",
        "could",
        "not",
        "your",
        "you",
        "this",
        "that",
        "is",
        "are",
        "was",
        "click",
        "open",
        "type",
        "press",
        "select",
        "choose",
        "email",
        "workspace",
        "card",
        "invite",
        "connect",
        "reconnect",
        "install",
        "installed",
        "sign",
        "here",
        "pick",
        "upcoming",
        "sorry",
        "confirm",
        "confirmed",
    ]
)
# Names Booker does not translate; sample data in these tests uses no English words.
KEEP = ("Booker", "HubSpot", "Slack", "/book", "/invite", "@Booker")
# Catalog texts sent as plain (ephemeral or DM) messages, checked as they are.
PLAIN_MESSAGES = (
    "error.modal_expired",
    "error.store_unavailable",
    "error.text_too_long",
    "error.field_too_long",
    "error.slow_down",
    "oauth.not_installed",
    "calendar.not_found",
    "calendar.not_booked",
    "calendar.failed",
    "card.posted_to",
    "reminder.moved.joined",
    "reminder.moved.dm",
    "reminder.moved.too_far",
    "workflow.error.no_free_slots",
    "workflow.error.pick_expired",
    "workflow.error.could_not_ask",
)


class _Sample(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "<#C0SALES>" if key in {"channel", "where"} else "https://booker.example.com/ 3"


class Recording(Mapping[str, str]):
    """A catalog that notes every key read, so the test knows what it has rendered."""

    def __init__(self, messages: Mapping[str, str], used: set[str]) -> None:
        self._messages = messages
        self.used = used

    def __getitem__(self, key: str) -> str:
        self.used.add(key)
        return self._messages[key]  # KeyError: a key missing in this language

    def __iter__(self) -> Iterator[str]:
        return iter(self._messages)

    def __len__(self) -> int:
        return len(self._messages)


@dataclass
class Rendered:
    language: str
    surfaces: dict[str, list[str]]  # surface name -> its texts
    used: set[str]


def texts_of(node: Any) -> Iterator[str]:
    """Every string a person can see in Slack JSON: texts, labels, placeholders, options,
    accessibility labels, notification text."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in {"text", "accessibility_label"} and isinstance(value, str):
                yield value
            elif key not in {"action_id", "block_id", "value", "url", "callback_id", "type"}:
                yield from texts_of(value)
    elif isinstance(node, list):
        for item in node:
            yield from texts_of(item)


def visible_words(text: str) -> list[str]:
    """The words of a text as a person reads them: Slack tokens (<…>), emoji names, date tokens
    and Booker's own names removed; code spans kept (help shows commands that way)."""
    text = html.unescape(re.sub(r"<[^>]*>", " ", text))
    text = re.sub(r":[a-z0-9_+-]+:", " ", text)
    for name in KEEP:
        text = text.replace(name, " ")
    return re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", text)


# --- the glossary ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Term:
    concept: str
    use: str
    never: tuple[str, ...]
    keys: tuple[str, ...]


def glossary() -> dict[str, list[Term]]:
    tables: dict[str, list[Term]] = {}
    language = ""
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^## (\S+)", line)
        if heading:
            language = {"en": "en", "pt-BR": "pt", "es": "es"}[heading.group(1)]
            tables[language] = []
            continue
        cells = [cell.strip().replace("\\*", "*") for cell in line.strip().strip("|").split("|")]
        if not language or len(cells) != 4 or cells[0] in {"concept", "---"}:
            continue
        tables[language].append(
            Term(
                concept=cells[0],
                use=cells[1],
                never=tuple(w.strip() for w in cells[2].split(",") if w.strip()),
                keys=tuple(k.strip() for k in cells[3].split(",") if k.strip()),
            )
        )
    return tables


def never_pattern(word: str) -> re.Pattern[str]:
    if word.endswith("*"):
        return re.compile(rf"(?<!\w){re.escape(word[:-1])}\w*", re.IGNORECASE)
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)


# --- rendering every surface -----------------------------------------------------------------
@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    sandbox = create_sandbox_app(SandboxConfig(clock=lambda: NOW))
    transport = httpx.ASGITransport(app=sandbox)
    settings = Settings(
        DATABASE_URL=f"sqlite:///{tmp_path / 'ledger.db'}",
        HUBSPOT_BASE_URL="http://hubspot.sandbox.test",
        HUBSPOT_ACCESS_TOKEN=SandboxConfig().access_token or "sandbox",
    )
    built = await build_services(settings, hubspot_transport=transport, clock=lambda: NOW)
    try:
        yield built
    finally:
        await built.aclose()
        await transport.aclose()


def recording_flow(flow: BookingFlow, language: str, used: set[str]) -> BookingFlow:
    """The same flow, whose translator records the keys it reads."""
    messages = Recording(flow.catalog.messages_by_language[language], used)
    recorded = Catalog({**flow.catalog.messages_by_language, language: messages})
    copy = BookingFlow(flow.booking, flow.pages, flow.store, recorded)
    copy.card_guest_email = flow.card_guest_email
    return copy


async def render_everything(services: Services, language: str) -> Rendered:
    used: set[str] = set()
    flow = recording_flow(services.flow, language, used)
    surfaces: dict[str, list[str]] = {}

    def add(name: str, node: Any) -> None:
        surfaces[name] = list(texts_of(node)) if not isinstance(node, str) else [node]

    meta = RequestMeta(
        team_id="T0", user_id="U0DANI", channel_id="C0SALES", thread_ts=None,
        tz="America/Sao_Paulo", locale=SLACK_LOCALES[language],
    )  # fmt: skip
    t: Translator = flow.translator(meta)
    assert t.language == language
    words = {"pt": ("amanhã", "ontem"), "es": ("mañana", "ayer")}[language]
    tomorrow, yesterday = words
    saturday = {"pt": "sábado", "es": "sábado"}[language]

    async def form(text: str) -> FormValues:
        return await flow.prefill(text, meta)

    # The modal: empty, as opened (checking), and each preview the page can give.
    add("modal.empty", flow.quick_form(FormValues(), meta))
    add(
        "modal.opening",
        flow.quick_form(await form(f"demo {tomorrow} 12h ana.souza@acme.com"), meta),
    )
    add("modal.opening_day", flow.quick_form(await form(f"demo {tomorrow}"), meta))
    for name, text in (
        ("free", f"demo {tomorrow} 12h ana.souza@acme.com"),
        ("busy", f"demo {tomorrow} 12:05"),
        ("closed", f"demo {tomorrow} 3h"),
        ("day", f"demo {tomorrow}"),
        ("past", f"demo {yesterday} 10h"),
        ("unreadable", "demo xyzzy plugh"),
        ("no_page", f"{tomorrow} 12h"),
    ):
        add(f"modal.{name}", await flow.full_form(await form(text), meta))
    add("modal.closed_day", await flow.full_form(await form(f"demo {saturday}"), meta))
    # The strict reading's refusals (issue 11): in the preview, and on submit.
    refusals = {
        "pt": ("31 de setembro às 11h", "29 de fevereiro às 10h", "13/13 às 10h",
               "amanhã às 27h", "amanhã blorf às 10h", "quinat às 10h",
               "amanhã às 15h ou 16h", "segunda 8/12 às 10h"),
        "es": ("31 de septiembre a las 9", "29 de febrero a las 10", "13/13 a las 10",
               "mañana a las 27", "mañana blorf a las 10", "jeuves a las 10",
               "mañana a las 3 o a las 4", "lunes 8/12 a las 10"),
    }[language]  # fmt: skip
    for number, words in enumerate(refusals):
        refused = await form(f"demo {words} ana.souza@acme.com")
        add(f"modal.refused.{number}", await flow.full_form(refused, meta))
        checked = await flow.validate(replace(refused, guest_first_name="Ana"), meta, view_id="V7")
        add(f"errors.refused.{number}", checked.errors)
    checked = await flow.validate(
        replace(await form(f"demo {saturday} ana.souza@acme.com"), guest_first_name="Ana"),
        meta,
        view_id="V9",
    )
    add("errors.closed_day", checked.errors)
    # Previews HubSpot gives less often: other readings, busy with nothing near, no answer.
    typed = replace(await form(f"demo {tomorrow} 12h"), slug="demo")
    parsed = flow.booking.parse(typed.when_text, tz="America/Sao_Paulo", locale=meta.locale)
    assert parsed.start is not None
    end = parsed.start + timedelta(minutes=30)
    later = replace(parsed, alternatives=(parsed.start + timedelta(days=1),))
    for name, preview in (
        ("alternatives", BookingPreview(later, start=parsed.start, end=end, free=True)),
        ("nothing_near", BookingPreview(parsed, start=parsed.start, end=end, free=False)),
        ("unchecked", BookingPreview(parsed, start=parsed.start, end=end, free=None)),
    ):
        shown = flow._preview_blocks(preview, typed, meta, t)
        add(
            f"preview.{name}",
            bk.booking_modal(bk.ModalState(preview=shown), t, private_metadata=""),
        )
    # A day without a time: with no page yet, and when HubSpot cannot list the day.
    add("modal.day_no_page", await flow.full_form(await form(tomorrow), meta))
    checked = await flow.validate(await form(tomorrow), meta, view_id="V8")
    add("errors.day_no_page", checked.errors)
    day = flow.booking.parse(tomorrow, tz="America/Sao_Paulo", locale=meta.locale)
    unknown_day = BookingPreview(day, check_error="server")
    shown = flow._preview_blocks(unknown_day, typed, meta, t)
    add(
        "preview.day_unchecked",
        bk.booking_modal(bk.ModalState(preview=shown), t, private_metadata=""),
    )
    # Longer durations and a yes/no question.
    state = bk.ModalState(
        durations=(30, 90),
        form_fields=(bk.FormFieldSpec("newsletter", "Boletim", False, "booleancheckbox"),),
    )
    add("modal.durations", bk.booking_modal(state, t, private_metadata=""))
    # A page's own question and a required consent.
    consent_form = replace(await form(f"{tomorrow} 12h"), slug="sales-intro", page_name="Vendas")
    add("modal.consent", await flow.full_form(consent_form, meta))
    add(
        "modal.thread",
        flow.quick_form(FormValues(), replace(meta, thread_ts="1.2")),
    )
    # Inline errors on submit.
    checked = await flow.validate(FormValues(when_text=""), meta, view_id="V0")
    add("errors.empty", checked.errors)
    checked = await flow.validate(
        replace(consent_form, guest_email="x", when_text=tomorrow), meta, view_id="V1"
    )
    add("errors.page", checked.errors)
    # Book for real on the sandbox, then everything that follows.
    good = replace(await form(f"demo {tomorrow} 12h ana.souza@acme.com"), post_to="C0SALES")
    checked = await flow.validate(good, meta, view_id="V2")
    assert checked.submission is not None, checked.errors
    add("progress", flow.progress_view(good, meta))
    outcome = await flow.book(checked.submission, meta)
    assert outcome.status == "booked"
    add("result", await flow.result_view(outcome, good, meta))
    text, card = flow.card(outcome, meta)
    add("card", {"text": text, "blocks": card})
    flow.sandbox = True  # `bookbot run --sandbox`: the card says the meeting is not in HubSpot
    text, card = flow.card(outcome, meta)
    add("card.sandbox", {"text": text, "blocks": card})
    flow.sandbox = False
    reminder = flow.reminder(outcome, meta, 10)
    assert reminder is not None
    add("reminder", {"text": reminder.text, "blocks": reminder.blocks})
    add("list", await flow.list_message(meta))
    add("home", await flow.home_view(meta))
    prompt = bk.HubSpotPrompt(url="https://booker.example.com/hubspot/install")
    home = bk.home_view(t, [], can_book=False)
    add("home.connect", bk.with_hubspot_prompt(home, t, prompt))
    add("home.reconnect", bk.hubspot_connect_modal(t, replace(prompt, broken=True)))
    add("help", flow.help_message(meta))
    add("dm.could_not_post", flow.could_not_post(meta, "C0SALES"))
    calendar = await flow.calendar_file(outcome.record.key, meta)
    assert not isinstance(calendar, str)
    add("calendar", [calendar.comment, calendar.content.decode()])
    add("list.empty", bk.booking_list_blocks(t, []))
    onsite = replace(flow.card_for(outcome.record), web_conference_url=None, location="Rua 1")
    add("card.onsite", bk.booking_card(onsite, t))
    many = [flow.card_for(outcome.record)] * 3
    add("list.more", bk.booking_list_blocks(t, many, limit=1))
    # Failure views: each HubSpot failure, the unknown outcome and its re-check.
    back = flow.back_metadata(good, meta)
    for code in (*HUBSPOT_MESSAGE_KEYS, "validation", "surprise"):
        message = _error_code_message(t, code, "HubSpot refused the booking details.")
        add(f"error.{code}", bk.error_modal(t, message, back_metadata=back))
    unknown = await services.store.get(outcome.record.key)
    assert unknown is not None
    add(
        "unknown",
        await flow.result_view(
            replace(outcome, record=replace(unknown, status="unknown")), good, meta
        ),
    )
    # HubSpot's refusals of the details: on the fields they name, or quoted with the reference
    # (HubSpot's own words here are a neutral sample: they are HubSpot's, not Booker's).
    problems = (
        FieldProblem("email", "INVALID_EMAIL_GUESTS", "42"),
        FieldProblem("duration", "INVALID_DURATION", "42"),
        FieldProblem("firstName", "REQUIRED", "42"),
        FieldProblem("timezone", "SOMETHING_NEW", "42"),
        FieldProblem("legalConsentResponses", "LEGAL_CONSENT_REQUIRED", "42"),
        FieldProblem("lastName", "INVALID_OPTION", "42"),
        FieldProblem(None, None, "42"),
    )
    add("refused.form", await flow.full_form(good, meta, refusal=Refusal(problems, "c-1")))
    unplaced = Refusal((FieldProblem(None, None, "42"),), "c-1").to_json()
    add("refused.unplaced", _error_code_message(t, "validation", unplaced))
    record = outcome.record
    add(
        "recheck",
        await flow.recheck_view(record.key, back, team_id=record.team_id, user_id=record.user_id),
    )
    for key in ("recheck.taken", "recheck.free"):
        add(key, bk.outcome_unknown_modal(t, t.t(key), back_metadata=back, booking_key="k"))
    await render_workflow_and_unfurl(add, flow, meta, t, tomorrow)
    # A booking interrupted by a restart (bot/followup.py): in the modal, else by DM, and the
    # DM's answers to Check again.
    interrupted = t.t(
        "reconcile.unknown",
        page="Demo",
        when=t.format_slot(outcome.record.start, "America/Sao_Paulo"),
        guest="Ana Souza",
    )
    add(
        "reconcile.modal",
        bk.outcome_unknown_modal(t, interrupted, back_metadata=back, booking_key="k"),
    )
    add("reconcile.dm", bk.unfinished_booking_message(t, interrupted, booking_key="k")[1])
    taken = t.t("recheck.taken_posted", channel=bk.channel_mention("C0SALES"))
    add("recheck.taken_posted", bk.unfinished_booking_message(t, taken, booking_key=None)[1])
    add(
        "recheck.free_dm",
        bk.unfinished_booking_message(t, t.t("recheck.free_dm"), booking_key="k")[1],
    )
    for key in PLAIN_MESSAGES:
        # Any {placeholder} filled with a neutral sample (a link, a number).
        add(key, t.messages[key].format_map(_Sample()))
    # The web pages (install and Connect HubSpot), each reason.
    for kind, page in PAGES.items():
        for reason in sorted(page.reasons) or [""]:
            page_html = render_page(
                kind, SLACK_LOCALES[language], reason=reason, team_name="Acme",
                hub_domain="acme.hubspot.com", link_url="https://booker.example.com/",
            )  # fmt: skip
            body = re.sub(r"<style>.*?</style>", " ", page_html, flags=re.S)
            add(f"web.{kind}.{reason}", html.unescape(re.sub(r"<[^>]+>", "\n", body)))
            used.update(
                key
                for key in flow.catalog.messages_by_language[language]
                if key.startswith("web.")
                and (
                    key in {page.title, page.heading, page.link, "web.reference"}
                    or key == page.body.format(reason=reason or page.default_reason)
                )
            )
    return Rendered(language, surfaces, used)


async def render_workflow_and_unfurl(
    add: Any, flow: BookingFlow, meta: RequestMeta, t: Translator, tomorrow: str
) -> None:
    """The Workflow Builder step's slot DM, what replaces it, each reason the step fails; a
    pasted meeting link's unfurl (with and without free times)."""
    from bot.unfurl_blocks import PageUnfurl, unfurl_blocks
    from bot.unfurls import LinkUnfurler
    from bot.workflow_blocks import booked_text, failed_text
    from bot.workflow_step import AskToPick, Failed, StepInputs, WorkflowStep

    step = WorkflowStep(flow, pick_minutes=60)
    base = StepInputs(
        slug="demo", when_text="xyzzy plugh", guest_email="ana.souza@acme.com",
        guest_first_name="Ana", guest_last_name="Souza", booked_by="U0DANI",
    )  # fmt: skip
    cases = {
        "unreadable": base,
        "past": replace(base, start=NOW - timedelta(days=1)),
        "taken": replace(base, when_text=f"{tomorrow} 3h"),
        "inputs": replace(base, slug="", guest_email="x", guest_last_name=""),
        "answers": replace(base, slug="sales-intro"),
        "consent": replace(base, slug="sales-intro", answers={"company_size": "1-10"}),
    }
    for name, inputs in cases.items():
        result = await step.run(f"Fx{name}", inputs, meta)
        assert isinstance(result, AskToPick | Failed), (name, result)
        if isinstance(result, AskToPick):
            add(f"workflow.{name}", {"text": result.text, "blocks": result.blocks})
        else:
            add(f"workflow.{name}", result.message)
    add("workflow.booked", booked_text(t, "Demo", NOW, "America/Sao_Paulo"))
    add("workflow.failed", failed_text(t, t.t("error.hubspot.page_not_found")))
    unfurled = await LinkUnfurler(flow).unfurl("https://meetings.hubspot.com/demo", t)
    assert unfurled is not None
    add("unfurl", unfurled.unfurl)
    closed = PageUnfurl("https://x", "demo", "Demo", "Ana Souza", (30,), ())
    add("unfurl.closed", unfurl_blocks(t, closed))


@pytest.fixture
async def rendered(services: Services, request: pytest.FixtureRequest) -> Rendered:
    return await render_everything(services, request.param)


LANGS = pytest.mark.parametrize("rendered", ["pt", "es"], indirect=True)


def booker_words(rendered: Rendered) -> Iterator[tuple[str, str, str]]:
    """(surface, text, word) for every word, minus the sample data this test typed."""
    sample = {"Ana", "Souza", "Acme", "acme", "com", "demo", "Demo", "Product", "Vendas", "x"}
    for surface, texts in rendered.surfaces.items():
        for text in texts:
            for word in visible_words(text):
                if word not in sample:
                    yield surface, text, word


@LANGS
def test_no_english_word_reaches_a_pt_or_es_person(rendered: Rendered) -> None:
    english = {
        (surface, word)
        for surface, text, word in booker_words(rendered)
        if word.casefold() in STOP_WORDS
        # HubSpot's page names and legal texts are the customer's, not Booker's.
        and not surface.startswith("modal.consent")
        and not surface.startswith("calendar")
    }
    assert english == set()


@LANGS
def test_every_surface_follows_the_glossary(rendered: Rendered, catalog: Catalog) -> None:
    terms = glossary()[rendered.language]
    wrong = []
    for term in terms:
        for word in term.never:
            pattern = never_pattern(word)
            for surface, texts in rendered.surfaces.items():
                if surface.startswith(("modal.consent", "calendar")):
                    continue
                wrong += [(surface, word, text) for text in texts if pattern.search(text)]
    assert wrong == []


@pytest.mark.parametrize("language", ["en", "pt", "es"])
def test_catalog_texts_use_the_glossary_words(catalog: Catalog, language: str) -> None:
    messages = catalog.messages_by_language[language]
    problems = []
    for term in glossary()[language]:
        for key in term.keys:
            forms = [form.strip().casefold() for form in term.use.split("/")]
            if not any(form in messages[key].casefold() for form in forms):
                problems.append((key, term.use, messages[key]))
        for word in term.never:
            pattern = never_pattern(word)
            problems += [
                (key, word, text)
                for key, text in messages.items()
                if pattern.search(re.sub(r"\{\w+\}", " ", text))  # not the {placeholders}
            ]
    assert problems == []


@LANGS
def test_every_catalog_key_is_rendered_on_some_surface(
    rendered: Rendered, catalog: Catalog
) -> None:
    keys = set(catalog.messages_by_language[rendered.language])
    unrendered = sorted(keys - rendered.used)
    assert unrendered == [], (
        f"{unrendered}: "
        "these keys are on no surface this test renders: add them to render_everything "
        "(or to PLAIN_MESSAGES)"
    )


@LANGS
def test_help_shows_commands_that_work_in_that_language(rendered: Rendered) -> None:
    commands = re.findall(r"`/book (\w+)`", "\n".join(rendered.surfaces["help"]))
    assert commands and all(BookingFlow.subcommand(word) for word in commands)
    assert not {"list", "help"} & set(commands)


@LANGS
def test_zone_labels_and_checking_state_in_the_persons_language(rendered: Rendered) -> None:
    opening = "\n".join(rendered.surfaces["modal.opening"])
    checking = {"pt": "Verificando se", "es": "Comprobando si"}[rendered.language]
    assert checking in opening and "São Paulo (UTC−3)" in opening
    assert "America/" not in "\n".join(t for texts in rendered.surfaces.values() for t in texts)


def test_languages_are_the_three_the_catalog_ships() -> None:
    assert set(LANGUAGES) == {"en", "pt", "es"}
    assert set(glossary()) == {"en", "pt", "es"}
