"""The LRS's additions to the error tree of learncity/errors.py.

    LearnCityError
    └── PreconditionFailed   (412) an If-Match / If-None-Match precondition does not hold

Everything else the LRS refuses uses the shared classes: ValidationFailed (400),
NotAuthenticated (401), PermissionDenied (403), NotFound (404), Conflict (409) and
PayloadTooLarge (413). The xAPI views render all of them as JSON with the status they carry.
"""

from __future__ import annotations

from learncity.errors import LearnCityError


class PreconditionFailed(LearnCityError):
    """Raised when a document's ETag does not satisfy the request's If-Match or If-None-Match."""

    status = 412
    code = "precondition_failed"
