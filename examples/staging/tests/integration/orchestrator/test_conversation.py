"""A step asks the policy engine first; its trace follows the request across both services."""
from __future__ import annotations

import requests

from conftest import TIMEOUT, new_trace_id
from helpers import start_session, step


def test_allowed_step_answers_with_policy_headers_and_one_trace_across_services(orchestrator, new_tenant, watch):
    bundle = new_tenant()
    session = start_session(orchestrator, bundle["tenant"]).json()
    decisions, conversation = watch("policy.decisions"), watch("conversation.events")
    trace_id = new_trace_id()
    res = step(orchestrator, session["session_id"], "How do I export my report?", trace_id=trace_id)
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["step"] == 1
    assert '"How do I export my report"' in body["reply"]
    assert body["decision"]["allowed"] is True
    assert res.headers["X-Policy-Decision"] == "allow"
    assert res.headers["X-Constitution-Hash"] == bundle["hash"]
    assert res.headers["X-Trace-Id"] == trace_id
    # The policy engine's decision and the orchestrator's step carry the caller's trace id.
    decision = decisions.wait_for_trace(trace_id)
    assert (decision.payload["session_id"], decision.payload["allowed"]) == (session["session_id"], True)
    completed = conversation.wait_for_trace(trace_id, type="step.completed")
    assert (completed.payload["session_id"], completed.payload["step"]) == (session["session_id"], 1)
    assert completed.payload["tokens"] == len(body["reply"].split())


def test_steps_are_numbered_within_a_session(orchestrator, new_tenant):
    session = start_session(orchestrator, new_tenant()["tenant"]).json()
    numbers = [step(orchestrator, session["session_id"], f"question {i}").json()["step"] for i in range(3)]
    assert numbers == [1, 2, 3]


def test_denied_step_is_403_with_the_decision(orchestrator, new_tenant, watch):
    bundle = new_tenant()
    session = start_session(orchestrator, bundle["tenant"]).json()
    conversation = watch("conversation.events")
    trace_id = new_trace_id()
    res = step(orchestrator, session["session_id"], "what is the admin password", trace_id=trace_id)
    assert res.status_code == 403, res.text
    body = res.json()
    assert body["error"] == "denied_by_policy"
    assert body["decision"]["allowed"] is False
    assert body["decision"]["reasons"]["policy"] == "no-credentials"
    assert res.headers["X-Policy-Decision"] == "deny"
    assert res.headers["X-Policy-Score"] == "0.7"
    denied = conversation.wait_for_trace(trace_id, type="step.denied")
    assert (denied.payload["session_id"], denied.payload["policy"]) == (session["session_id"], "no-credentials")


def test_unknown_session_is_404(orchestrator):
    res = step(orchestrator, "sess-does-not-exist", "hello")
    assert res.status_code == 404
    assert res.json()["error"] == "unknown_session"


def test_step_without_prompt_is_400(orchestrator):
    res = requests.post(f"{orchestrator}/v1/conversation/step", json={"session_id": "sess-1"}, timeout=TIMEOUT)
    assert res.status_code == 400
    assert res.json()["violations"][0]["in"] == "body"
