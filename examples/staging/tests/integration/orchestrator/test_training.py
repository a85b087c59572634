"""Training mode: one holder per tenant, every request audited on training.audit."""
from __future__ import annotations

import time
import uuid

import requests

from conftest import TIMEOUT, new_trace_id
from helpers import start_session, step


def training(orchestrator: str, action: str, tenant: str, who: str, trace_id: str | None = None) -> requests.Response:
    return requests.post(f"{orchestrator}/v1/training/{action}", json={"tenant": tenant, "requested_by": who}, headers={"X-Trace-Id": trace_id or new_trace_id()}, timeout=TIMEOUT)


def status(orchestrator: str, tenant: str) -> dict:
    res = requests.get(f"{orchestrator}/v1/training/status/{tenant}", timeout=TIMEOUT)
    assert res.status_code == 200
    return res.json()


def test_second_enable_is_409_and_both_are_audited(orchestrator, watch):
    tenant = f"qa-train-{uuid.uuid4().hex[:8]}"
    audit = watch("training.audit")
    assert status(orchestrator, tenant) == {"tenant": tenant, "enabled": False, "enabled_by": None, "since": None, "samples": 0}

    first, second = new_trace_id(), new_trace_id()
    res = training(orchestrator, "enable", tenant, "alice", trace_id=first)
    assert res.status_code == 200, res.text
    assert (res.json()["enabled"], res.json()["enabled_by"]) == (True, "alice")

    res = training(orchestrator, "enable", tenant, "bob", trace_id=second)
    assert res.status_code == 409, res.text
    conflict = res.json()
    assert conflict["error"] == "training_already_enabled"
    assert conflict["state"]["enabled_by"] == "alice"

    applied = audit.wait_for_trace(first)
    rejected = audit.wait_for_trace(second)
    assert applied.key == rejected.key == tenant
    assert {k: applied.payload[k] for k in ("tenant", "action", "actor", "outcome", "enabled")} == {"tenant": tenant, "action": "enable", "actor": "alice", "outcome": "applied", "enabled": True}
    assert {k: rejected.payload[k] for k in ("action", "actor", "outcome", "enabled", "enabled_by")} == {"action": "enable", "actor": "bob", "outcome": "rejected", "enabled": True, "enabled_by": "alice"}

    state = status(orchestrator, tenant)
    assert (state["enabled"], state["enabled_by"]) == (True, "alice")
    assert training(orchestrator, "disable", tenant, "alice").status_code == 200
    assert status(orchestrator, tenant)["enabled"] is False


def test_disable_when_off_is_409(orchestrator, watch):
    tenant = f"qa-train-{uuid.uuid4().hex[:8]}"
    audit = watch("training.audit")
    trace_id = new_trace_id()
    res = training(orchestrator, "disable", tenant, "carol", trace_id=trace_id)
    assert res.status_code == 409
    assert res.json()["error"] == "training_not_enabled"
    event = audit.wait_for_trace(trace_id)
    assert (event.payload["action"], event.payload["outcome"], event.payload["enabled"]) == ("disable", "rejected", False)


def test_answered_steps_become_training_samples_while_enabled(orchestrator, new_tenant):
    tenant = new_tenant()["tenant"]
    assert training(orchestrator, "enable", tenant, "dana").status_code == 200
    try:
        session = start_session(orchestrator, tenant).json()
        assert step(orchestrator, session["session_id"], "first question").status_code == 200
        assert step(orchestrator, session["session_id"], "second question").status_code == 200
        assert step(orchestrator, session["session_id"], "my password please").status_code == 403
        # The orchestrator's recorder counts them from conversation.events: two answered steps, not the denied one.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and status(orchestrator, tenant)["samples"] < 2:
            time.sleep(0.25)
        time.sleep(1)
        assert status(orchestrator, tenant)["samples"] == 2
    finally:
        training(orchestrator, "disable", tenant, "dana")


def test_enable_without_requester_is_400(orchestrator):
    res = requests.post(f"{orchestrator}/v1/training/enable", json={"tenant": "acme"}, timeout=TIMEOUT)
    assert res.status_code == 400
    assert "requested_by" in res.json()["message"]
