from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Identity and cross-cutting plumbing: the bottom layer, which imports no other app."""

    name = "accounts"
    verbose_name = _("Roller och gemensamma verktyg")

    def ready(self) -> None:
        # Infrastructure, not business logic: a save of anything the cached pages or the
        # report show makes their cached copies stale (see accounts/pages.py).
        # Likewise a change of a person (their password, groups, workplace) makes the facts
        # kept of them for the cached pages stale (see accounts/people.py).
        from . import pages, people

        pages.connect_signals()
        people.connect_signals()
