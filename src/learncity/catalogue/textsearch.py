"""Turning what people type into search terms that find Chinese text without spaces. Pure.

Both databases index text by trigrams (SQLite FTS5 `tokenize='trigram'`, PostgreSQL `pg_trgm`),
which find any substring of three characters or more, in Chinese as in English. Chinese words
are often one or two characters (书法, 茶), shorter than a trigram, so each entry also carries a
`grams` column: its short CJK pieces (every character and every pair of neighbours) and its short
Latin words (AI, 3D), space-padded, so that ' 书法 ' is itself a trigram-indexed substring.

A query is normalised (NFKC, so full-width Ｐｙｔｈｏｎ is python; case-folded), split at spaces
and punctuation and between Chinese and Latin runs, and each term must match (AND). A query of
only punctuation has no terms; a very long query is cut to its first MAX_TERMS terms and
MAX_QUERY_CHARS characters, and says so.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

MAX_QUERY_CHARS = 100
MAX_TERMS = 8
MAX_TERM_CHARS = 40
SHORT = 3  # terms shorter than this are looked up in the grams column


def is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0x3040 <= code <= 0x30FF
        or 0xAC00 <= code <= 0xD7AF
        or 0x20000 <= code <= 0x3FFFF
    )


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold()


def tokens(text: str) -> list[str]:
    """Runs of letters or digits, split at everything else and where Chinese meets Latin."""
    out: list[str] = []
    current: list[str] = []
    current_cjk = False
    for ch in normalise(text):
        if not ch.isalnum():
            if current:
                out.append("".join(current))
                current = []
            continue
        cjk = is_cjk(ch)
        if current and cjk != current_cjk:
            out.append("".join(current))
            current = []
        current.append(ch)
        current_cjk = cjk
    if current:
        out.append("".join(current))
    return out


def grams(*texts: str) -> str:
    """The short pieces of the texts, space-padded: ' 书 法 书法 ai '. Stored per entry."""
    seen: dict[str, None] = {}
    for text in texts:
        for token in tokens(text):
            if is_cjk(token[0]):
                for i, ch in enumerate(token):
                    seen[ch] = None
                    if i + 1 < len(token):
                        seen[token[i : i + 2]] = None
            elif len(token) < SHORT:
                seen[token] = None
    return f" {' '.join(seen)} " if seen else ""


@dataclass(frozen=True)
class Query:
    terms: tuple[str, ...]
    shortened: bool = False

    @property
    def empty(self) -> bool:
        return not self.terms

    def long_terms(self) -> list[str]:
        return [t for t in self.terms if len(t) >= SHORT]

    def short_terms(self) -> list[str]:
        return [t for t in self.terms if len(t) < SHORT]


def parse(text: str) -> Query:
    """The terms of a query; `shortened` when it was cut to the limits."""
    text = text or ""
    shortened = len(text) > MAX_QUERY_CHARS
    found: dict[str, None] = {}
    for token in tokens(text[:MAX_QUERY_CHARS]):
        if len(token) > MAX_TERM_CHARS:
            token, shortened = token[:MAX_TERM_CHARS], True
        found[token] = None
    terms = tuple(found)
    if len(terms) > MAX_TERMS:
        terms, shortened = terms[:MAX_TERMS], True
    return Query(terms, shortened)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def fts5_expression(query: Query, text_columns: str = "title body") -> str:
    """An FTS5 MATCH expression: each term a quoted phrase, so no input is read as syntax."""
    parts = [
        f"{{{text_columns}}} : {_quoted(t)}" if len(t) >= SHORT else f"grams : {_quoted(f' {t} ')}"
        for t in query.terms
    ]
    return " AND ".join(parts)


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_patterns(query: Query) -> list[tuple[str, str]]:
    """(column kind, LIKE pattern) per term, for pg_trgm: ('text', '%手机应用%'), ('grams', ...)."""
    return [
        ("text", f"%{like_escape(t)}%") if len(t) >= SHORT else ("grams", f"% {like_escape(t)} %")
        for t in query.terms
    ]
