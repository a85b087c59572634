"""Fixtures shared by the staging suites: service URLs, a real Kafka watcher, and tenants of their own.

The suites call the real services over HTTP and read what those services produced from the real
Kafka broker. Nothing is simulated: when a service or the broker is missing the suite fails and says
how to start it.
"""
from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass
from typing import Callable, Iterator

import pytest
import requests
from confluent_kafka import Consumer, KafkaException, TopicPartition

POLICY_ENGINE_URL = os.environ.get("POLICY_ENGINE_URL", f"http://127.0.0.1:{os.environ.get('POLICY_ENGINE_PORT', '18081')}").rstrip("/")
CONSTITUTION_URL = os.environ.get("CONSTITUTION_URL", f"http://127.0.0.1:{os.environ.get('CONSTITUTION_PORT', '18082')}").rstrip("/")
ORCHESTRATOR_URL = os.environ.get("ORCHESTRATOR_URL", f"http://127.0.0.1:{os.environ.get('ORCHESTRATOR_PORT', '18083')}").rstrip("/")
KAFKA_BROKERS = os.environ.get("KAFKA_BROKERS", "127.0.0.1:19092")
START_HINT = "Start the staging system first: `npm run stack:up` (or `bash stack/stack.sh up kafka staging`)."
TIMEOUT = 10

# A constitution the suites own, so their expectations do not depend on what traffic does to the
# seeded tenants. Scores: weights of matched rules + the role's modifier, denied at 0.5 or more.
QA_CONSTITUTION = {
    "threshold": 0.5,
    "rules": [
        {"id": "no-credentials", "description": "Never reveal passwords or keys.", "keywords": ["password", "api key"], "weight": 0.7, "severity": "high"},
        {"id": "personal-data", "description": "Handle personal data with care.", "keywords": ["credit card", "home address"], "weight": 0.4, "severity": "medium"},
        {"id": "competitor-mentions", "description": "Competitor mentions are logged.", "keywords": ["globex"], "weight": 0.1, "severity": "low"},
    ],
    "role_modifiers": {"guest": 0.2, "user": 0, "operator": -0.1, "admin": -0.3},
    "updated_by": "pytest",
}


def new_trace_id() -> str:
    return uuid.uuid4().hex


@dataclass
class Event:
    topic: str
    partition: int
    offset: int
    key: str | None
    headers: dict[str, str]
    payload: dict

    @property
    def trace_id(self) -> str | None:
        return self.headers.get("trace_id")


class TopicWatcher:
    """Reads a topic from its current end: everything produced after the watcher was made."""

    def __init__(self, topic: str) -> None:
        self.topic = topic
        # Partitions are assigned by hand and nothing is committed, so no consumer group is left behind.
        self.consumer = Consumer({
            "bootstrap.servers": KAFKA_BROKERS,
            "group.id": f"pytest-watch-{uuid.uuid4().hex}",
            "enable.auto.commit": False,
            "enable.partition.eof": False,
            "socket.timeout.ms": 10000,
        })
        try:
            metadata = self.consumer.list_topics(topic, timeout=TIMEOUT)
        except KafkaException as err:
            self.consumer.close()
            pytest.fail(f"Kafka is not answering on {KAFKA_BROKERS} ({err}). {START_HINT}")
        described = metadata.topics.get(topic)
        if described is None or described.error is not None or not described.partitions:
            self.consumer.close()
            pytest.fail(f"topic {topic} does not exist on {KAFKA_BROKERS}. {START_HINT}")
        assignment = []
        for partition in sorted(described.partitions):
            _low, high = self.consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=TIMEOUT)
            assignment.append(TopicPartition(topic, partition, high))
        self.consumer.assign(assignment)
        self.seen: list[Event] = []

    def wait_for(self, predicate: Callable[[Event], bool], timeout: float = 20.0, what: str = "a matching event") -> Event:
        for event in self.seen:
            if predicate(event):
                return event
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = self.consumer.poll(0.5)
            if message is None:
                continue
            if message.error():
                raise AssertionError(f"reading {self.topic} failed: {message.error()}")
            event = Event(
                topic=message.topic(),
                partition=message.partition(),
                offset=message.offset(),
                key=message.key().decode() if message.key() else None,
                headers={k: (v.decode() if v is not None else "") for k, v in (message.headers() or [])},
                payload=json.loads(message.value()),
            )
            self.seen.append(event)
            if predicate(event):
                return event
        raise AssertionError(f"no {what} on {self.topic} within {timeout:.0f}s ({len(self.seen)} other events seen)")

    def wait_for_trace(self, trace_id: str, timeout: float = 20.0, **fields) -> Event:
        def matches(e: Event) -> bool:
            return e.trace_id == trace_id and all(e.payload.get(k) == v for k, v in fields.items())

        return self.wait_for(matches, timeout, what=f"event with trace_id {trace_id}{' and ' + str(fields) if fields else ''}")

    def close(self) -> None:
        self.consumer.close()


def _degraded_by_a_store(res: requests.Response) -> bool:
    try:
        body = res.json()
    except ValueError:
        return False
    failing = {k for k, v in body.get("checks", {}).items() if v != "ok"}
    return body.get("status") == "degraded" and bool(failing) and failing <= {"redis", "postgres"}


def _require(name: str, url: str) -> None:
    try:
        res = requests.get(f"{url}/health", timeout=5)
    except requests.RequestException as err:
        pytest.fail(f"the {name} service is not answering on {url} ({err.__class__.__name__}). {START_HINT}")
    if res.status_code == 503 and _degraded_by_a_store(res):
        # Up, but a store it keeps its state in (Redis, PostgreSQL) is away: the tests run and fail on
        # what that breaks (503 session_store_unavailable, decision_audit_unavailable), naming it.
        return
    if res.status_code != 200:
        pytest.fail(f"the {name} service on {url} is not ready: /health answered {res.status_code} {res.text[:200]}. {START_HINT}")


@pytest.fixture(scope="session")
def policy_engine() -> str:
    _require("policy-engine", POLICY_ENGINE_URL)
    return POLICY_ENGINE_URL


@pytest.fixture(scope="session")
def constitution() -> str:
    _require("constitution", CONSTITUTION_URL)
    return CONSTITUTION_URL


@pytest.fixture(scope="session")
def orchestrator(policy_engine: str, constitution: str) -> str:
    _require("orchestrator", ORCHESTRATOR_URL)
    return ORCHESTRATOR_URL


@pytest.fixture
def watch() -> Iterator[Callable[[str], TopicWatcher]]:
    watchers: list[TopicWatcher] = []

    def make(topic: str) -> TopicWatcher:
        w = TopicWatcher(topic)
        watchers.append(w)
        return w

    yield make
    for w in watchers:
        w.close()


@pytest.fixture
def new_tenant(constitution: str) -> Callable[..., dict]:
    """Creates a tenant of the test's own with QA_CONSTITUTION (or the given one); returns the signed bundle."""

    def make(prefix: str = "qa", draft: dict | None = None) -> dict:
        tenant = f"{prefix}-{uuid.uuid4().hex[:10]}"
        res = requests.put(f"{constitution}/v1/constitution/{tenant}", json=draft or QA_CONSTITUTION, headers={"X-Trace-Id": new_trace_id()}, timeout=TIMEOUT)
        assert res.status_code == 201, res.text
        return res.json()

    return make
