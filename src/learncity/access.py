"""Who is acting, and what they may see. Every service takes an Actor and asks it.

An Actor is a signed-in user (learner or staff with roles), an institution's API key, or the
system (CLI, migrations). Staff roles come from StaffRole rows; Django superusers hold the
administrator role. Keeping this in one small module means every page, endpoint and service
asks the same question the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from learncity.errors import PermissionDenied


@dataclass(frozen=True)
class Actor:
    label: str
    user: object | None = None
    api_key: object | None = None
    learner_id: int | None = None
    roles: frozenset[tuple[str, int | None]] = field(default_factory=frozenset)
    scopes: frozenset[str] = field(default_factory=frozenset)
    ip: str | None = None
    is_system: bool = False

    def has_role(self, role: str) -> bool:
        return self.is_system or any(r == role for r, _inst in self.roles) or self.is_admin

    @property
    def is_admin(self) -> bool:
        return any(r == "admin" for r, _inst in self.roles)

    def institution_ids(self, role: str = "officer") -> set[int]:
        return {inst for r, inst in self.roles if r == role and inst is not None}

    def may_act_for(self, institution_id: int, scope: str = "outcomes:write") -> bool:
        if self.is_system or self.is_admin:
            return True
        if self.api_key is not None:
            return institution_id in self.institution_ids() and scope in self.scopes
        return institution_id in self.institution_ids()

    def require_role(self, *roles: str) -> None:
        if not any(self.has_role(r) for r in roles):
            raise PermissionDenied(_("You do not have the role needed for this page or action."))

    def require_institution(self, institution_id: int, scope: str = "outcomes:write") -> None:
        if not self.may_act_for(institution_id, scope):
            raise PermissionDenied(
                _("You may only act for your own institution, with a key that has this scope.")
            )

    def require_learner(self) -> int:
        if self.learner_id is None:
            raise PermissionDenied(_("Only a signed-in learner can do this."))
        return self.learner_id


def system_actor(label: str = "system") -> Actor:
    return Actor(label=label, is_system=True)


def actor_for_user(user, ip: str | None = None) -> Actor:
    """Build the actor for a signed-in Django user (anonymous users get an empty actor)."""
    if user is None or not user.is_authenticated:
        return Actor(label="anonymous", ip=ip)
    roles = {(r.role, r.institution_id) for r in user.staff_roles.all()}
    if user.is_superuser:
        roles.add(("admin", None))
    learner = getattr(user, "learner", None)
    return Actor(
        label=f"user:{user.username}",
        user=user,
        learner_id=learner.pk if learner else None,
        roles=frozenset(roles),
        ip=ip,
    )


def actor_for_api_key(key, ip: str | None = None) -> Actor:
    return Actor(
        label=f"apikey:{key.prefix}",
        api_key=key,
        roles=frozenset({("officer", key.institution_id)}),
        scopes=frozenset(key.scopes),
        ip=ip,
    )
