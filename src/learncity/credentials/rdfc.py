"""RDF Dataset Canonicalization (RDFC-1.0) of JSON-LD documents, offline and fail-closed.

pyld does the JSON-LD to RDF conversion and the blank-node labelling (its URDNA2015 is the
algorithm RDFC-1.0 standardised). Three things are added here, each because a signature is
only as good as the bytes it is computed over:

- Canonical N-Quads escaping as RDFC-1.0 requires (`\\b`, `\\f`, and `\\u00XX` for other control
  characters); pyld writes those characters raw, which would give a different hash than other
  implementations for any text containing them.
- Fail on content the signature would silently not cover: a property that no context defines,
  or an `@id`/`@type` that is not an absolute IRI, is dropped by JSON-LD to RDF. A verifier would
  then accept a credential whose visible JSON was changed. This is jsonld.js's "safe mode".
- A work budget against dataset poisoning: crafted blank-node graphs (cliques) make the
  algorithm factorial; RDFC-1.0 asks implementations to detect this and abort.

Contexts come only from `contexts.OfflineDocumentLoader`; nothing is fetched.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from frozendict import frozendict
from pyld import jsonld
from pyld.canon import URDNA2015
from pyld.identifier_issuer import IdentifierIssuer
from pyld.jsonld import _is_absolute_iri

from .contexts import OfflineDocumentLoader, UnknownContextError, default_loader

MAX_PERMUTATIONS = 10_000  # a 5-clique of blank nodes needs ~4,000; a 6-clique ~37,000
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_ESCAPES = {0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r",
            0x22: '\\"', 0x5C: "\\\\"}
_ESCAPES.update({c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F] if c not in _ESCAPES})


class CanonicalizationError(ValueError):
    """The document cannot be canonicalised safely; it must be neither signed nor accepted."""


class DatasetPoisoningError(CanonicalizationError):
    """Blank nodes are arranged so that canonicalisation would take unbounded work."""


def _term(component: Mapping[str, Any]) -> str:
    if component["type"] == "IRI":
        return f"<{component['value']}>"
    if component["type"] == "blank node":
        return component["value"]
    text = f'"{component["value"].translate(_ESCAPES)}"'
    if component["datatype"] == RDF_LANGSTRING:
        return f"{text}@{component['language']}"
    if component["datatype"] != XSD_STRING:
        return f"{text}^^<{component['datatype']}>"
    return text


def serialize_quad(quad: Mapping[str, Any]) -> str:
    """One line of canonical N-Quads, newline included."""
    parts = [_term(quad["subject"]), _term(quad["predicate"]), _term(quad["object"])]
    if quad.get("name") is not None:
        parts.append(_term(quad["name"]))
    return " ".join(parts) + " .\n"


class _RDFC10(URDNA2015):
    """pyld's URDNA2015 with canonical escaping and a permutation budget."""

    def __init__(self, max_permutations: int):
        super().__init__()
        self._budget: float = max_permutations

    def main(self, dataset: dict, options: dict) -> str:
        # pyld relabels the blank nodes of self.quads in place; serialise them ourselves.
        super().main(dataset, {"format": "application/n-quads"})
        return "".join(sorted(serialize_quad(quad) for quad in self.quads))

    def hash_first_degree_quads(self, id_: str) -> str:
        info = self.blank_node_info[id_]
        if "hash" not in info:
            relabel = self.modify_first_degree_component  # _:a for this node, _:z for others
            lines = [
                serialize_quad({
                    key: c if key == "predicate" else relabel(id_, c, key)
                    for key, c in quad.items()
                })
                for quad in info["quads"]
            ]
            info["hash"] = self.hash_nquads(sorted(lines))
        return info["hash"]

    def create_hash_to_related(self, id_: str, issuer: Any) -> dict:
        related = super().create_hash_to_related(id_, issuer)
        for group in related.values():
            # Hash N-Degree Quads tries every ordering of each group of look-alike blank nodes.
            self._budget -= math.factorial(len(group)) if len(group) <= 12 else math.inf
            if self._budget < 0:
                raise DatasetPoisoningError(
                    "canonicalisation would exceed its work budget: the document's blank nodes "
                    "look like a dataset-poisoning attack"
                )
        return related


class _Processor(jsonld.JsonLdProcessor):
    """pyld's processor, remembering the contexts it processed for a type-scoped context.

    pyld clones the active context before applying a type-scoped (non-propagating) context,
    and the fresh clone defeats its own cache, so every typed node of every credential had its
    context processed anew: a third of a canonicalisation. Results are frozen and keyed by the
    active context's unique id and the local context's JSON, on the loader's own resolver.
    """

    def _process_context(self, active_ctx, local_ctx, options, override_protected=False,
                         propagate=True, validate_scoped=True, cycles=None):
        resolver = options.get("contextResolver")
        cache = getattr(resolver, "processed", None)
        uid = active_ctx.get("_uuid")
        if cache is None or uid is None:
            return super()._process_context(active_ctx, local_ctx, options, override_protected,
                                            propagate, validate_scoped, cycles)
        key = (uid, override_protected, propagate, options.get("base"),
               json.dumps(local_ctx, sort_keys=True, default=dict))
        found = cache.get(key)
        if found is None:
            found = super()._process_context(active_ctx, local_ctx, options, override_protected,
                                             propagate, validate_scoped, cycles)
            if isinstance(found, frozendict):
                cache[key] = found
        return found


def _refuse_dropped(expanded_property: str | None) -> None:
    raise CanonicalizationError(
        f"property {expanded_property!r} is not defined by the document's contexts; "
        "it would not be covered by a signature"
    )


def _check_iris(node: Any) -> None:
    """Refuse relative or invalid @id/@type values, which JSON-LD to RDF drops silently."""
    if isinstance(node, list):
        for item in node:
            _check_iris(item)
        return
    if not isinstance(node, dict):
        return
    if "@value" in node:
        return
    ids = [node["@id"]] if isinstance(node.get("@id"), str) else []
    for iri in ids + list(node.get("@type", [])):
        if not iri.startswith("_:") and not _ABSOLUTE_IRI.match(iri):
            raise CanonicalizationError(
                f"{iri!r} is not an absolute IRI; it would not be covered by a signature"
            )
    for key, value in node.items():
        if key not in ("@id", "@type"):
            _check_iris(value)


def _cause(error: BaseException, kind: type[BaseException]) -> BaseException | None:
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, kind):
            return error
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None


def _to_dataset(processor: jsonld.JsonLdProcessor, expanded: Any, options: dict) -> dict:
    """pyld's `to_rdf` minus its first step: it would expand the expanded document again,
    which took a third of the time of canonicalising an Open Badge. The rest is its code."""
    issuer = IdentifierIssuer("_:b")
    node_map: dict[str, Any] = {"@default": {}}
    processor._create_node_map(expanded, node_map, "@default", issuer)
    return {
        name: processor._graph_to_rdf(graph, issuer, options)
        for name, graph in sorted(node_map.items())
        if name == "@default" or _is_absolute_iri(name)
    }


def canonicalize(
    document: Mapping[str, Any],
    *,
    loader: OfflineDocumentLoader | None = None,
    max_permutations: int = MAX_PERMUTATIONS,
) -> str:
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document, as a string.

    Raises `UnknownContextError` for a context that is not shipped (nothing is fetched) and
    `CanonicalizationError` for anything else that makes the document unsafe to sign or verify.
    """
    if not isinstance(document, Mapping):
        raise CanonicalizationError("a JSON-LD document must be a JSON object")
    loader = loader or default_loader
    options = {
        "documentLoader": loader,
        "contextResolver": loader.context_resolver(),
        "base": None,  # pyld would otherwise resolve relative IRIs against example.org
        "processingMode": "json-ld-1.1",
    }
    processor = _Processor(on_property_dropped=_refuse_dropped)
    try:
        expanded = processor.expand(dict(document), options)  # pyld copies its input
        _check_iris(expanded)
        dataset = _to_dataset(processor, expanded, dict(options, produceGeneralizedRdf=False))
    except jsonld.JsonLdError as error:
        unknown = _cause(error, UnknownContextError)
        if unknown is not None:
            raise UnknownContextError(unknown.url) from error
        raise CanonicalizationError(f"the document is not valid JSON-LD: {error}") from error
    return _RDFC10(max_permutations).main(dataset, {})
