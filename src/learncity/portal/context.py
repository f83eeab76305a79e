"""Template context: the roles of the signed-in user, for the navigation."""

from __future__ import annotations

from learncity.portal.helpers import actor


def roles(request):
    if not hasattr(request, "user"):
        return {}
    a = actor(request)
    return {
        "is_learner": a.learner_id is not None,
        "is_officer": bool(a.institution_ids()) or a.is_admin,
        "is_reviewer": a.has_role("reviewer"),
        "is_auditor": a.has_role("auditor"),
        "is_analyst": a.has_role("analyst"),
        "is_admin": a.is_admin,
    }
