from django import forms
from django.utils.translation import gettext_lazy as _

from learncity.framework.models import Category, Level


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("approve", _("Recognise")), ("refuse", _("Refuse"))],
    )
    level = forms.TypedChoiceField(
        label=_("Framework level"), coerce=int, required=False, choices=()
    )
    category = forms.ChoiceField(label=_("Category"), required=False, choices=())
    credits = forms.DecimalField(
        label=_("Credits"), required=False, min_value=0, max_value=300, decimal_places=1
    )
    reason = forms.CharField(
        label=_("Reason (the learner will read it)"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, framework=None, **kwargs):
        super().__init__(*args, **kwargs)
        levels = Level.objects.filter(framework=framework) if framework else Level.objects.none()
        cats = (
            Category.objects.filter(framework=framework) if framework else Category.objects.none()
        )
        self.fields["level"].choices = [("", "—")] + [
            (lv.number, f"{lv.number} {lv.name_zh}") for lv in levels
        ]
        self.fields["category"].choices = [("", "—")] + [(c.code, c.name_zh) for c in cats]


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the decision should change"), widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence = forms.FileField(label=_("New evidence (file)"), required=False)
    evidence_url = forms.URLField(
        label=_("Or a link to the new evidence"), required=False, assume_scheme="https"
    )


class VerifyForm(forms.Form):
    learner_no = forms.CharField(label=_("Learner number (empty: every account)"), required=False)
