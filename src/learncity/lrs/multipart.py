"""multipart/mixed for statements with attachments (RFC 2046), read and written. Pure.

The first part holds the statements as application/json; each further part is one attachment,
named by its ``X-Experience-API-Hash`` header and sent with ``Content-Transfer-Encoding: binary``.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass


class MultipartInvalid(ValueError):
    """Raised when a multipart/mixed body does not follow the xAPI transmission format."""


@dataclass
class Part:
    headers: dict[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def boundary_of(content_type: str) -> str:
    match = re.search(r'boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))', content_type, re.IGNORECASE)
    if not match:
        raise MultipartInvalid("the multipart/mixed Content-Type has no boundary parameter")
    return match.group(1) or match.group(2)


def _headers(block: bytes) -> dict[str, str]:
    headers = {}
    for line in block.decode("utf-8", "replace").split("\r\n"):
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        if not colon:
            raise MultipartInvalid(f"a part has a malformed header line: {line[:60]!r}")
        headers[name.strip().lower()] = value.strip()
    return headers


def parse(body: bytes, content_type: str) -> list[Part]:
    """Split a body into parts; the preamble and epilogue are ignored."""
    delimiter = b"--" + boundary_of(content_type).encode("latin-1")
    # The first delimiter may open the body without a preceding CRLF.
    chunks = (b"\r\n" + body).split(b"\r\n" + delimiter)
    if len(chunks) < 3:
        raise MultipartInvalid("the multipart body has no parts or no closing boundary")
    parts = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        # The delimiter line may carry transport padding before its CRLF.
        _padding, newline, rest = chunk.partition(b"\r\n")
        if not newline:
            raise MultipartInvalid("a multipart delimiter is not followed by a line break")
        head, separator, content = rest.partition(b"\r\n\r\n")
        if not separator:
            if rest.startswith(b"\r\n"):
                head, content = b"", rest[2:]
            else:
                raise MultipartInvalid("a part's headers are not followed by an empty line")
        parts.append(Part(_headers(head), content))
    else:
        raise MultipartInvalid("the multipart body has no closing boundary")
    return parts


def build(first_json: bytes, attachments: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """Build a response: JSON first, then (sha2, content type, bytes); returns (body, type)."""
    boundary = "xapi-" + secrets.token_hex(16)
    out = [f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(), first_json]
    for sha2, content_type, data in attachments:
        out.append(
            (
                f"\r\n--{boundary}\r\nContent-Type: {content_type}\r\n"
                f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {sha2}\r\n\r\n"
            ).encode()
        )
        out.append(data)
    out.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(out), f'multipart/mixed; boundary="{boundary}"'
