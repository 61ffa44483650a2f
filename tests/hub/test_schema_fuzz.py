"""Schemathesis against a real hub's OpenAPI: generated requests, as a learner and as a trainer,
both requests that fit the schema and requests that break it.

No answer may be a 5xx, and every status the hub answers must be listed in its schema. The
examples are bounded and derandomized (the same ones every run), so the test is repeatable and
stays well under a minute on both databases together.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from tests.hub.helpers import LiveHub

# Examples per operation: requests that fit the schema, and requests that break it.
EXAMPLES = {GenerationMode.POSITIVE: 10, GenerationMode.NEGATIVE: 8}
# Logging out would revoke the token the other operations run with.
SKIPPED = {("POST", "/v1/auth/logout")}


def _run_operation(operation: Any, call: Callable[[Any], None],
                   mode: GenerationMode = GenerationMode.POSITIVE) -> None:
    @hypothesis.settings(max_examples=EXAMPLES[mode], derandomize=True, database=None,
                         deadline=None, phases=[Phase.explicit, Phase.generate],
                         suppress_health_check=list(HealthCheck))
    @hypothesis.given(case=operation.as_strategy(mode))
    def run(case: Any) -> None:
        call(case)

    try:
        run()
    except hypothesis.errors.Unsatisfiable:
        # An operation without parameters or body has no request that breaks its schema.
        assert mode is GenerationMode.NEGATIVE


@pytest.mark.timeout(120)
@pytest.mark.parametrize("role", ["learner", "trainer"])
def test_generated_requests_get_no_5xx_and_documented_statuses(hub: LiveHub, role: str) -> None:
    """Every operation of the schema, fuzzed: no 5xx, only statuses the schema declares."""
    hub.add_trainer("trainer")
    group = hub.create_group("Bakers Ghent", "trainer")
    device = hub.device("trainer") if role == "trainer" else \
        hub.device("alice", invite=group.invite_code)
    headers = {"Authorization": f"Bearer {device.token}"}
    schema = schemathesis.openapi.from_url(f"{hub.url}/openapi.json")
    checks = [not_a_server_error, status_code_conformance]
    seen = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue
        seen += 1
        for mode in EXAMPLES:
            _run_operation(operation, lambda case: case.call_and_validate(
                base_url=hub.url, headers=headers, checks=checks, timeout=30), mode)
    assert seen >= 15
