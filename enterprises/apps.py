from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Nätverket och företagen")

    def ready(self) -> None:
        # Infrastructure, not business logic: saving what the public pages show makes their
        # cached copies stale (see enterprises/cache.py).
        from . import cache

        cache.connect_signals()
