"""The REST API at /api/v1: routers per app, and the one place errors become JSON."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from learncity.errors import LearnCityError


def _field_of(error: dict) -> str | None:
    loc = [str(p) for p in error.get("loc", []) if p not in ("body", "query", "path", "payload")]
    return ".".join(loc) or None


def build_api() -> NinjaAPI:
    from learncity.creditbank.api import router as creditbank_router
    from learncity.identity.api import router as identity_router
    from learncity.institutions.api import router as institutions_router
    from learncity.records.api import router as records_router

    api = NinjaAPI(
        title="LearnCity API",
        version="1",
        urls_namespace="api-v1",
        description="Credit bank, learning accounts and the learning archive.",
    )
    api.add_router("/", identity_router)
    api.add_router("/", institutions_router)
    api.add_router("/outcomes", records_router)
    api.add_router("/catalogue", "learncity.catalogue.api.router")
    api.add_router("/", creditbank_router)
    api.add_router("/transfer", "learncity.transfer.api.router")
    api.add_router("/", "learncity.credentials.api.router")

    @api.exception_handler(LearnCityError)
    def domain_error(request, exc: LearnCityError):
        return api.create_response(request, exc.as_dict(), status=exc.status)

    @api.exception_handler(NinjaValidationError)
    def invalid(request, exc: NinjaValidationError):
        first = exc.errors[0] if exc.errors else {}
        field = _field_of(first)
        message = _("The request is not valid: %(field)s: %(msg)s") % {
            "field": field or "body",
            "msg": first.get("msg", ""),
        }
        body = {
            "code": "invalid",
            "message": message,
            "field": field,
            "details": [{"field": _field_of(e), "message": e.get("msg", "")} for e in exc.errors],
        }
        return api.create_response(request, body, status=400)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        body = {
            "code": "not_authenticated",
            "field": None,
            "message": _(
                "Sign in, or send an institution API key as “Authorization: Bearer lc_…”."
            ),
        }
        return api.create_response(request, body, status=401)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        body = {"code": f"http_{exc.status_code}", "message": str(exc), "field": None}
        return api.create_response(request, body, status=exc.status_code)

    return api
