"""API authentication: institution keys (Bearer) or a signed-in portal session."""

from __future__ import annotations

from ninja.security import HttpBearer, SessionAuth

from learncity.access import Actor, actor_for_api_key, actor_for_user
from learncity.institutions.models import ApiKey
from learncity.institutions.services import authenticate_api_key


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


class InstitutionKey(HttpBearer):
    """``Authorization: Bearer lc_<prefix>_<secret>``; a bad key is a 401 with a message."""

    def authenticate(self, request, token):
        return authenticate_api_key(token)


API_AUTH = [InstitutionKey(), SessionAuth()]


def actor_of(request) -> Actor:
    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiKey):
        return actor_for_api_key(auth, client_ip(request))
    return actor_for_user(request.user, client_ip(request))
