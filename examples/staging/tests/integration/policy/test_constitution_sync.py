"""Constitution versions are signed, announced on constitution.updated, and picked up by the policy engine."""
from __future__ import annotations

import base64
import copy
import hashlib
import json
import time

import requests
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from conftest import QA_CONSTITUTION, TIMEOUT, new_trace_id


def canonical(value) -> bytes:
    """The signed bytes: keys sorted at every level, no whitespace, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def signing_key(constitution: str):
    keys = requests.get(f"{constitution}/v1/keys", timeout=TIMEOUT).json()["keys"]
    assert len(keys) == 1 and keys[0]["algorithm"] == "Ed25519"
    return keys[0]["key_id"], load_pem_public_key(keys[0]["public_key"].encode())


def test_bundle_signature_and_hash_verify(constitution, new_tenant):
    created = new_tenant()
    res = requests.get(f"{constitution}/v1/constitution/{created['tenant']}", timeout=TIMEOUT)
    assert res.status_code == 200
    signed = res.json()
    key_id, public_key = signing_key(constitution)
    assert signed["signature"]["key_id"] == key_id
    assert hashlib.sha256(canonical(signed["bundle"])).hexdigest() == signed["hash"] == res.headers["X-Constitution-Hash"]
    signature = base64.b64decode(signed["signature"]["value"])
    public_key.verify(signature, canonical(signed["bundle"]))  # raises if it does not verify
    tampered = copy.deepcopy(signed["bundle"])
    tampered["threshold"] = 0.99
    try:
        public_key.verify(signature, canonical(tampered))
        raise AssertionError("a changed bundle must not verify")
    except InvalidSignature:
        pass


def test_hash_endpoint_matches_the_bundle(constitution, new_tenant):
    created = new_tenant()
    res = requests.get(f"{constitution}/v1/constitution/{created['tenant']}/hash", timeout=TIMEOUT)
    assert res.status_code == 200
    assert res.json() == {"tenant": created["tenant"], "version": 1, "hash": created["hash"], "key_id": created["signature"]["key_id"]}


def test_new_version_is_announced_and_applied_by_the_policy_engine(constitution, policy_engine, new_tenant, watch):
    created = new_tenant()
    tenant = created["tenant"]
    probe = {"session_id": "pytest-sync", "tenant": tenant, "user": "pytest", "prompt": "my credit card", "role": "user"}
    # Version 1 (threshold 0.5): personal data alone (0.4) is allowed, and the engine now holds v1.
    before = requests.post(f"{policy_engine}/v1/evaluate", json=probe, timeout=TIMEOUT).json()
    assert (before["allowed"], before["reasons"]["constitution_hash"]) == (True, created["hash"])

    updates = watch("constitution.updated")
    trace_id = new_trace_id()
    stricter = {**QA_CONSTITUTION, "threshold": 0.3}
    res = requests.put(f"{constitution}/v1/constitution/{tenant}", json=stricter, headers={"X-Trace-Id": trace_id}, timeout=TIMEOUT)
    assert res.status_code == 200, res.text
    v2 = res.json()
    assert v2["version"] == 2 and v2["hash"] != created["hash"]

    event = updates.wait_for_trace(trace_id)
    assert event.key == tenant
    assert {k: event.payload[k] for k in ("tenant", "version", "hash", "key_id")} == {"tenant": tenant, "version": 2, "hash": v2["hash"], "key_id": v2["signature"]["key_id"]}

    # The engine refreshes only from the topic: once it has applied the event, v2 decides (0.4 >= 0.3).
    deadline = time.monotonic() + 20
    after = before
    while time.monotonic() < deadline:
        after = requests.post(f"{policy_engine}/v1/evaluate", json=probe, timeout=TIMEOUT).json()
        if after["reasons"]["constitution_hash"] == v2["hash"]:
            break
        time.sleep(0.25)
    assert after["reasons"]["constitution_hash"] == v2["hash"], "the policy engine did not apply constitution.updated within 20s"
    assert after["reasons"]["constitution_version"] == 2
    assert after["allowed"] is False


def test_drafts_that_break_the_rules_get_400(constitution, new_tenant):
    tenant = new_tenant()["tenant"]
    duplicate = {**QA_CONSTITUTION, "rules": QA_CONSTITUTION["rules"] + [QA_CONSTITUTION["rules"][0]]}
    res = requests.put(f"{constitution}/v1/constitution/{tenant}", json=duplicate, timeout=TIMEOUT)
    assert res.status_code == 400
    assert "used twice" in res.json()["message"]
    heavy = {**QA_CONSTITUTION, "rules": [{**QA_CONSTITUTION["rules"][0], "weight": 1.5}]}
    res = requests.put(f"{constitution}/v1/constitution/{tenant}", json=heavy, timeout=TIMEOUT)
    assert res.status_code == 400
    assert res.json()["violations"][0]["pointer"] == "/rules/0/weight"
    # Neither attempt made a new version.
    assert requests.get(f"{constitution}/v1/constitution/{tenant}/hash", timeout=TIMEOUT).json()["version"] == 1
