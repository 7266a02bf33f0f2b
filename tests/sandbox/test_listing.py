"""GET /meeting-links: paging, filters, parameter errors."""

from __future__ import annotations

import httpx

from tests.sandbox.conftest import API, ClientFactory


async def test_listing_pages_through_every_meeting_page_once(client: httpx.AsyncClient) -> None:
    first = await client.get(API)
    assert first.status_code == 200
    body = first.json()
    assert len(body["results"]) == 20
    assert body["total"] > 20
    after = body["paging"]["next"]["after"]

    second = (await client.get(API, params={"after": after})).json()
    assert "paging" not in second, "the last page has no next cursor"
    slugs = [page["slug"] for page in body["results"] + second["results"]]
    assert len(slugs) == body["total"] == len(set(slugs))
    assert {"demo", "sales-intro", "onsite-visit"} <= set(slugs)


async def test_limit_is_honoured_and_next_link_keeps_filters(client: httpx.AsyncClient) -> None:
    body = (await client.get(API, params={"limit": 2, "type": "PERSONAL_LINK"})).json()
    assert len(body["results"]) == 2
    assert body["paging"]["next"]["after"] == "2"
    next_link = body["paging"]["next"]["link"]
    assert "type=PERSONAL_LINK" in next_link and "after=2" in next_link
    following = (await client.get(next_link)).json()
    assert following["results"][0]["slug"] not in {page["slug"] for page in body["results"]}


async def test_filters_by_name_type_and_organizer(client: httpx.AsyncClient) -> None:
    demo = (await client.get(API, params={"name": "product demo"})).json()
    assert [page["slug"] for page in demo["results"]] == ["demo"]

    round_robin = (await client.get(API, params={"type": "ROUND_ROBIN_CALENDAR"})).json()
    assert round_robin["total"] > 0
    assert {page["type"] for page in round_robin["results"]} == {"ROUND_ROBIN_CALENDAR"}

    organizer = demo["results"][0]["organizerUserId"]
    by_organizer = (await client.get(API, params={"organizerUserId": organizer})).json()
    assert {page["organizerUserId"] for page in by_organizer["results"]} == {organizer}


async def test_bad_paging_parameters_are_refused(client: httpx.AsyncClient) -> None:
    for params in ({"limit": "0"}, {"limit": "many"}, {"after": "-1"}, {"type": "TEAM"}):
        response = await client.get(API, params=params)
        assert response.status_code == 400, params
        body = response.json()
        assert body["category"] == "VALIDATION_ERROR"
        assert body["errors"][0]["in"] == next(iter(params))


async def test_ids_and_calendars_are_deterministic_for_a_seed(make_client: ClientFactory) -> None:
    first = (await make_client(seed=7).get(API)).json()
    again = (await make_client(seed=7).get(API)).json()
    other = (await make_client(seed=8).get(API)).json()
    assert first == again
    assert [page["id"] for page in first["results"]] != [page["id"] for page in other["results"]]
