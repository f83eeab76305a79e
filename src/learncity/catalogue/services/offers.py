"""Providers manage courses and learning sites; administrators moderate them."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.audit.services import record
from learncity.catalogue import geo, rows, textsearch
from learncity.catalogue.messages import refuse
from learncity.catalogue.models import Course, Site
from learncity.errors import NotFound, ValidationFailed
from learncity.framework.models import Category, Framework, Level
from learncity.identity import districts
from learncity.institutions.models import Institution

# The institutions app has no catalogue scope yet: a key that may write outcomes may also keep
# its institution's catalogue entries.
WRITE_SCOPE = "outcomes:write"
MODERATION_ACTIONS = {"publish": "published", "reject": "rejected", "suspend": "suspended"}


def current_framework() -> Framework | None:
    return Framework.objects.order_by("-effective_from", "-id").first()


def current_lookups() -> rows.Lookups:
    framework = current_framework()
    levels: set[int] = set()
    categories: dict[str, str] = {}
    if framework is not None:
        levels = set(framework.levels.values_list("number", flat=True))
        for c in framework.categories.all():
            for key in (c.code, c.code.casefold(), c.name_zh, c.name_en, c.name_en.casefold()):
                categories[key] = c.code
    return rows.Lookups(
        find_district=lambda v: d.code if (d := districts.find(v)) else None,
        levels=levels,
        categories=categories,
    )


def _level_and_category(checked: dict) -> tuple[Level | None, Category | None]:
    framework = current_framework()
    if framework is None:
        return None, None
    level = framework.levels.filter(number=checked["level"]).first() if checked["level"] else None
    category = (
        framework.categories.filter(code=checked["category"]).first()
        if checked["category"]
        else None
    )
    return level, category


def _next_status(current: str | None) -> str:
    """New entries and entries sent back wait for moderation; published ones stay published."""
    return current if current in ("published", "suspended") else "pending"


def save_course(
    actor: Actor,
    provider: Institution,
    values: dict[str, str],
    *,
    course: Course | None = None,
    lookups: rows.Lookups | None = None,
) -> Course:
    """Create a course, or change `course`; values as typed (see rows.COURSE_COLUMNS)."""
    actor.require_institution(provider.pk, WRITE_SCOPE)
    checked = rows.check_course(values, lookups or current_lookups())
    if isinstance(checked, list):
        raise refuse(checked)
    same_code = Course.objects.filter(provider=provider, code=checked["code"])
    if course is not None:
        same_code = same_code.exclude(pk=course.pk)
    if same_code.exists():
        raise ValidationFailed(
            _("Another of your courses already has this code."), field="code", code="course.code"
        )
    iri = checked["xapi_activity_iri"]
    if (
        iri
        and Course.objects.filter(xapi_activity_iri=iri)
        .exclude(pk=getattr(course, "pk", None))
        .exists()
    ):
        raise ValidationFailed(
            _("Another course already uses this xAPI activity IRI; each course needs its own."),
            field="xapi_activity_iri",
            code="course.iri_taken",
        )
    return _write_course(actor, provider, checked, course)


def _write_course(
    actor: Actor, provider: Institution, checked: dict, course: Course | None
) -> Course:
    level, category = _level_and_category(checked)
    created = course is None
    course = course or Course(provider=provider)
    fields = {k: v for k, v in checked.items() if k not in ("level", "category")}
    for name, value in fields.items():
        setattr(course, name, value)
    course.level, course.category = level, category
    course.status = _next_status(None if created else course.status)
    course.search_grams = textsearch.grams(
        course.title_zh, course.title_en, course.description_zh, course.description_en
    )
    with transaction.atomic():
        course.save()
        record(
            actor, f"catalogue.course.{'create' if created else 'change'}", course, code=course.code
        )
    return course


def upsert_course(actor: Actor, provider: Institution, values: dict[str, str], **kw) -> Course:
    """Create or change the provider's course with this code (imports and the API use it)."""
    code = (values.get("code") or "").strip()
    existing = Course.objects.filter(provider=provider, code=code).first()
    return save_course(actor, provider, values, course=existing, **kw)


def save_site(
    actor: Actor,
    provider: Institution,
    values: dict[str, str],
    *,
    site: Site | None = None,
    lookups: rows.Lookups | None = None,
) -> Site:
    actor.require_institution(provider.pk, WRITE_SCOPE)
    checked = rows.check_site(values, lookups or current_lookups(), geo.city_extent())
    if isinstance(checked, list):
        raise refuse(checked)
    same_code = Site.objects.filter(provider=provider, code=checked["code"])
    if site is not None:
        same_code = same_code.exclude(pk=site.pk)
    if same_code.exists():
        raise ValidationFailed(
            _("Another of your sites already has this code."), field="code", code="site.code"
        )
    created = site is None
    site = site or Site(provider=provider)
    for name, value in checked.items():
        setattr(site, name, value)
    site.status = _next_status(None if created else site.status)
    site.search_grams = textsearch.grams(site.name_zh, site.name_en, site.address)
    with transaction.atomic():
        site.save()
        record(actor, f"catalogue.site.{'create' if created else 'change'}", site, code=site.code)
    return site


def upsert_site(actor: Actor, provider: Institution, values: dict[str, str], **kw) -> Site:
    code = (values.get("code") or "").strip()
    existing = Site.objects.filter(provider=provider, code=code).first()
    return save_site(actor, provider, values, site=existing, **kw)


def moderate(actor: Actor, entry: Course | Site, action: str, note: str = "") -> Course | Site:
    """An administrator publishes, sends back (reject) or suspends a course or site."""
    actor.require_role("admin")
    if action not in MODERATION_ACTIONS:
        raise ValidationFailed(_("Choose publish, reject or suspend."), field="action")
    if action != "publish" and not note.strip():
        raise ValidationFailed(
            _("Say why, so the provider knows what to change."),
            field="note",
            code="moderation.note",
        )
    with transaction.atomic():
        entry.status = MODERATION_ACTIONS[action]
        entry.moderation_note = note.strip()
        entry.save(update_fields=["status", "moderation_note", "updated_at"])
        record(actor, f"catalogue.{type(entry).__name__.lower()}.{action}", entry, reason=note)
    return entry


def provider_for(actor: Actor, code: str | None) -> Institution:
    """The institution an officer or key acts for: the one named, or their only one."""
    if code:
        institution = Institution.objects.filter(code=code, active=True).first()
        if institution is None:
            raise NotFound(_("No active institution has the code %(code)s.") % {"code": code})
        return institution
    if actor.api_key is not None:
        return actor.api_key.institution
    mine = actor.institution_ids()
    if len(mine) == 1:
        return Institution.objects.get(pk=next(iter(mine)))
    raise ValidationFailed(
        _("Say which institution you act for: add ?institution=CODE."), field="institution"
    )
