"""A JSON-LD document loader that serves only the contexts shipped with LearnCity.

What a Data Integrity signature covers is decided by the contexts: they turn JSON terms into
the RDF that is canonicalised and hashed. A verifier that fetched contexts at run time would let
whoever controls a context URL (or the network path to it) change the meaning of signed
credentials, and would fail whenever that host is down. So contexts are reviewed copies kept in
`contexts/` next to this module, `contexts/index.json` maps each URL to its file, and any other
URL raises `UnknownContextError` instead of being fetched.

The files are byte-for-byte copies of the published documents (W3C credentials v1/v2, Data
Integrity, Multikey, DID v1, Bitstring Status List, Open Badges 3.0.1-3.0.3, CLR 2.0.1, the OB
extensions context), renamed to `.json` so the project's package-data rule ships them.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from frozendict import frozendict
from pyld.context_resolver import ContextResolver
from pyld.resolved_context import ResolvedContext

CONTEXTS_DIR = Path(__file__).with_name("contexts")


class UnknownContextError(LookupError):
    """A document names a context URL that LearnCity does not ship; nothing was fetched."""

    def __init__(self, url: str):
        self.url = url
        super().__init__(
            f"JSON-LD context {url!r} is not one of the contexts shipped with LearnCity; "
            "contexts are never fetched from the network. Add a reviewed copy of the published "
            "file to learncity/credentials/contexts/ and index.json to accept it."
        )


@cache
def shipped_contexts() -> Mapping[str, str]:
    """URL -> file name of every shipped context, from `contexts/index.json`."""
    return json.loads((CONTEXTS_DIR / "index.json").read_text(encoding="utf-8"))


@cache
def _parsed(file_name: str) -> Any:
    return json.loads((CONTEXTS_DIR / file_name).read_text(encoding="utf-8"))


def load_context(url: str) -> Any:
    """The parsed context document for `url`, as a fresh copy (pyld edits what it is given)."""
    file_name = shipped_contexts().get(url)
    if file_name is None:
        raise UnknownContextError(url)
    return copy.deepcopy(_parsed(file_name))


class OfflineDocumentLoader:
    """A pyld `documentLoader` over the shipped contexts, plus optional `extra` documents.

    `extra` is for contexts a deployment or a test adds without shipping them (URL -> parsed
    document); it cannot replace a shipped context, so a caller cannot quietly redefine the
    vocabulary of Open Badges or of the credentials context.
    """

    def __init__(self, extra: Mapping[str, Any] | None = None):
        extra = dict(extra or {})
        clash = sorted(set(extra) & set(shipped_contexts()))
        if clash:
            raise ValueError(f"extra documents may not replace shipped contexts: {clash}")
        self._extra = extra

    def __call__(self, url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        document = copy.deepcopy(self._extra[url]) if url in self._extra else load_context(url)
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": document,
        }

    def context_resolver(self) -> ContextResolver:
        """The context resolver of this loader (one per thread), with a cache of its own.

        pyld's default resolver shares a process-wide cache keyed by URL; a context resolved
        through some other loader could then be used here. A cache private to the loader rules
        that out. It is kept across calls because the loader's documents never change, and
        processing the Open Badges contexts afresh was 80% of a canonicalisation's time; it is
        per thread because pyld's caches are not thread-safe.
        """
        local = self.__dict__.setdefault("_local", threading.local())
        resolver = getattr(local, "resolver", None)
        if resolver is None or resolver.size() > _MAX_CACHED_CONTEXTS:
            resolver = local.resolver = _LoaderContextResolver(self)
        return resolver


_MAX_CACHED_CONTEXTS = 2_000  # inline contexts of submitted documents are cached too; bound it


class _LoaderContextResolver(ContextResolver):
    """pyld's resolver, keying inline contexts by sorted-key JSON instead of JCS.

    pyld computes an RFC 8785 serialisation of every scoped context each time a typed node is
    expanded, only to use it as a cache key; `json.dumps` gives an equally unique key in C.
    """

    def __init__(self, loader: OfflineDocumentLoader):
        super().__init__({}, loader)
        self.processed: dict = {}  # rdfc's processed type-scoped contexts

    def size(self) -> int:
        return len(self.per_op_cache) + len(self.processed) // 4

    def resolve(self, active_ctx, context, base, cycles=None):
        if isinstance(context, (dict, frozendict)) and "@context" in context:
            context = context["@context"]
        resolved_all = []
        for ctx in context if isinstance(context, list) else [context]:
            if not isinstance(ctx, (dict, frozendict)):
                resolved_all.extend(super().resolve(active_ctx, ctx, base, cycles))
                continue
            key = json.dumps(ctx, sort_keys=True, separators=(",", ":"), default=dict)
            resolved = self._get(key)
            if not resolved:
                resolved = self._cache_resolved_context(key, ResolvedContext(ctx), "static")
            resolved_all.append(resolved)
        return resolved_all


default_loader = OfflineDocumentLoader()
