from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AsfnetConfig(AppConfig):
    name = "asfnet"
    verbose_name = _("Konton")
