"""Forms of the credential pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

SHARE_DAYS = [(1, _("1 day")), (7, _("7 days")), (30, _("30 days")), (90, _("90 days"))]


class ShareForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("The link works for"), choices=SHARE_DAYS, coerce=int, initial=30
    )


class VerifyForm(forms.Form):
    credential = forms.CharField(
        label=_("Paste the credential (JSON or VC-JWT)"), required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "autocomplete": "off"}),
    )
    upload = forms.FileField(label=_("Or upload the credential file"), required=False)
    link = forms.CharField(
        label=_("Or give the link from a QR code or a share link"), required=False,
        max_length=2000, widget=forms.URLInput(attrs={"inputmode": "url"}),
    )
    did_document = forms.CharField(
        label=_("Issuer's DID document (only for another issuer's did:web; optional)"),
        required=False, widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )

    def clean(self):
        data = super().clean()
        if not (data.get("credential") or data.get("upload") or data.get("link")):
            raise forms.ValidationError(
                _("Paste a credential, upload its file, or give the link from its QR code.")
            )
        return data
