"""Forms of the LRS portal pages: an institution's credentials, a learner's xAPI addresses."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CredentialForm(forms.Form):
    name = forms.CharField(
        label=_("Which platform will use it"),
        max_length=100,
    )
    scopes = forms.MultipleChoiceField(
        label=_("Allowed to"),
        widget=forms.CheckboxSelectMultiple,
        choices=[("write", _("send statements")), ("read", _("read statements"))],
        initial=["write"],
    )
    default_version = forms.ChoiceField(
        label=_("xAPI version of the platform"),
        choices=[("2.0.0", "2.0.0"), ("1.0.3", "1.0.3")],
        initial="2.0.0",
    )


class LearnerEmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address you use on the learning platform"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
    email_again = forms.EmailField(
        label=_("The same address again"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "inputmode": "email"}),
    )
    confirm = forms.BooleanField(
        label=_("This address is mine, and records sent with it are my learning."),
    )

    def clean(self):
        data = super().clean()
        first, second = data.get("email"), data.get("email_again")
        if first and second and first.strip().lower() != second.strip().lower():
            self.add_error("email_again", _("The two addresses differ."))
        return data
