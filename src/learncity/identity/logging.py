"""A logging filter that masks anything shaped like an identity number before it is written."""

from __future__ import annotations

import logging
import re

_ID_LIKE = re.compile(r"\b(\d{6})\d{8}(\d{3}[\dXx])\b")


def mask_text(text: str) -> str:
    return _ID_LIKE.sub(r"\1********\2", text)


class MaskIdentityNumbers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
