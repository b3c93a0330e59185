"""Sign-in pages; mounted at /staff/ on every body's host and at /oversight/ on the platform domain
(apps.complaints.signin_urls, apps.oversight.signin_urls: each site's own login form, whose check
belongs to an app above this one), under the namespace `accounts`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.urls import URLPattern, path

from apps.accounts import views


def patterns(site: str, *, login_form: type[AuthenticationForm]) -> list[URLPattern]:
    def view(cls: Any) -> views.View:
        return views.second_factor_exempt(cls.as_view(site=site))

    kw = {"site": site}
    return [
        path("login/", views.login_view, {**kw, "login_form": login_form}, name="login"),
        path("logout/", views.logout_view, kw, name="logout"),
        path("second-factor/", views.verify_view, kw, name="verify"),
        path("second-factor/setup/", views.setup_view, kw, name="setup"),
        path("second-factor/recovery-codes/", views.recovery_codes_view, kw, name="recovery-codes"),
        path("password-reset/", view(views.ResetRequestView), name="password-reset"),
        path("password-reset/sent/", view(views.ResetSentView), name="password-reset-sent"),
        path("password-reset/<uidb64>/<token>/", view(views.ResetConfirmView),
             name="password-reset-confirm"),
        path("password-reset/done/", view(views.ResetDoneView), name="password-reset-done"),
    ]
