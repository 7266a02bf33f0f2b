"""Booker's own dependencies fail: the ledger's database, Redis."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.devtools.sandbox import Fault
from tests.conftest import REDIS_URL, closed_port, ledger_statuses, start_booker
from tests.faults.helpers import GUEST, action_ids, text_of, tracebacks


class TcpProxy:
    """A TCP relay in front of a server; `cut()` closes it and every open link, as when a
    database host goes away (new connections are then refused)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.listen_port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        self.listen_port = self._server.sockets[0].getsockname()[1]
        return self.listen_port

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(self.host, self.port)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, up_writer}

        async def pump(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError, asyncio.CancelledError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pump(reader, up_writer), pump(up_reader, writer))

    async def cut(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()
        await self._server.wait_closed()


@contextlib.asynccontextmanager
async def proxied(url: str) -> AsyncIterator[tuple[str, TcpProxy]]:
    parsed = make_url(url)
    proxy = TcpProxy(parsed.host or "127.0.0.1", parsed.port or 5432)
    port = await proxy.start()
    try:
        yield parsed.set(port=port).render_as_string(hide_password=False), proxy
    finally:
        with contextlib.suppress(AssertionError, OSError):
            await proxy.cut()


async def test_postgresql_gone_at_submit_says_so_and_books_nothing(
    tmp_path: Path, fresh_postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with (
        proxied(fresh_postgres_url) as (url, proxy),
        start_booker(tmp_path, database_url=url) as booker,
    ):
        view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
        await proxy.cut()  # the database host is gone; reconnecting is refused
        answer = await booker.submit(view, GUEST)
        assert answer["response_action"] == "update"  # acked as ever
        result = await booker.result()
        assert result["title"]["text"] == booker.text("error.title")
        assert booker.text("error.store_unavailable") in text_of(result)
        assert "back_to_form" in action_ids(result)  # the form is one click away
        assert booker.sandbox.book_calls == 0
        assert booker.double.calls_to("chat.postMessage") == []
    assert await ledger_statuses(fresh_postgres_url) == []  # nothing half-done
    assert tracebacks(caplog) == []


async def test_postgresql_gone_while_hubspot_books_still_tells_the_truth(
    tmp_path: Path, fresh_postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with (
        proxied(fresh_postgres_url) as (url, proxy),
        start_booker(tmp_path, database_url=url) as booker,
    ):
        view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
        # HubSpot takes a second to answer; the database goes away meanwhile.
        booker.sandbox.inject(Fault(operation="book", kind="timeout", delay_seconds=1.0))
        await booker.submit(view, GUEST)
        await booker.until(lambda: booker.sandbox.book_calls == 1)
        await proxy.cut()
        result = await booker.result()
        assert result["title"]["text"] == booker.text("result.title")  # it IS booked
        cards = await booker.posted()
        assert len(cards) == 1 and "join_meeting" in str(cards[0]["blocks"])
        again = await booker.submit(view, GUEST)  # the same form again books nothing more
        if again["response_action"] == "update":  # else an inline error: the slot is taken
            assert booker.text("error.store_unavailable") in text_of(await booker.result())
        assert booker.sandbox.book_calls == 1 and len(booker.sandbox.bookings) == 1
    # The ledger could not hear the answer: the claim stays, so no second booking can start.
    assert await ledger_statuses(fresh_postgres_url) == ["pending"]
    assert tracebacks(caplog) == []


async def test_sqlite_folder_removed_at_submit_says_so_and_books_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    async with start_booker(tmp_path, database_url=f"sqlite:///{folder / 'ledger.db'}") as booker:
        view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
        shutil.rmtree(folder)
        # Pooled connections hold the deleted file open; a worker reconnecting finds nothing.
        await booker.services.store.close()
        await booker.submit(view, GUEST)
        result = await booker.result()
        assert result["title"]["text"] == booker.text("error.title")
        assert booker.text("error.store_unavailable") in text_of(result)
        assert booker.sandbox.book_calls == 0
        assert booker.double.calls_to("chat.postMessage") == []
        assert not folder.exists()  # no ledger file quietly created anew
    assert tracebacks(caplog) == []


async def test_redis_down_falls_back_to_the_in_process_limiter_and_books(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("WARNING")
    redis_url = f"redis://127.0.0.1:{closed_port()}/0"
    async with start_booker(tmp_path, settings={"REDIS_URL": redis_url}) as booker:
        view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
        await booker.submit(view, GUEST)
        assert (await booker.result())["title"]["text"] == booker.text("result.title")
        assert len(await booker.posted()) == 1
        assert await booker.statuses() == ["booked"]
        assert booker.sandbox.book_calls == 1
    assert tracebacks(caplog) == []
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("redis" in message.lower() for message in warnings), warnings


async def test_redis_gone_mid_run_keeps_booking_on_the_in_process_limiter(
    tmp_path: Path,
    fresh_postgres_url: str,
    redis_test_prefix: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("WARNING")
    async with proxied(REDIS_URL) as (redis_url, proxy):
        settings = {"REDIS_URL": redis_url, "BOOKBOT_REDIS_PREFIX": redis_test_prefix}
        async with start_booker(
            tmp_path, database_url=fresh_postgres_url, settings=settings
        ) as booker:
            view = await booker.open_modal("demo tomorrow 10am ana@acme.com")
            await proxy.cut()  # Redis goes away between the preview and the submission
            await booker.submit(view, GUEST)
            assert (await booker.result())["title"]["text"] == booker.text("result.title")
            assert len(await booker.posted()) == 1
            assert await booker.statuses() == ["booked"]
            assert booker.sandbox.book_calls == 1
    assert tracebacks(caplog) == []
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("redis" in message.lower() for message in warnings), warnings
