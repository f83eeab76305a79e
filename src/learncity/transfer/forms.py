from django import forms
from django.utils.translation import gettext_lazy as _


class ConsentForm(forms.Form):
    consent = forms.BooleanField(
        label=_(
            "I agree that the institution may see my learning archive to decide this application."
        ),
        required=True,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
    )
    reason = forms.CharField(
        label=_("Reason (the learner will read it)"), widget=forms.Textarea(attrs={"rows": 2})
    )


class StandardsForm(forms.Form):
    file = forms.FileField(label=_("Standards file (YAML or JSON)"), required=False)
    text = forms.CharField(
        label=_("Or paste the standards"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )

    def content(self) -> str:
        upload = self.cleaned_data.get("file")
        if upload:
            return upload.read().decode("utf-8", errors="replace")
        return self.cleaned_data.get("text") or ""
