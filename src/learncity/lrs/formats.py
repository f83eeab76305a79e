"""The `format` parameter of GET statements (ids, exact, canonical) and language choice. Pure.

``ids`` keeps only what identifies agents, groups, activities and verbs; ``canonical`` replaces
each activity definition by the LRS's canonical one and keeps one language per language map,
chosen from Accept-Language; ``exact`` is the statement as stored.
"""

from __future__ import annotations

import copy

from learncity.lrs.indexing import IFI_PROPERTIES


def accept_languages(header: str | None) -> list[str]:
    """Language ranges of an Accept-Language header, best first (q=0 ranges dropped)."""
    ranges = []
    for position, item in enumerate((header or "").split(",")):
        name, *params = [p.strip() for p in item.split(";")]
        if not name:
            continue
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranges.append((-quality, position, name.lower()))
    return [name for _q, _p, name in sorted(ranges)]


def pick_language(language_map: dict, preferred: list[str]) -> dict:
    """One entry of a language map: the best match for the preferred ranges, else the first."""
    if not isinstance(language_map, dict) or len(language_map) <= 1:
        return language_map
    tags = {tag.lower(): tag for tag in language_map}
    for wanted in preferred:
        if wanted == "*":
            break
        for lower, tag in tags.items():
            if lower == wanted or lower.startswith(wanted + "-"):
                return {tag: language_map[tag]}
        prefix = wanted.split("-")[0]
        for lower, tag in tags.items():
            if lower.split("-")[0] == prefix:
                return {tag: language_map[tag]}
    first = next(iter(language_map))
    return {first: language_map[first]}


def _agent_ids(agent):
    if not isinstance(agent, dict):
        return agent
    out = {k: agent[k] for k in ("objectType", *IFI_PROPERTIES) if k in agent}
    if agent.get("objectType") == "Group" and not any(k in agent for k in IFI_PROPERTIES):
        out["member"] = [_agent_ids(m) for m in agent.get("member") or []]
    return out


def _activity_ids(activity):
    if not isinstance(activity, dict):
        return activity
    return {"id": activity.get("id")}


def _walk(statement: dict, agent_fn, activity_fn, verb_fn) -> dict:
    out = dict(statement)
    for key in ("actor", "authority"):
        if key in out:
            out[key] = agent_fn(out[key])
    if "verb" in out:
        out["verb"] = verb_fn(out["verb"])
    obj = out.get("object")
    if isinstance(obj, dict):
        kind = obj.get("objectType", "Activity")
        if kind == "Activity":
            out["object"] = activity_fn(obj)
        elif kind in ("Agent", "Group"):
            out["object"] = agent_fn(obj)
        elif kind == "SubStatement":
            out["object"] = _walk(obj, agent_fn, activity_fn, verb_fn)
    context = out.get("context")
    if isinstance(context, dict):
        context = dict(context)
        for key in ("instructor", "team"):
            if key in context:
                context[key] = agent_fn(context[key])
        if isinstance(context.get("contextActivities"), dict):
            context["contextActivities"] = {
                k: [activity_fn(a) for a in v] if isinstance(v, list) else activity_fn(v)
                for k, v in context["contextActivities"].items()
            }
        for key, member in (("contextAgents", "agent"), ("contextGroups", "group")):
            if isinstance(context.get(key), list):
                context[key] = [
                    {**item, member: agent_fn(item.get(member))} for item in context[key]
                ]
        out["context"] = context
    return out


def as_ids(statement: dict) -> dict:
    return _walk(statement, _agent_ids, _activity_ids, lambda verb: {"id": verb.get("id")})


def _filter_definition(definition: dict, preferred: list[str]) -> dict:
    out = copy.deepcopy(definition)
    for key in ("name", "description"):
        if key in out:
            out[key] = pick_language(out[key], preferred)
    for key in ("choices", "scale", "source", "target", "steps"):
        for component in out.get(key) or []:
            if "description" in component:
                component["description"] = pick_language(component["description"], preferred)
    return out


def as_canonical(statement: dict, definitions: dict[str, dict], preferred: list[str]) -> dict:
    """Canonical definitions (filtered to one language) and one-language verb displays."""

    def activity(value):
        if not isinstance(value, dict):
            return value
        out = dict(value)
        definition = definitions.get(value.get("id"), value.get("definition"))
        if definition:
            out["definition"] = _filter_definition(definition, preferred)
        return out

    def verb(value):
        out = dict(value)
        if "display" in out:
            out["display"] = pick_language(out["display"], preferred)
        return out

    return _walk(statement, lambda agent: agent, activity, verb)


def activity_iris(statement: dict) -> set[str]:
    found: set[str] = set()
    _walk(statement, lambda a: a, lambda a: found.add(a.get("id")) or a, lambda v: v)
    return {iri for iri in found if iri}
