"""Every route that needs a token reads its body only after the token, on SQLite and PostgreSQL:
without one, garbage, JSON nested thousands deep and fields of the wrong type are all ``401``.

The routes are taken from the hub's own OpenAPI (every operation with a request body and a
bearer token), so a route added later is covered without editing this file.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from companion.hub import accounts
from tests.hub.helpers import LiveHub

GARBAGE = b"{\xff\x00 not JSON, not even UTF-8 " * 20
Trainer = tuple[str, accounts.Group]  # her token, her group
DEEP = b"[" * 3000 + b"]" * 3000
DEEP_OBJECT = b'{"a":' * 3000 + b"1" + b"}" * 3000


def wrong_types(operation: dict[str, Any]) -> bytes:
    """The body with every declared field of a type no schema here accepts (a nested list)."""
    content = operation["requestBody"]["content"]
    schema = content.get("application/json", {}).get("schema", {})
    fields = schema.get("properties") or {"x": None}
    return json.dumps({name: [[{"x": None}]] for name in fields}).encode()


def bodies(operation: dict[str, Any]) -> dict[str, bytes]:
    return {"garbage": GARBAGE, "deep list": DEEP, "deep object": DEEP_OBJECT,
            "wrong types": wrong_types(operation)}


def path_of(path: str, operation: dict[str, Any], group_id: int) -> str:
    """``path`` with each parameter filled with a value of its declared type."""
    for param in operation.get("parameters", []):
        if param["in"] != "path":
            continue
        name = param["name"]
        if param.get("schema", {}).get("type") == "integer":
            value = str(group_id)
        else:
            value = "a" * 64 if name == "sha256" else "x1"
        path = path.replace("{" + name + "}", value)
    return path


def operations_with_token_and_body(hub: LiveHub) -> list[tuple[str, str, dict[str, Any]]]:
    with hub.client() as c:
        spec = c.get("/openapi.json").json()
    return [(method.upper(), path, op) for path, item in spec["paths"].items()
            for method, op in item.items()
            if isinstance(op, dict) and "requestBody" in op and op.get("security")]


@pytest.fixture
def trainer_token(hub: LiveHub) -> Trainer:
    """The token of a trainer, and her group."""
    hub.add_trainer("tina")
    group = hub.create_group("Bakkers", "tina")
    return hub.device("tina").token, group


def send(client: httpx.Client, method: str, path: str, body: bytes,
         token: str | None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return client.request(method, path, content=body, headers=headers)


def test_the_routes_found_include_every_kind_of_body(hub: LiveHub) -> None:
    """The enumeration finds the routes it must: JSON bodies, hand-read bodies and byte
    bodies (if it found none, the test below would pass without testing anything)."""
    found = {(m, p) for m, p, _ in operations_with_token_and_body(hub)}
    assert {("POST", "/v1/groups/{group_id}/split"), ("POST", "/v1/comments/{comment_id}/hide"),
            ("POST", "/v1/groups/join"), ("POST", "/v1/media/missing"),
            ("POST", "/v1/devices/keys"), ("POST", "/v1/sync"),
            ("POST", "/v1/groups/{group_id}/packs"), ("PUT", "/v1/people/photo/{sha256}"),
            ("PUT", "/v1/media/{sha256}")} <= found
    # Public routes (login, registration, the courier) prove themselves by their body.
    assert ("POST", "/v1/auth/login") not in found and ("POST", "/v1/courier") not in found


@pytest.mark.parametrize("token", [None, "not-a-token"])
def test_any_body_without_a_valid_token_is_401(hub: LiveHub, trainer_token: Trainer,
                                               token: str | None) -> None:
    group_id = trainer_token[1].id
    wrong = []
    with httpx.Client(base_url=hub.url, timeout=30) as c:
        for method, path, op in operations_with_token_and_body(hub):
            url = path_of(path, op, group_id)
            for what, body in bodies(op).items():
                r = send(c, method, url, body, token)
                if r.status_code != 401 or r.json()["error"]["code"] != "unauthorized":
                    wrong.append(f"{method} {path} {what}: {r.status_code} {r.text[:120]}")
    assert wrong == []


def test_with_a_token_the_same_bodies_are_refused_as_bad_input(
        hub: LiveHub, trainer_token: Trainer) -> None:
    """The control: with the trainer's token the body is read, and a JSON route refuses these
    bodies as bad input (400 or 422), never with a 5xx; byte routes refuse them too."""
    token, group = trainer_token
    group_id = group.id
    wrong = []
    with httpx.Client(base_url=hub.url, timeout=30) as c:
        for method, path, op in operations_with_token_and_body(hub):
            url = path_of(path, op, group_id)
            is_json = "application/json" in op["requestBody"]["content"]
            for what, body in bodies(op).items():
                r = send(c, method, url, body, token)
                ok = r.status_code in (400, 422) if is_json else 400 <= r.status_code < 500
                if not ok or r.status_code == 401:
                    wrong.append(f"{method} {path} {what}: {r.status_code} {r.text[:120]}")
    assert wrong == []


def test_bad_bodies_keep_their_answers_with_a_token(hub: LiveHub,
                                                    trainer_token: Trainer) -> None:
    """The codes and messages a body read after the token gives are those FastAPI gave."""
    token, group = trainer_token
    group_id = group.id
    url = f"/v1/groups/{group_id}/split"
    with httpx.Client(base_url=hub.url, timeout=30) as c:
        cases = {
            GARBAGE: (400, "There was an error parsing the body"),
            b'{"into": 1': (422, "10: JSON decode error"),
            b"": (422, ": Field required"),
            b"{}": (422, "into: Field required"),
            b"[1]": (422, ": Input should be a valid dictionary or object to extract fields "
                          "from"),
            b'{"into": 1}': (422, "into: Input should be greater than or equal to 2"),
        }
        for body, (status, message) in cases.items():
            r = send(c, "POST", url, body, token)
            assert (r.status_code, r.json()["error"]) == \
                (status, {"code": "invalid", "message": message}), body
        # Not sent as JSON: validated as bytes, so refused, as before.
        r = c.post(url, content=b'{"into": 3}', headers={"Authorization": f"Bearer {token}",
                                                          "Content-Type": "text/plain"})
        assert r.status_code == 422
        for name in ("an", "bo"):
            hub.device(name, invite=group.invite_code)
        r = c.post(url, json={"into": 2}, headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 200, r.text
        assert len(r.json()["groups"]) == 2


def test_a_body_over_the_limit_is_413_before_the_token(hub: LiveHub) -> None:
    """The size bound comes first of all: a declared body over 1 MB is not read at all."""
    with httpx.Client(base_url=hub.url, timeout=30) as c:
        r = send(c, "POST", "/v1/groups/join", b"x" * (hub.settings.max_body_bytes + 1), None)
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"


def test_every_body_read_after_the_token_is_in_the_openapi(hub: LiveHub) -> None:
    """``Body(...)`` shows its model as the request body, with the statuses of a bad body."""
    with hub.client() as c:
        spec = c.get("/openapi.json").json()
    split = spec["paths"]["/v1/groups/{group_id}/split"]["post"]
    schema = split["requestBody"]["content"]["application/json"]["schema"]
    assert schema["required"] == ["into"] and schema["properties"]["into"]["minimum"] == 2
    join = spec["paths"]["/v1/groups/join"]["post"]
    assert {"400", "413", "422"} <= set(join["responses"])
