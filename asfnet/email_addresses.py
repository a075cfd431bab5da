"""A person's email address counts only once it is confirmed.

The login name is User.email: the coordinator sets it (creating or inviting the person, who
proves it by choosing a password through the link mailed there), or allauth sets it when the
person confirms a new address on /konto/email/ (ACCOUNT_CHANGE_EMAIL). So User.email is always
a confirmed address, kept as allauth's verified primary EmailAddress (`sync_login_address`),
and an address added on /konto/email/ stays pending, good for nothing, until its link is
followed: it cannot be made primary, log in, or receive a password reset.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models import Q


def confirmed_users(email: str, *, is_active: bool | None = True) -> list:
    """The people whose login name, or another confirmed address, is this email."""
    users = get_user_model().objects.filter(
        Q(email__iexact=email) | Q(emailaddress__email__iexact=email, emailaddress__verified=True)
    )
    if is_active is not None:
        users = users.filter(is_active=is_active)
    return list(users.distinct())


def sync_login_address(sender, instance, **kwargs) -> None:
    """After a User is saved: its email is its verified primary address, and the only one
    verified (a pending, unconfirmed change stays until it is confirmed or replaced)."""
    if kwargs.get("raw") or not instance.email:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "email" not in update_fields:
        return  # the address was not saved (a login saves last_login alone)
    email = instance.email.lower()
    addresses = EmailAddress.objects.filter(user=instance)
    addresses.filter(verified=True).exclude(email__iexact=email).delete()
    addresses.exclude(email__iexact=email).filter(primary=True).update(primary=False)
    updated = addresses.filter(email__iexact=email).update(verified=True, primary=True)
    if not updated:
        EmailAddress.objects.create(user=instance, email=email, verified=True, primary=True)


class AuthenticationBackend(AllauthBackend):
    """allauth's login by email, by confirmed addresses only."""

    def _authenticate_by_email(self, email: str, password: str):
        if not email:
            return None
        for user in confirmed_users(email, is_active=None):
            if self._check_password(user, password):
                return user
        return None


class ResetPasswordForm(AllauthResetPasswordForm):
    """A reset link only ever goes to a confirmed address of the account it opens."""

    def clean_email(self) -> str:
        email = super().clean_email()
        self.users = confirmed_users(email)
        return email
