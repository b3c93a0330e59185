from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class LineChannelForm(forms.Form):
    # Secrets are never rendered back (render_value=False): empty keeps what is stored.
    channel_id = forms.CharField(label=_("Channel ID"), max_length=20)
    channel_secret = forms.CharField(label=_("Channel secret"), required=False, max_length=64,
                                     widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}))
    access_token = forms.CharField(label=_("Channel access token (long-lived)"), required=False, max_length=500,
                                   widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}))
