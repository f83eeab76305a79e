"""The one tree of errors a LearnCity user can cause.

    LearnCityError                    (500) base; never raised directly
    ├── ConfigurationError            (500) the installation is misconfigured
    ├── ValidationFailed              (400) an input is malformed or breaks a rule
    │   ├── InvalidIdentityDocument   (400) an identity number fails its standard
    │   └── SpreadsheetRejected       (400) an upload has bad rows or cannot be read
    ├── NotAuthenticated              (401) no or bad credentials
    ├── PermissionDenied              (403) the actor may not do this
    ├── NotFound                      (404) no such object visible to the actor
    ├── Conflict                      (409) the request clashes with what is stored
    │   ├── DuplicateIdentity         (409) the identity already has an account
    │   └── IdempotencyConflict       (409) an idempotency key was reused for another request
    └── PayloadTooLarge               (413) an upload is larger than allowed

Each class says when it is raised. Messages are lazy translations, so the API and the portal
render them in the user's language; `code` is stable for programs, `field` names the offending
input. The HTTP status is mapped here once, read by the API and the portal middleware.
"""

from __future__ import annotations

from typing import Any


class LearnCityError(Exception):
    """Raised never directly; the root of every LearnCity error."""

    status = 500
    code = "error"

    def __init__(
        self,
        message: Any = "",
        *,
        field: str | None = None,
        code: str | None = None,
        details: Any = None,
    ):
        super().__init__(str(message))
        self.message = message
        self.field = field
        if code:
            self.code = code
        self.details = details

    def __reduce__(self):
        """Pickle with field, code and details (an import's reading process sends its errors
        to the importing one); Exception's own pickling would keep the message only."""
        return _rebuild, (type(self), self.message, self.field, self.code, self.details)

    def as_dict(self) -> dict:
        body = {"code": self.code, "message": str(self.message), "field": self.field}
        if self.details is not None:
            body["details"] = self.details
        return body


class ConfigurationError(LearnCityError):
    """Raised when a required key or setting is missing or malformed."""

    code = "configuration"


class ValidationFailed(LearnCityError):
    """Raised when an input is malformed or breaks a business rule."""

    status = 400
    code = "invalid"


class InvalidIdentityDocument(ValidationFailed):
    """Raised when an identity document number fails its national standard."""

    code = "invalid_identity"


class SpreadsheetRejected(ValidationFailed):
    """Raised when an uploaded spreadsheet cannot be read or has rows that break the rules."""

    code = "spreadsheet_rejected"


class NotAuthenticated(LearnCityError):
    """Raised when a request carries no credentials or credentials that do not match."""

    status = 401
    code = "not_authenticated"


class PermissionDenied(LearnCityError):
    """Raised when the actor is known but may not do or see this."""

    status = 403
    code = "forbidden"


class NotFound(LearnCityError):
    """Raised when the object does not exist or is not visible to the actor."""

    status = 404
    code = "not_found"


class Conflict(LearnCityError):
    """Raised when a request clashes with what is already stored."""

    status = 409
    code = "conflict"


class DuplicateIdentity(Conflict):
    """Raised when an identity document already has an account (whose is never said)."""

    code = "duplicate_identity"


class IdempotencyConflict(Conflict):
    """Raised when an idempotency key is reused with a different request body."""

    code = "idempotency_conflict"


class PayloadTooLarge(LearnCityError):
    """Raised when an upload exceeds LEARNCITY_MAX_UPLOAD_MB or LEARNCITY_MAX_IMPORT_ROWS."""

    status = 413
    code = "too_large"


def _rebuild(cls, message, field, code, details):
    return cls(message, field=field, code=code, details=details)
