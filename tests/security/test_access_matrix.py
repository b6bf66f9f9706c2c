"""The access matrix: every route × every actor × an object of their own unit and of another unit.

Routes come from the app's URL map, so a new route without a line in `routes.ROUTES` fails here
until someone decides who may use it. Allowed actors must get through (no 401/403/404, no login
page, no server error); everyone else must be refused.
"""
from __future__ import annotations

import json

import pytest

from tests.conftest import Browser
from tests.security.routes import ROUTES, SIMULATOR_PREFIX
from tests.security.world import ACTORS

REFUSED = {401, 403, 404}


def _fill(value, ids: dict):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


def _call(world, endpoint: str, actor: str, side: str):
    res = _send(world, endpoint, actor, side)
    if ROUTES[endpoint].fresh and res.status_code < 400:
        world.relogin(actor)  # a logout ends every session and token of the account
    return res


def _send(world, endpoint: str, actor: str, side: str):
    route, ids = ROUTES[endpoint], world.ids[side]
    client, csrf = world.web[actor], world.csrf[actor]
    if route.fresh and actor != "anonymous":
        client, csrf = _fresh_login(world, actor)
    if route.prepare:
        ids = ids | getattr(world, route.prepare)(side)
    path, data, headers = route.path.format(**ids), _fill(route.data, ids), {}
    if endpoint.startswith("api."):
        if actor in world.tokens:
            headers["Authorization"] = f"Bearer {world.tokens[actor]}"
        body = json.dumps(data) if route.method != "GET" else None
        return client.open(path, method=route.method, data=body, headers=headers,
                           content_type="application/json" if body else None)
    if route.method == "GET":
        return client.get(path)
    return client.open(path, method=route.method, data=data | {"csrf_token": csrf})


def _fresh_login(world, actor: str):
    if actor == "applicant":
        from tests.applicant_helpers import Applicant

        applicant = Applicant(world.app, register=False)
        res = applicant.post("/cong-dan/dang-nhap", {"email": "an@example.vn", "password": "matkhau123"})
        assert res.status_code == 302
        return applicant.client, applicant.token
    browser = Browser(world.app, actor)
    return browser.client, browser.token


def _outcome(res) -> str:
    if res.status_code >= 500:
        return f"ERROR {res.status_code}"
    location = res.headers.get("Location", "")
    if res.status_code in REFUSED or (res.status_code in (302, 303) and "next=" in location):
        return "refused"  # refused outright, or sent to log in first
    return "allowed"


def test_every_route_of_the_app_is_in_the_access_matrix(world):
    endpoints = {rule.endpoint for rule in world.app.url_map.iter_rules()}
    missing = sorted(e for e in endpoints - set(ROUTES) if not e.startswith(SIMULATOR_PREFIX))
    stale = sorted(set(ROUTES) - endpoints)
    assert not missing, (f"Routes without a line in tests/security/routes.py: {missing}. Classify each: "
                         "who may use it (anonymous, applicant, desk, specialist, leader, analyst, admin, "
                         "supervisor, API token) on an object of their own unit and of another unit.")
    assert not stale, f"tests/security/routes.py lists routes the app no longer has: {stale}"


@pytest.mark.parametrize("endpoint", list(ROUTES))
def test_each_actor_gets_exactly_the_access_the_matrix_gives(world, endpoint):
    """Every actor on side A's object then side B's: allowed ones get through, the rest are refused."""
    route = ROUTES[endpoint]
    wrong = []
    sides = "AB" if route.on_b is not None else "A"
    order = sorted(ACTORS, key=lambda actor: actor in route.who("A"))  # refusals first: they change nothing
    for side in sides:
        for actor in order:
            res = _call(world, endpoint, actor, side)
            expected = "allowed" if actor in route.who(side) else "refused"
            got = _outcome(res)
            if got != expected:
                wrong.append(f"{actor} on {side}: expected {expected}, got {res.status_code} "
                             f"{res.headers.get('Location', '')}")
    assert not wrong, f"{endpoint} {route.method} {route.path}:\n  " + "\n  ".join(wrong)
