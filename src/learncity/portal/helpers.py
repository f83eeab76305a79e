"""Small helpers shared by portal views: the actor of a request, and domain errors on forms."""

from __future__ import annotations

from learncity.access import Actor, actor_for_user
from learncity.errors import ValidationFailed


def actor(request) -> Actor:
    return actor_for_user(request.user, request.META.get("REMOTE_ADDR"))


def run_on_form(form, action):
    """Call action(); a ValidationFailed becomes an error on the field it names. None on error."""
    try:
        return action()
    except ValidationFailed as error:
        field = error.field if error.field in form.fields else None
        form.add_error(field, str(error.message))
        return None
