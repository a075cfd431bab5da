"""Writes about accounts that send mail or span models: inviting a person, resetting 2FA."""

from __future__ import annotations

from allauth.account import app_settings as account_settings
from allauth.account.adapter import get_adapter
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from allauth.utils import build_absolute_uri
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.roles import CASE_OFFICER, COORDINATOR, ENTERPRISE_STAFF
from enterprises.models import Enterprise

from .models import User


def user_invite(*, user: User, invited_by: User, request: HttpRequest) -> None:
    """Email the person a link to choose a password, saying who invited them and as what.

    The link is allauth's password reset link (Django's token machinery: it works once, and
    stops working when the password changes or PASSWORD_RESET_TIMEOUT has passed).
    """
    adapter = get_adapter(request)
    token = account_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(user)
    link = adapter.get_reset_password_from_key_url(f"{user_pk_to_url_str(user)}-{token}")
    adapter.send_mail(
        "account/email/invitation",
        user.email,
        {
            "user": user,
            "invited_by": invited_by,
            "role": role_description(user),
            "password_url": link,
            "valid_days": max(settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60), 1),
            "login_url": build_absolute_uri(request, reverse("account_login")),
            "needs_two_factor": user.is_staff,
        },
    )


def user_two_factor_reset(*, user: User) -> int:
    """Remove the person's authenticator app and recovery codes (a lost or changed phone).

    They set up a new app the next time they log in and open the admin. Returns how many
    authenticators were removed.
    """
    deleted, _by_model = Authenticator.objects.filter(user=user).delete()
    return deleted


def role_description(user) -> str:
    """What the person is in the network, in a sentence's words: for the invitation mail.

    E.g. "samordnare", "företagspersonal för Värmekällan i Väsby", "handläggare på
    Arbetsförmedlingen".
    """
    parts = []
    groups = {group.name for group in user.groups.all()}
    if user.is_superuser or COORDINATOR in groups:
        parts.append(_("samordnare"))
    if ENTERPRISE_STAFF in groups:
        names = [enterprise.name for enterprise in Enterprise.objects.staffed_by(user)]
        parts.append(
            _("företagspersonal för %(enterprises)s") % {"enterprises": _join(names)}
            if names
            else _("företagspersonal")
        )
    if CASE_OFFICER in groups:
        link = getattr(user, "case_officer", None)
        parts.append(
            _("handläggare på %(organisation)s") % {"organisation": link.organisation}
            if link
            else _("handläggare")
        )
    return _join(parts)


def _join(words: list[str]) -> str:
    """ "a", "a och b", "a, b och c"."""
    if len(words) <= 1:
        return "".join(words)
    return _("%(first)s och %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}
