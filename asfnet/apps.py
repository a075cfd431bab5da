from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AsfnetConfig(AppConfig):
    name = "asfnet"
    verbose_name = _("Konton")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from .email_addresses import sync_login_address
        from .models import User

        post_save.connect(sync_login_address, sender=User, dispatch_uid="sync_login_address")


class NetworkAdminConfig(admin_apps.AdminConfig):
    """Django's admin on a site titled with the network's name (see admin_site.py)."""

    default = False  # AsfnetConfig stays this module's config for the asfnet app
    default_site = "asfnet.admin_site.NetworkAdminSite"
