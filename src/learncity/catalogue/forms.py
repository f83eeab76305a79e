"""Catalogue forms. They only parse; the services decide and say what is wrong."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from learncity.catalogue import choices
from learncity.identity import districts

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _lang() -> str:
    return get_language() or "zh-hans"


def labelled(table: choices.Labels, blank: str | None = None) -> list[tuple[str, str]]:
    options = [(code, choices.label(table, code, _lang())) for code in table]
    return [("", blank), *options] if blank is not None else options


def district_choices(blank: str | None = None) -> list[tuple[str, str]]:
    options = districts.choices(_lang())
    return [("", blank), *options] if blank is not None else options


class CourseForm(forms.Form):
    code = forms.CharField(label=_("Code (your own, e.g. XH-CAL-01)"), max_length=64)
    title_zh = forms.CharField(label=_("Title in Chinese"), max_length=300)
    title_en = forms.CharField(label=_("Title in English"), max_length=300, required=False)
    description_zh = forms.CharField(
        label=_("Description in Chinese"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    description_en = forms.CharField(
        label=_("Description in English"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=())
    kind = forms.ChoiceField(label=_("Kind"), choices=())
    audiences = forms.MultipleChoiceField(
        label=_("Meant for (leave empty for everyone)"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    hours = forms.CharField(label=_("Learning hours"), max_length=10, required=False)
    credits = forms.CharField(label=_("Credits"), max_length=10, required=False)
    level = forms.CharField(label=_("Framework level (1–8)"), max_length=2, required=False)
    category = forms.CharField(label=_("Outcome category code"), max_length=30, required=False)
    xapi_activity_iri = forms.CharField(
        label=_("xAPI activity IRI (online courses)"), max_length=500, required=False
    )
    fee_yuan = forms.CharField(label=_("Fee in yuan (0 if free)"), max_length=12, required=False)
    public_benefit = forms.BooleanField(label=_("Free public-benefit course"), required=False)
    districts = forms.MultipleChoiceField(
        label=_("Districts served (leave empty for the whole city)"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = labelled(choices.MODES)
        self.fields["kind"].choices = labelled(choices.COURSE_KINDS)
        self.fields["audiences"].choices = labelled(choices.AUDIENCES)
        self.fields["districts"].choices = district_choices()

    def as_texts(self) -> dict[str, str]:
        out = {}
        for key, value in self.cleaned_data.items():
            if isinstance(value, list):
                value = ",".join(value)
            elif isinstance(value, bool):
                value = "yes" if value else "no"
            out[key] = value or ""
        return out


class SiteForm(forms.Form):
    code = forms.CharField(label=_("Code (your own, e.g. XH-SITE-01)"), max_length=64)
    name_zh = forms.CharField(label=_("Name in Chinese"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind of site"), choices=())
    address = forms.CharField(label=_("Address"), max_length=300)
    district = forms.ChoiceField(label=_("District"), choices=())
    latitude = forms.CharField(label=_("Latitude (WGS-84, e.g. 31.2304)"), required=False)
    longitude = forms.CharField(label=_("Longitude (WGS-84, e.g. 121.4737)"), required=False)
    opening_hours = forms.CharField(label=_("Opening hours"), max_length=300, required=False)
    accessibility = forms.CharField(
        label=_("Accessibility"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    step_free = forms.BooleanField(label=_("Step-free access"), required=False)
    capacity = forms.CharField(label=_("Capacity (people)"), max_length=6, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = labelled(choices.SITE_KINDS)
        self.fields["district"].choices = district_choices(str(_("Choose…")))

    as_texts = CourseForm.as_texts


class SessionForm(forms.Form):
    site = forms.TypedChoiceField(label=_("Site"), coerce=int, choices=())
    room = forms.CharField(label=_("Room"), max_length=60, required=False)
    starts_on = forms.DateField(label=_("First date"), widget=DATE)
    ends_on = forms.DateField(label=_("Last date"), widget=DATE)
    weekdays = forms.MultipleChoiceField(
        label=_("Meets on"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )
    start_time = forms.TimeField(label=_("Starts at"), widget=TIME)
    end_time = forms.TimeField(label=_("Ends at"), widget=TIME)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=10000)

    def __init__(self, *args, sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = [(s.pk, f"{s.name(_lang())} · {s.address}") for s in sites]
        self.fields["weekdays"].choices = labelled(choices.WEEKDAYS)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[("courses", _("Courses")), ("sites", _("Learning sites"))],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(label=_("Spreadsheet (.xlsx or .csv)"))


class RatingForm(forms.Form):
    STARS = [(n, "★" * n + "☆" * (5 - n) + f" ({n})") for n in range(5, 0, -1)]
    stars = forms.TypedChoiceField(
        label=_("The course"), choices=STARS, coerce=int, widget=forms.RadioSelect
    )
    site_stars = forms.TypedChoiceField(
        label=_("The site (optional)"),
        choices=STARS,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )


class ModerationForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("publish", _("Publish")), ("reject", _("Send back")), ("suspend", _("Suspend"))]
    )
    note = forms.CharField(label=_("Note to the provider"), required=False, max_length=2000)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=200)
    topic = forms.CharField(label=_("What the team learns"), max_length=200)
    district_code = forms.ChoiceField(label=_("District"), choices=())
    description = forms.CharField(
        label=_("About the team"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district_code"].choices = district_choices(str(_("Choose…")))


class ActivityForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    title = forms.CharField(label=_("What the team did"), max_length=200)
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_value=24, decimal_places=1)
    attendees = forms.IntegerField(label=_("People who took part"), min_value=1)
