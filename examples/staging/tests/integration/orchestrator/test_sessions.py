"""Sessions start and are announced on conversation.events."""
from __future__ import annotations

import uuid
from datetime import datetime

import requests

from conftest import TIMEOUT, new_trace_id
from helpers import start_session


def test_start_session_answers_201_and_announces_it(orchestrator, new_tenant, watch):
    tenant = new_tenant()["tenant"]
    events = watch("conversation.events")
    trace_id = new_trace_id()
    res = start_session(orchestrator, tenant, user="grace", role="operator", trace_id=trace_id)
    assert res.status_code == 201, res.text
    session = res.json()
    assert session["session_id"].startswith("sess-")
    assert (session["tenant"], session["user"], session["role"]) == (tenant, "grace", "operator")
    assert datetime.fromisoformat(session["started_at"].replace("Z", "+00:00")).tzinfo is not None
    event = events.wait_for_trace(trace_id)
    assert event.key == session["session_id"]
    assert {k: event.payload[k] for k in ("type", "session_id", "tenant", "user")} == {"type": "session.started", "session_id": session["session_id"], "tenant": tenant, "user": "grace"}
    assert uuid.UUID(event.payload["event_id"])
    assert event.headers["source"] == "orchestrator"


def test_role_defaults_to_user(orchestrator, new_tenant):
    tenant = new_tenant()["tenant"]
    res = requests.post(f"{orchestrator}/v1/sessions/start", json={"tenant": tenant, "user": "ada"}, timeout=TIMEOUT)
    assert res.status_code == 201
    assert res.json()["role"] == "user"


def test_start_session_without_user_is_400(orchestrator):
    res = requests.post(f"{orchestrator}/v1/sessions/start", json={"tenant": "acme"}, timeout=TIMEOUT)
    assert res.status_code == 400
    assert res.json()["error"] == "invalid_request"
    assert "user" in res.json()["message"]
