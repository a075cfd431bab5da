"""Deploy check: the worker must deliver mail through a real mail server in production.

Django's own mail.E001 looks at MAILERS["default"], which here is always the outbox; the
mail server the worker uses is MAILERS["delivery"].
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.checks.mail import NON_PRODUCTION_EMAIL_BACKENDS

from .outbox import DELIVERY_MAILER


@register(Tags.mail, deploy=True)
def check_delivery_mailer(app_configs, **kwargs):
    backend = settings.MAILERS.get(DELIVERY_MAILER, {}).get("BACKEND", "")
    if backend not in NON_PRODUCTION_EMAIL_BACKENDS:
        return []
    return [
        Error(
            f"MAILERS['{DELIVERY_MAILER}'] uses a development-only email backend ({backend}): "
            "the worker would not send the portal's mail.",
            hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD).",
            id="background.E001",
        )
    ]
