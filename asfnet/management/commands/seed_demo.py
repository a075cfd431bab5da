from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from asfnet.demo import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    DemoPrerequisiteMissing,
    demo_content_load,
)


class Command(BaseCommand):
    help = (
        "Lägger in påhittat demoinnehåll (konton, platser, placeringar) ovanpå nätverket "
        "från seed_network. Bara med DEBUG påslaget."
    )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                _(
                    "seed_demo lägger in demokonton med ett känt lösenord och körs därför bara "
                    "med DEBUG påslaget, aldrig i produktion. Inget har ändrats."
                )
            )
        call_command(
            "seed_network", verbosity=options["verbosity"], stdout=self.stdout, stderr=self.stderr
        )
        try:
            result = demo_content_load()
        except DemoPrerequisiteMissing as error:
            raise CommandError(str(error)) from error

        self.stdout.write(
            _(
                "Demoinnehåll: %(accounts)d nya konton, %(places)d nya platser, "
                "%(placements)d nya placeringar, %(requests)d nya förfrågningar."
            )
            % {
                "accounts": result.accounts,
                "places": result.places,
                "placements": result.placements,
                "requests": result.requests,
            }
        )
        if result.skipped_places:
            self.stdout.write(
                _("Hoppade över platser vars företag saknas: %(titles)s")
                % {"titles": ", ".join(result.skipped_places)}
            )
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                _("Demokonton (lösenord för alla: %(password)s)") % {"password": DEMO_PASSWORD}
            )
        )
        width = max(len(account.email) for account in DEMO_ACCOUNTS)
        self.stdout.write(f"  {_('E-post'):<{width}}  {_('Lösenord'):<13}  {_('Roll')}")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.email:<{width}}  {DEMO_PASSWORD:<13}  {account.note}")
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                _("Tvåstegsverifiering (krävs i /admin/) för %(emails)s: nyckel %(secret)s")
                % {
                    "emails": ", ".join(a.email for a in DEMO_ACCOUNTS if a.has_demo_totp),
                    "secret": DEMO_TOTP_SECRET,
                }
            )
        )
        self.stdout.write(
            _(
                "  Lägg in nyckeln i en app för engångskoder, eller räkna ut koden med: "
                "oathtool --totp -b %(secret)s"
            )
            % {"secret": DEMO_TOTP_SECRET}
        )
