"""Portal forms. They only parse; the services decide (and say what is wrong)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from learncity.identity import districts
from learncity.identity.models import DOCUMENT_TYPE_CHOICES, HUKOU_CHOICES, SEX_CHOICES
from learncity.records.kinds import OUTCOME_KINDS, SELF_REPORTABLE_KINDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


def _district_choices():
    from django.utils.translation import get_language

    return [("", _("Choose…")), *districts.choices(get_language() or "zh-hans")]


def _kind_choices(kinds=None):
    from django.utils.translation import get_language

    english = (get_language() or "").startswith("en")
    return [
        (code, en if english else zh)
        for code, (en, zh, _c) in OUTCOME_KINDS.items()
        if kinds is None or code in kinds
    ]


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Name (as on the identity document)"), max_length=100)
    doc_type = forms.ChoiceField(label=_("Identity document"), choices=DOCUMENT_TYPE_CHOICES)
    doc_country = forms.CharField(
        label=_("Issuing country (passport only, e.g. USA)"), max_length=3, required=False
    )
    id_number = forms.CharField(
        label=_("Identity number"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DATE_WIDGET)
    sex = forms.ChoiceField(label=_("Sex"), choices=SEX_CHOICES, initial="U")
    district_code = forms.ChoiceField(label=_("District of residence"), choices=())
    hukou = forms.ChoiceField(label=_("Household registration"), choices=HUKOU_CHOICES)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    username = forms.CharField(label=_("User name for signing in"), max_length=150)
    password = forms.CharField(
        label=_("Password (at least 8 characters)"), widget=forms.PasswordInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district_code"].choices = _district_choices()


class OutcomeDepositForm(forms.Form):
    id_type = forms.ChoiceField(
        label=_("Learner's identity document"), choices=DOCUMENT_TYPE_CHOICES
    )
    id_country = forms.CharField(
        label=_("Issuing country (passport only)"), max_length=3, required=False
    )
    id_number = forms.CharField(label=_("Learner's identity number"), max_length=30)
    name = forms.CharField(label=_("Learner's name"), max_length=100)
    kind = forms.ChoiceField(label=_("Outcome kind"), choices=())
    title = forms.CharField(label=_("Title"), max_length=300)
    code = forms.CharField(label=_("Course or certificate code"), max_length=64, required=False)
    hours = forms.CharField(label=_("Learning hours"), required=False)
    credits = forms.CharField(label=_("Credits (as your institution counts them)"), required=False)
    result = forms.CharField(label=_("Result (score, grade or pass/fail)"), required=False)
    started_on = forms.CharField(
        label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    completed_on = forms.CharField(
        label=_("Completion date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    evidence_url = forms.CharField(label=_("Evidence link"), required=False)
    reference = forms.CharField(
        label=_("Your reference (prevents duplicates)"), max_length=100, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _kind_choices()


class SelfReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What kind of learning"), choices=())
    title = forms.CharField(label=_("Title"), max_length=300)
    issuer_name = forms.CharField(
        label=_("Organisation (employer, volunteer organisation, platform)"),
        max_length=200,
        required=False,
    )
    hours = forms.CharField(label=_("Learning hours"), required=False)
    started_on = forms.CharField(
        label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    completed_on = forms.CharField(
        label=_("Completion date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    evidence = forms.FileField(
        label=_("Evidence file (certificate, letter, photo)"), required=False
    )
    evidence_url = forms.CharField(label=_("Or a link to the evidence"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _kind_choices(SELF_REPORTABLE_KINDS)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx or .csv)"))
    accept_valid = forms.BooleanField(
        label=_("Accept the valid rows and give me the rejected ones as a file"), required=False
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("approve", _("Accept")), ("refuse", _("Refuse"))],
    )
    note = forms.CharField(
        label=_("Reason (the learner will read it)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("What the key is for"), max_length=100)
    scopes = forms.MultipleChoiceField(
        label=_("Allowed to"),
        widget=forms.CheckboxSelectMultiple,
        choices=[("outcomes:write", _("deposit outcomes")), ("outcomes:read", _("read outcomes"))],
    )


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action starts with"), required=False)
    who = forms.CharField(label=_("Who"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    until = forms.DateField(label=_("Until"), required=False, widget=DATE_WIDGET)


class DelegateForm(forms.Form):
    username = forms.CharField(
        label=_("User name of the person who may read your records"), max_length=150
    )
