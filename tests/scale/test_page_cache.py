"""With REDIS_URL the meeting-page list and page details are fetched by one worker and read by
the others; without Redis each process fetches its own and keeps serving."""

from __future__ import annotations

import logging

import httpx
import pytest

from bot.devtools.sandbox import SandboxConfig, create_sandbox_app
from bot.hubspot.client import HubSpotClient
from bot.hubspot.limiter import redis_client
from bot.meeting_pages import PageDirectory, RedisPageCache
from bot.metrics import Metrics
from tests.scale.conftest import REDIS_URL


def _requests(metrics: Metrics, operation: str) -> float:
    return sum(
        sample.value
        for family in metrics.hubspot_requests.collect()
        for sample in family.samples
        if sample.name.endswith("_total") and sample.labels["operation"] == operation
    )


def _worker(sandbox: httpx.ASGITransport, url: str, prefix: str, metrics: Metrics) -> PageDirectory:
    """One worker's page directory: its own HubSpot client and process cache, one Redis."""
    client = HubSpotClient(
        base_url="http://hubspot.sandbox.test",
        access_token=None,
        transport=sandbox,
        observer=metrics,
    )
    return PageDirectory(client, shared=RedisPageCache(redis_client(url), prefix=prefix))


async def test_two_workers_ask_hubspot_once_for_pages_and_details(redis_prefix: str) -> None:
    sandbox = httpx.ASGITransport(app=create_sandbox_app(SandboxConfig()))
    metrics = Metrics()
    first = _worker(sandbox, REDIS_URL, redis_prefix, metrics)
    second = _worker(sandbox, REDIS_URL, redis_prefix, metrics)
    pages = await first.pages()
    assert await second.pages() == pages
    assert _requests(metrics, "list") == 1
    slug = pages[0].slug
    info = await first.details(slug, "Europe/Lisbon")
    assert await second.details(slug, "Europe/Lisbon") == info
    assert _requests(metrics, "info") == 1
    # another time zone is another answer
    await second.details(slug, "Asia/Tokyo")
    assert _requests(metrics, "info") == 2
    # free slots are not shared: they change with every booking
    await first.availability(slug, "Europe/Lisbon")
    await second.availability(slug, "Europe/Lisbon")
    assert _requests(metrics, "availability") == 2


async def test_a_shared_entry_older_than_the_ttl_is_fetched_again(redis_prefix: str) -> None:
    sandbox = httpx.ASGITransport(app=create_sandbox_app(SandboxConfig()))
    metrics = Metrics()
    first = _worker(sandbox, REDIS_URL, redis_prefix, metrics)
    await first.pages()
    client = HubSpotClient(
        base_url="http://hubspot.sandbox.test",
        access_token=None,
        transport=sandbox,
        observer=metrics,
    )
    impatient = PageDirectory(
        client,
        pages_ttl_seconds=0.0,
        shared=RedisPageCache(redis_client(REDIS_URL), prefix=redis_prefix),
    )
    await impatient.pages()
    assert _requests(metrics, "list") == 2


async def test_without_redis_pages_still_load_with_one_warning(
    refused_redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    sandbox = httpx.ASGITransport(app=create_sandbox_app(SandboxConfig()))
    metrics = Metrics()
    directory = _worker(sandbox, refused_redis_url, "x:", metrics)
    with caplog.at_level(logging.WARNING, logger="bot.redis"):
        pages = await directory.pages()
        await directory.details(pages[0].slug, "UTC")
        await directory.details(pages[1].slug, "UTC")
    assert len(pages) > 1
    warnings = [r for r in caplog.records if r.name == "bot.redis"]
    assert len(warnings) == 1
    assert "meeting-page cache" in warnings[0].getMessage()
