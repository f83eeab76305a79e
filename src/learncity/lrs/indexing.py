"""What a statement is about, as short keys for the query index tables. Pure.

Agents are keyed by their Inverse Functional Identifier, activities by their IRI; both are hashed
to 40 hex characters so that one narrow, fixed-width index serves SQLite and PostgreSQL alike,
whatever the length of the IRI. "Main" keys answer the plain `agent` and `activity` filters;
"related" keys answer them with `related_agents` / `related_activities` (the main keys are
stored as related too, so a broad query reads one relation).
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field

IFI_PROPERTIES = ("mbox", "mbox_sha1sum", "openid", "account")


@functools.lru_cache(maxsize=65536)  # the same verbs, courses and learners come again and again
def _hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def ifi_text(agent: dict) -> str | None:
    """The agent's identifier as one string, e.g. ``mbox:mailto:a@example.com``; None if none."""
    if not isinstance(agent, dict):
        return None
    if isinstance(agent.get("mbox"), str):
        local, _at, domain = agent["mbox"].rpartition("@")
        return "mbox:" + local + "@" + domain.lower()
    if isinstance(agent.get("mbox_sha1sum"), str):
        return "mbox_sha1sum:" + agent["mbox_sha1sum"].lower()
    if isinstance(agent.get("openid"), str):
        return "openid:" + agent["openid"]
    account = agent.get("account")
    if isinstance(account, dict):
        return f"account:{account.get('homePage')}|{account.get('name')}"
    return None


def agent_key(agent: dict) -> str | None:
    text = ifi_text(agent)
    return _hash(text) if text else None


def activity_key(iri: str) -> str:
    return _hash("activity:" + iri)


def doc_key(doc_id: str) -> str:
    """Document ids can be any string; the unique index holds their SHA-1."""
    return _hash(doc_id)


def document_agent_key(agent: dict) -> str:
    """Documents are filed under an agent's identifier (groups use theirs, as the spec allows)."""
    return agent_key(agent) or ""


@dataclass
class StatementKeys:
    agents: set[str] = field(default_factory=set)
    related_agents: set[str] = field(default_factory=set)
    activities: set[str] = field(default_factory=set)
    related_activities: set[str] = field(default_factory=set)


def _agent_and_members(actor) -> set[str]:
    keys = set()
    if not isinstance(actor, dict):
        return keys
    key = agent_key(actor)
    if key:
        keys.add(key)
    for member in actor.get("member") or []:
        member_key = agent_key(member)
        if member_key:
            keys.add(member_key)
    return keys


def _context_activity_ids(context) -> list[str]:
    ids = []
    if not isinstance(context, dict):
        return ids
    for value in (context.get("contextActivities") or {}).values():
        for activity in value if isinstance(value, list) else [value]:
            if isinstance(activity, dict) and isinstance(activity.get("id"), str):
                ids.append(activity["id"])
    return ids


def _context_agents(context) -> set[str]:
    keys: set[str] = set()
    if not isinstance(context, dict):
        return keys
    keys |= _agent_and_members(context.get("instructor"))
    keys |= _agent_and_members(context.get("team"))
    for item in context.get("contextAgents") or []:
        keys |= _agent_and_members(item.get("agent"))
    for item in context.get("contextGroups") or []:
        keys |= _agent_and_members(item.get("group"))
    return keys


def _is_agentish(obj) -> bool:
    return isinstance(obj, dict) and obj.get("objectType") in ("Agent", "Group")


def statement_keys(statement: dict) -> StatementKeys:
    """Index keys for one (validated) statement, including its SubStatement if any."""
    keys = StatementKeys()
    obj = statement.get("object") or {}
    keys.agents |= _agent_and_members(statement.get("actor"))
    if _is_agentish(obj):
        keys.agents |= _agent_and_members(obj)
    if obj.get("objectType", "Activity") == "Activity" and isinstance(obj.get("id"), str):
        keys.activities.add(activity_key(obj["id"]))
    keys.related_agents |= keys.agents
    keys.related_agents |= _agent_and_members(statement.get("authority"))
    keys.related_agents |= _context_agents(statement.get("context"))
    keys.related_activities |= keys.activities
    keys.related_activities |= {
        activity_key(i) for i in _context_activity_ids(statement.get("context"))
    }
    if obj.get("objectType") == "SubStatement":
        inner = statement_keys(obj)
        keys.related_agents |= inner.related_agents
        keys.related_activities |= inner.related_activities
    return keys


def merge_definition(base: dict, new: dict) -> dict:
    """Fold a newer definition into ``base``: language maps and extensions merge, others replace."""
    for name, value in new.items():
        if isinstance(value, dict) and isinstance(base.get(name), dict):
            base[name] = {**base[name], **value}
        else:
            base[name] = value
    return base


def activity_definitions(statement: dict) -> dict[str, dict]:
    """Every activity in a statement with the definition it carries (empty dict if none)."""
    found: dict[str, dict] = {}

    def add(activity) -> None:
        if isinstance(activity, dict) and isinstance(activity.get("id"), str):
            definition = activity.get("definition")
            current = found.setdefault(activity["id"], {})
            if isinstance(definition, dict):
                merge_definition(current, definition)

    def walk(stmt: dict) -> None:
        obj = stmt.get("object") or {}
        if obj.get("objectType", "Activity") == "Activity":
            add(obj)
        context = stmt.get("context") or {}
        for value in (context.get("contextActivities") or {}).values():
            for activity in value if isinstance(value, list) else [value]:
                add(activity)
        if obj.get("objectType") == "SubStatement":
            walk(obj)

    walk(statement)
    return found
