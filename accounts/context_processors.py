"""The signed-in frame: who is logged in, in which role, and the way to their work and out."""

from __future__ import annotations

from functools import cached_property

from django.http import HttpRequest

from .roles import WorkLink, role_title, work_links


class SignedIn:
    """What the header shows a signed-in person, read only when a template asks for it."""

    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.email

    @cached_property
    def role(self) -> str:
        return role_title(self.user)

    @cached_property
    def links(self) -> list[WorkLink]:
        return work_links(self.user)


def signed_in(request: HttpRequest) -> dict:
    """`signed_in` in every template rendered for a logged-in person; absent for visitors.

    Only pages rendered for a visitor are kept in the page cache (accounts/pages.py), so no
    cached page carries anybody's frame.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"signed_in": SignedIn(user)}
