"""What is offered: learning sites, courses and resources, and their sessions."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from learncity.catalogue import choices
from learncity.framework.models import Category, Level
from learncity.institutions.models import Institution


class Site(models.Model):
    """A place where people learn: community school, elderly university, library, museum…"""

    provider = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="learning_sites"
    )
    code = models.CharField(_("code"), max_length=64)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind"), max_length=24, choices=choices.django_choices(choices.SITE_KINDS)
    )
    address = models.CharField(_("address"), max_length=300)
    district_code = models.CharField(_("district"), max_length=12)
    latitude = models.FloatField(_("latitude (WGS-84)"), null=True, blank=True)
    longitude = models.FloatField(_("longitude (WGS-84)"), null=True, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=300, blank=True)
    accessibility = models.TextField(_("accessibility"), blank=True)
    step_free = models.BooleanField(_("step-free access"), default=False)
    capacity = models.PositiveIntegerField(_("capacity (people)"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=choices.django_choices(choices.MODERATION),
        default="pending",
    )
    moderation_note = models.TextField(_("moderation note"), blank=True)
    search_grams = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "code"], name="unique_site_code"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="site_coordinates_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "district_code"], name="site_status_district"),
            models.Index(fields=["latitude", "longitude"], name="site_position"),
        ]
        ordering = ["district_code", "name_zh"]
        verbose_name = _("learning site")
        verbose_name_plural = _("learning sites")

    def __str__(self) -> str:
        return self.name_zh

    def name(self, language: str) -> str:
        return self.name_en if language.startswith("en") and self.name_en else self.name_zh


class Course(models.Model):
    """A course or resource: online, offline or blended, from one provider."""

    provider = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="courses")
    code = models.CharField(_("code"), max_length=64)
    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    mode = models.CharField(_("mode"), max_length=10, choices=choices.django_choices(choices.MODES))
    kind = models.CharField(
        _("kind"), max_length=16, choices=choices.django_choices(choices.COURSE_KINDS)
    )
    audiences = models.CharField(_("audiences"), max_length=100, blank=True)  # ',elderly,'
    hours = models.DecimalField(
        _("learning hours"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    credits = models.DecimalField(
        _("credits"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    level = models.ForeignKey(
        Level, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    xapi_activity_iri = models.CharField(_("xAPI activity IRI"), max_length=500, blank=True)
    fee_yuan = models.DecimalField(_("fee (yuan)"), max_digits=10, decimal_places=2, default=0)
    public_benefit = models.BooleanField(_("free public-benefit course"), default=False)
    districts = models.CharField(_("districts served"), max_length=250, blank=True)  # ',310104,'
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=choices.django_choices(choices.MODERATION),
        default="pending",
    )
    moderation_note = models.TextField(_("moderation note"), blank=True)
    next_start = models.DateField(_("next start"), null=True, blank=True)
    # Where and when its running sessions meet, kept by services.sessions.refresh_schedule so
    # that search filters are plain column tests: ',310104,' / ',2,5,' / ',morning,'.
    held_in = models.CharField(max_length=250, blank=True, default="", editable=False)
    held_days = models.CharField(max_length=20, blank=True, default="", editable=False)
    held_parts = models.CharField(max_length=40, blank=True, default="", editable=False)
    search_grams = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "code"], name="unique_course_code"),
            models.UniqueConstraint(
                fields=["xapi_activity_iri"],
                condition=~Q(xapi_activity_iri=""),
                name="unique_course_activity_iri",
            ),
            models.CheckConstraint(condition=Q(fee_yuan__gte=0), name="course_fee_not_negative"),
        ]
        indexes = [
            models.Index(fields=["status", "next_start"], name="course_status_start"),
            models.Index(fields=["provider", "status"], name="course_provider_status"),
        ]
        ordering = ["title_zh"]
        verbose_name = _("course or resource")
        verbose_name_plural = _("courses and resources")

    def __str__(self) -> str:
        return self.title_zh

    def title(self, language: str) -> str:
        return self.title_en if language.startswith("en") and self.title_en else self.title_zh

    def description(self, language: str) -> str:
        english = language.startswith("en") and self.description_en
        return self.description_en if english else self.description_zh

    @property
    def free(self) -> bool:
        return self.public_benefit or self.fee_yuan == 0


class Session(models.Model):
    """A class (班次) of a course, or a session of a citywide event, at a site, with seats."""

    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.PROTECT, related_name="sessions"
    )
    event = models.ForeignKey(
        "catalogue.Event", null=True, blank=True, on_delete=models.PROTECT, related_name="sessions"
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="sessions")
    room = models.CharField(_("room"), max_length=60, blank=True)
    starts_on = models.DateField(_("first date"))
    ends_on = models.DateField(_("last date"))
    weekdays = models.CharField(_("weekdays"), max_length=7)  # '135' = Mon, Wed, Fri
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("places"))
    seats_taken = models.PositiveIntegerField(_("places taken"), default=0)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(seats_taken__lte=models.F("capacity")), name="session_never_overbooked"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="session_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(course__isnull=False, event__isnull=True)
                | Q(course__isnull=True, event__isnull=False),
                name="session_of_course_or_event",
            ),
        ]
        indexes = [
            models.Index(fields=["site", "starts_on"], name="session_site_start"),
            models.Index(fields=["course", "ends_on"], name="session_course_end"),
        ]
        ordering = ["starts_on", "start_time"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.course or self.event} {self.starts_on} {self.site}"

    def title(self, language: str) -> str:
        if self.course_id and not self.title_zh:
            return self.course.title(language)
        return self.title_en if language.startswith("en") and self.title_en else self.title_zh

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)
