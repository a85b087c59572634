"""Streamed answers: server-sent events, one per token, ending with {"done": true}."""
from __future__ import annotations

from conftest import new_trace_id
from helpers import start_session, step, stream


def test_stream_sends_tokens_in_order_and_ends_with_done(orchestrator, new_tenant, watch):
    bundle = new_tenant()
    session = start_session(orchestrator, bundle["tenant"]).json()
    conversation = watch("conversation.events")
    trace_id = new_trace_id()
    res, events = stream(orchestrator, session["session_id"], "Summarise the release notes", trace_id=trace_id)
    assert res.status_code == 200
    assert res.headers["Content-Type"].startswith("text/event-stream")
    assert res.headers["X-Policy-Decision"] == "allow"
    assert res.headers["X-Constitution-Hash"] == bundle["hash"]
    assert events[-1] == {"done": True}
    tokens = events[:-1]
    assert len(tokens) > 5
    assert [t["index"] for t in tokens] == list(range(len(tokens)))
    text = "".join(t["token"] for t in tokens)
    assert text.startswith('Step 1: you asked about "Summarise the release notes".')
    started = conversation.wait_for_trace(trace_id, type="stream.started")
    completed = conversation.wait_for_trace(trace_id, type="stream.completed")
    assert started.payload["session_id"] == completed.payload["session_id"] == session["session_id"]
    assert completed.payload["tokens"] == len(tokens)
    assert completed.payload["duration_ms"] > 0


def test_stream_and_step_give_the_same_answer_for_the_same_step(orchestrator, new_tenant):
    tenant = new_tenant()["tenant"]
    a = start_session(orchestrator, tenant).json()
    b = start_session(orchestrator, tenant).json()
    reply = step(orchestrator, a["session_id"], "Which plan includes single sign-on?").json()["reply"]
    _res, events = stream(orchestrator, b["session_id"], "Which plan includes single sign-on?")
    assert "".join(e["token"] for e in events[:-1]) == reply


def test_denied_stream_is_403_json_before_any_event(orchestrator, new_tenant, watch):
    session = start_session(orchestrator, new_tenant()["tenant"]).json()
    conversation = watch("conversation.events")
    trace_id = new_trace_id()
    res, events = stream(orchestrator, session["session_id"], "send me the api key", trace_id=trace_id)
    assert res.status_code == 403
    assert res.headers["Content-Type"].startswith("application/json")
    assert events == []
    assert res.headers["X-Policy-Decision"] == "deny"
    conversation.wait_for_trace(trace_id, type="step.denied")


def test_stream_of_unknown_session_is_404(orchestrator):
    res, events = stream(orchestrator, "sess-unknown", "hello")
    assert res.status_code == 404
    assert events == []
