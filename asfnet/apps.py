from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AsfnetConfig(AppConfig):
    name = "asfnet"
    verbose_name = _("Konton")


class NetworkAdminConfig(admin_apps.AdminConfig):
    """Django's admin on a site titled with the network's name (see admin_site.py)."""

    default = False  # AsfnetConfig stays this module's config for the asfnet app
    default_site = "asfnet.admin_site.NetworkAdminSite"
