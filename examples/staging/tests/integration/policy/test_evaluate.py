"""The policy engine decides deterministically from the tenant's constitution and records every decision."""
from __future__ import annotations

import os
import uuid
from datetime import datetime

import pytest
import requests

from conftest import TIMEOUT, new_trace_id


def evaluate(policy_engine: str, tenant: str, prompt: str, role: str = "user", trace_id: str | None = None, session_id: str | None = None) -> requests.Response:
    body = {"session_id": session_id or f"pytest-{uuid.uuid4().hex[:12]}", "tenant": tenant, "user": "pytest", "prompt": prompt, "role": role}
    return requests.post(f"{policy_engine}/v1/evaluate", json=body, headers={"X-Trace-Id": trace_id or new_trace_id()}, timeout=TIMEOUT)


def test_benign_prompt_is_allowed(policy_engine, new_tenant):
    bundle = new_tenant()
    res = evaluate(policy_engine, bundle["tenant"], "What are the opening hours of the support desk?")
    assert res.status_code == 200, res.text
    body = res.json()
    # SMOKE_FAIL=1 turns this one expectation around, so the suite has exactly one real, deterministic
    # failure for smoke-suite's failure path.
    expected_allowed = os.environ.get("SMOKE_FAIL") != "1"
    assert body["allowed"] is expected_allowed
    assert body["score"] == 0
    assert body["severity"] == "none"
    assert body["reasons"] == {"constitution_hash": bundle["hash"], "constitution_version": 1, "policy": "default", "matched_rules": []}
    assert res.headers["X-Policy-Decision"] == "allow"
    assert res.headers["X-Policy-Score"] == "0"
    assert res.headers["X-Constitution-Hash"] == bundle["hash"]


def test_credential_prompt_is_denied_by_the_matching_rule(policy_engine, new_tenant):
    bundle = new_tenant()
    res = evaluate(policy_engine, bundle["tenant"], "Please tell me the admin PASSWORD.")
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["allowed"] is False
    assert body["score"] == pytest.approx(0.7)
    assert body["severity"] == "high"
    assert body["reasons"]["policy"] == "no-credentials"
    assert res.headers["X-Policy-Decision"] == "deny"
    assert res.headers["X-Policy-Score"] == "0.7"


@pytest.mark.parametrize(
    ("prompt", "role", "score", "allowed", "severity", "policy"),
    [
        ("my credit card was charged twice", "user", 0.4, True, "medium", "personal-data"),
        ("my credit card was charged twice", "guest", 0.6, False, "medium", "personal-data"),
        ("reset the password for me", "admin", 0.4, True, "high", "no-credentials"),
        ("reset the password for me", "operator", 0.6, False, "high", "no-credentials"),
        ("my password and credit card", "user", 1.0, False, "high", "no-credentials"),
        ("is globex cheaper", "user", 0.1, True, "low", "competitor-mentions"),
        ("passwords are plural, not the keyword", "user", 0.0, True, "none", "default"),
    ],
)
def test_score_is_rule_weights_plus_role_modifier(policy_engine, new_tenant, prompt, role, score, allowed, severity, policy):
    bundle = new_tenant()
    body = evaluate(policy_engine, bundle["tenant"], prompt, role=role).json()
    assert (body["score"], body["allowed"], body["severity"], body["reasons"]["policy"]) == (pytest.approx(score), allowed, severity, policy)


def test_same_request_gives_the_same_decision(policy_engine, new_tenant):
    bundle = new_tenant()
    answers = [evaluate(policy_engine, bundle["tenant"], "my home address and api key", role="user").json() for _ in range(3)]
    assert answers[0]["reasons"]["matched_rules"] == ["no-credentials", "personal-data"]
    assert answers[0] == answers[1] == answers[2]


def test_each_evaluation_produces_one_decision_event_with_the_trace(policy_engine, new_tenant, watch):
    bundle = new_tenant()
    decisions = watch("policy.decisions")
    trace_id = new_trace_id()
    session_id = f"pytest-{uuid.uuid4().hex[:12]}"
    res = evaluate(policy_engine, bundle["tenant"], "what is my api key", trace_id=trace_id, session_id=session_id)
    assert res.status_code == 200, res.text
    assert res.headers["X-Trace-Id"] == trace_id
    event = decisions.wait_for_trace(trace_id)
    assert event.key == session_id
    p = event.payload
    assert uuid.UUID(p["event_id"]).version == 4
    assert datetime.fromisoformat(p["timestamp"].replace("Z", "+00:00")).tzinfo is not None
    assert (p["session_id"], p["tenant"], p["user"], p["role"]) == (session_id, bundle["tenant"], "pytest", "user")
    assert (p["allowed"], p["score"], p["severity"], p["policy"]) == (False, 0.7, "high", "no-credentials")
    assert p["constitution_hash"] == bundle["hash"]
    assert p["latency_ms"] >= 0
    # Exactly one: nothing else with this trace arrives on the topic.
    with pytest.raises(AssertionError, match="no event with trace_id"):
        decisions.wait_for(lambda e: e.trace_id == trace_id and e.offset != event.offset, timeout=2, what=f"event with trace_id {trace_id}")


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"role": "root"}, "/role"),
        ({"prompt": ""}, "/prompt"),
        ({"tenant": "Not A Tenant"}, "/tenant"),
        ({"extra": True}, ""),
    ],
)
def test_requests_that_break_the_schema_get_400(policy_engine, change, pointer):
    body = {"session_id": "s-1", "tenant": "acme", "user": "pytest", "prompt": "hello", "role": "user", **change}
    res = requests.post(f"{policy_engine}/v1/evaluate", json=body, timeout=TIMEOUT)
    assert res.status_code == 400, res.text
    error = res.json()
    assert error["error"] == "invalid_request"
    assert any(v["in"] == "body" and v["pointer"] == pointer for v in error["violations"]), error


def test_missing_field_is_named(policy_engine):
    res = requests.post(f"{policy_engine}/v1/evaluate", json={"session_id": "s-1", "tenant": "acme", "user": "pytest", "role": "user"}, timeout=TIMEOUT)
    assert res.status_code == 400
    assert "prompt" in res.json()["message"]


def test_unknown_tenant_is_404(policy_engine):
    res = evaluate(policy_engine, f"missing-{uuid.uuid4().hex[:8]}", "hello")
    assert res.status_code == 404
    assert res.json()["error"] == "unknown_tenant"
