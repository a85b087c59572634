"""Calls the orchestrator the way a client application does."""
from __future__ import annotations

import json

import requests

from conftest import TIMEOUT, new_trace_id


def start_session(orchestrator: str, tenant: str, user: str = "pytest", role: str = "user", trace_id: str | None = None) -> requests.Response:
    return requests.post(f"{orchestrator}/v1/sessions/start", json={"tenant": tenant, "user": user, "role": role}, headers={"X-Trace-Id": trace_id or new_trace_id()}, timeout=TIMEOUT)


def step(orchestrator: str, session_id: str, prompt: str, trace_id: str | None = None) -> requests.Response:
    return requests.post(f"{orchestrator}/v1/conversation/step", json={"session_id": session_id, "prompt": prompt}, headers={"X-Trace-Id": trace_id or new_trace_id()}, timeout=TIMEOUT)


def stream(orchestrator: str, session_id: str, prompt: str, trace_id: str | None = None) -> tuple[requests.Response, list[dict]]:
    """Reads a server-sent event stream to its end; answers the response and the decoded data events."""
    res = requests.get(
        f"{orchestrator}/v1/conversation/stream",
        params={"session_id": session_id, "prompt": prompt},
        headers={"Accept": "text/event-stream", "X-Trace-Id": trace_id or new_trace_id()},
        stream=True,
        timeout=TIMEOUT,
    )
    events: list[dict] = []
    if res.headers.get("Content-Type", "").startswith("text/event-stream"):
        for line in res.iter_lines(decode_unicode=True):
            if line.startswith("data: "):
                events.append(json.loads(line[len("data: "):]))
    res.close()
    return res, events
