"""Writes of the enterprises app that have side effects: the contact form's inquiries."""

from __future__ import annotations

import ipaddress
import logging
from urllib.parse import urljoin

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Enterprise, Inquiry, NetworkProfile, ServiceCategory

logger = logging.getLogger(__name__)

# At most this many inquiries per client address (an IPv6 /64) in one window. People write
# once or twice; a script writes hundreds. Counted in the cache, which is Redis in production,
# so the count is shared by every app instance.
INQUIRY_RATE_LIMIT = 5
INQUIRY_RATE_WINDOW = 60 * 60  # seconds


class InquiryRateLimited(Exception):
    """Too many inquiries from one address within the window; nothing was stored."""


def inquiry_submit(
    *,
    topic: str,
    name: str,
    message: str,
    email: str = "",
    phone: str = "",
    enterprise: Enterprise | None = None,
    service_category: ServiceCategory | None = None,
    ip: str,
    base_url: str,
) -> Inquiry:
    """Store an inquiry from the contact form and the mails to the people who should see it.

    Both are stored in one transaction; the worker sends the mails (background/outbox.py),
    so a broken mail server never loses a message nor slows the sender down.

    `ip` is the sender's address, for the rate limit. `base_url` is the scheme and host the
    sender used (https://asf.example.org/), for the link to the inquiry in the admin.

    Raises InquiryRateLimited, before storing anything, when the address has sent too many.
    """
    _count_against_rate_limit(ip)
    with transaction.atomic():
        inquiry = Inquiry.objects.create(
            topic=topic,
            enterprise=enterprise,
            service_category=service_category,
            name=name,
            email=email,
            phone=phone,
            message=message,
        )
        # The mails go to the outbox in this transaction: they exist exactly when the
        # inquiry does, and the worker delivers them (a mail server that is down only
        # delays them; the coordinator sees undeliverable mail in the admin).
        inquiry_notify(
            inquiry=inquiry,
            admin_url=urljoin(
                base_url, reverse("admin:enterprises_inquiry_change", args=[inquiry.pk])
            ),
            language=translation.get_language(),
        )
    return inquiry


def _rate_limit_key(ip: str) -> str:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return f"inquiry-rate:{ip or 'unknown'}"
    if address.version == 6:
        if address.ipv4_mapped:  # ::ffff:192.0.2.1 is 192.0.2.1
            return f"inquiry-rate:{address.ipv4_mapped}"
        # One IPv6 subscriber usually has a whole /64 to pick addresses from.
        return f"inquiry-rate:{ipaddress.ip_network(f'{address}/64', strict=False)}"
    return f"inquiry-rate:{address}"


def _count_against_rate_limit(ip: str) -> None:
    key = _rate_limit_key(ip)
    try:
        # The window starts with the first inquiry; incr() keeps its expiry.
        cache.add(key, 0, timeout=INQUIRY_RATE_WINDOW)
        count = cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.set(key, 1, timeout=INQUIRY_RATE_WINDOW)
        count = 1
    except Exception:
        # The limit is a defence, not a gate: with the cache down, people still get through.
        logger.exception("Inquiry rate limit not checked: the cache did not answer")
        return
    if count > INQUIRY_RATE_LIMIT:
        raise InquiryRateLimited


def inquiry_notify(*, inquiry: Inquiry, admin_url: str, language: str | None = None) -> None:
    """Mail the coordinator, the chosen enterprise and the sender (a short receipt).

    One mail per recipient, through the outbox. Without an address for the coordinator the
    inquiry gets an internal note saying so, where the coordinator sees it in the admin. The
    network's own mails are in Swedish; the receipt is in the language the sender used.
    """
    network = NetworkProfile.current()
    context = {
        "inquiry": inquiry,
        "network": network,
        "network_name": network.short_name if network else "ASF-nätverket",
        "admin_url": admin_url,
    }
    mails: list[EmailMessage] = []
    with translation.override("sv"):
        if coordinator := network and (network.coordinator_email or network.email):
            mails.append(
                _mail("inquiry_coordinator", context, to=coordinator, reply_to=inquiry.email)
            )
        else:
            logger.warning("Inquiry %s: no coordinator address to send it to", inquiry.pk)
            note = _("Automatisk anteckning: %(problems)s") % {
                "problems": _("Det finns ingen adress till samordnaren under Nätverkets uppgifter.")
            }
            # A new inquiry has no notes yet: nobody's words are overwritten.
            Inquiry.objects.filter(pk=inquiry.pk).update(notes=note, updated_at=timezone.now())
        if inquiry.enterprise and inquiry.enterprise.email:
            mails.append(
                _mail(
                    "inquiry_enterprise",
                    context,
                    to=inquiry.enterprise.email,
                    reply_to=inquiry.email,
                )
            )
    if inquiry.email:
        with translation.override(language or settings.LANGUAGE_CODE):
            received = date_format(timezone.localtime(inquiry.created_at), "SHORT_DATETIME_FORMAT")
            mails.append(
                _mail(
                    "inquiry_receipt",
                    {**context, "received": received},
                    to=inquiry.email,
                    reply_to=network.email if network else "",
                )
            )
    if mails:
        mailers.default.send_messages(mails)


def _mail(template: str, context: dict, *, to: str, reply_to: str = "") -> EmailMessage:
    subject = render_to_string(f"emails/enterprises/{template}_subject.txt", context, using="text")
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=render_to_string(f"emails/enterprises/{template}.txt", context, using="text"),
        to=[to],
        reply_to=[reply_to] if reply_to else None,
    )
