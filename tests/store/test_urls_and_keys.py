"""DATABASE_URL spellings, the unreachable-database message, and idempotency keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.store import (
    Preferences,
    Store,
    StoreError,
    StoreUnavailable,
    idempotency_key,
    resolve_database_url,
)


@pytest.mark.parametrize(
    ("given_url", "driver_url"),
    [
        ("sqlite:///bookbot.db", "sqlite+aiosqlite:///bookbot.db"),
        ("sqlite+aiosqlite:///data/x.db", "sqlite+aiosqlite:///data/x.db"),
        ("sqlite:////var/lib/bookbot.db", "sqlite+aiosqlite:////var/lib/bookbot.db"),
        ("postgresql://u:pw@db:5432/booker", "postgresql+asyncpg://u:pw@db:5432/booker"),
        ("postgres://u:pw@db/booker", "postgresql+asyncpg://u:pw@db/booker"),
        ("postgresql+asyncpg://u@db/booker", "postgresql+asyncpg://u@db/booker"),
        ("  postgresql://u@db/booker\n", "postgresql+asyncpg://u@db/booker"),
    ],
)
def test_accepted_spellings_use_the_async_drivers(given_url: str, driver_url: str) -> None:
    target = resolve_database_url(given_url)
    assert target.url.render_as_string(hide_password=False) == driver_url


def test_libpq_sslmode_and_options_become_asyncpg_settings() -> None:
    target = resolve_database_url(
        "postgres://u@db/booker?sslmode=require&options=-c%20search_path%3Dbookbot"
        "%20-cstatement_timeout%3D5s"
    )
    assert target.connect_args["ssl"] == "require"
    assert target.connect_args["server_settings"] == {
        "search_path": "bookbot",
        "statement_timeout": "5s",
    }
    assert dict(target.url.query) == {}


def test_the_displayed_url_hides_the_password() -> None:
    target = resolve_database_url("postgresql://booker:s3cret@db/booker")
    assert "s3cret" not in target.display
    assert target.display == "postgresql+asyncpg://booker:***@db/booker"


@pytest.mark.parametrize(
    "bad_url",
    [
        "",
        "   ",
        "not a url",
        "mysql://u@db/x",
        "postgresql+psycopg2://u@db/x",
        "sqlite+pysqlite://",
    ],
)
def test_unsupported_urls_are_refused_with_a_readable_reason(bad_url: str) -> None:
    with pytest.raises(StoreError, match="DATABASE_URL"):
        resolve_database_url(bad_url)


async def test_an_unreachable_postgres_is_reported_plainly() -> None:
    with pytest.raises(StoreUnavailable) as raised:
        await Store.open("postgresql://booker:s3cret@127.0.0.1:1/x")

    message = str(raised.value)
    assert "127.0.0.1:1" in message
    assert "connection refused" in message
    assert "DATABASE_URL" in message
    assert "s3cret" not in message
    assert "Traceback" not in message
    assert "\n" not in message


async def test_a_sqlite_file_in_a_missing_folder_is_reported_plainly(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable) as raised:
        await Store.open(f"sqlite:///{tmp_path / 'missing' / 'ledger.db'}")

    assert "unable to open database file" in str(raised.value)
    assert "\n" not in str(raised.value)


async def test_an_in_memory_sqlite_database_works_for_the_whole_store() -> None:
    store = await Store.open("sqlite://")
    try:
        await store.save_preferences(Preferences("T1", "U1", last_page_slug="demo"))
        assert await store.get_preferences("T1", "U1") == Preferences("T1", "U1", "demo")
    finally:
        await store.close()


def test_idempotency_key_is_the_view_id_plus_a_content_hash() -> None:
    key = idempotency_key("V0123ABC", {"when": "thu 4:30pm", "guest_email": "a@b.c"})

    prefix, digest = key.split(":")
    assert prefix == "V0123ABC"
    assert len(digest) == 64
    assert set(digest) <= set("0123456789abcdef")


def test_idempotency_key_changes_with_any_submitted_value_or_the_view() -> None:
    submitted = {"when": "thu 4:30pm", "duration": 30, "guest": {"email": "a@b.c"}}
    base = idempotency_key("V1", submitted)

    assert idempotency_key("V1", {**submitted, "duration": 45}) != base
    assert idempotency_key("V1", {**submitted, "guest": {"email": "x@b.c"}}) != base
    assert idempotency_key("V2", submitted) != base
    assert idempotency_key("V1", dict(submitted)) == base


@given(
    st.dictionaries(
        st.text(max_size=8),
        st.one_of(st.none(), st.integers(), st.text(max_size=12), st.lists(st.integers())),
        max_size=6,
    )
)
def test_idempotency_key_ignores_the_order_fields_arrive_in(submitted: dict[str, object]) -> None:
    reordered = dict(reversed(list(submitted.items())))
    assert idempotency_key("V1", reordered) == idempotency_key("V1", submitted)
