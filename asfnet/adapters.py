"""How django-allauth behaves in the portal: closed sign-up, Swedish messages, required 2FA,
and where logging in lands."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.utils.translation import gettext_lazy as _

from accounts.client import client_address
from accounts.roles import requires_two_factor, start_page
from enterprises.models import NetworkProfile

from . import secrets_at_rest


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: the coordinator creates or invites every account."""

    # The messages a person meets when logging in, in the portal's own words.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _("E-postadressen eller lösenordet är fel."),
        "too_many_login_attempts": _(
            "För många misslyckade inloggningsförsök. Vänta fem minuter och försök igen, "
            "eller välj ”Glömt lösenordet?”."
        ),
        "account_inactive": _("Kontot är avstängt. Kontakta nätverkets samordnare."),
        "incorrect_code": _("Koden stämmer inte. Skriv den kod som appen visar just nu."),
        "invalid_or_expired_key": _("Länken är ogiltig eller för gammal."),
        "invalid_password_reset": _("Länken för att välja lösenord är ogiltig eller för gammal."),
        "rate_limited": _("Du har försökt för många gånger. Vänta en stund och försök igen."),
    }

    def is_open_for_signup(self, request) -> bool:
        return False

    def get_login_redirect_url(self, request) -> str:
        """The person's start page (accounts.roles.work_links), else LOGIN_REDIRECT_URL.

        allauth asks this only when the login was not sent to a page of its own: a safe local
        ?next= wins. After the authenticator code, allauth asks it again for the same login.
        """
        return start_page(request.user) or super().get_login_redirect_url(request)

    def get_client_ip(self, request) -> str:
        # One client address for every rate limit (accounts/client.py).
        return client_address(request)


class MFAAdapter(DefaultMFAAdapter):
    """Two-factor authentication, required of everyone who works in the admin."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Du kan inte stänga av tvåstegsverifieringen: den krävs för alla som arbetar i "
            "administrationen. Har du bytt eller tappat bort telefonen? Be samordnaren "
            "återställa din tvåstegsverifiering, så lägger du in appen på nytt nästa gång "
            "du loggar in."
        ),
        "incorrect_code": _("Koden stämmer inte. Skriv den kod som appen visar just nu."),
    }

    def encrypt(self, text: str) -> str:
        # Authenticator keys and recovery-code seeds are encrypted at rest.
        return secrets_at_rest.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return secrets_at_rest.decrypt(encrypted_text)

    def get_totp_issuer(self) -> str:
        # The name the authenticator app shows beside the code.
        profile = NetworkProfile.current()
        return profile.short_name if profile else "ASF-nätverket"

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Turning it off would only send the person back to turn it on before the admin opens.
        if authenticator.type == Authenticator.Type.TOTP and requires_two_factor(
            authenticator.user
        ):
            return False
        return super().can_delete_authenticator(authenticator)
