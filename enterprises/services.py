"""Writes of the enterprises app that have side effects: the contact form's inquiries."""

from __future__ import annotations

import ipaddress
import logging
from functools import partial
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
    """Store an inquiry from the contact form, then email the people who should see it.

    The inquiry is committed before any mail is sent, and a mail that cannot be sent is
    logged and noted on the inquiry: a broken mail server never loses a message.

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
        transaction.on_commit(
            partial(
                inquiry_notify,
                inquiry=inquiry,
                admin_url=urljoin(
                    base_url, reverse("admin:enterprises_inquiry_change", args=[inquiry.pk])
                ),
                language=translation.get_language(),
            ),
            # Whatever goes wrong while mailing, the sender has sent their message.
            robust=True,
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
    """Email the coordinator, the chosen enterprise and the sender (a short receipt).

    Each mail is sent on its own, so that one refused address does not stop the others.
    What could not be sent is logged and written in the inquiry's internal notes, where the
    coordinator sees it in the admin. The network's own mails are in Swedish; the receipt is
    in the language the sender used.
    """
    network = NetworkProfile.current()
    context = {
        "inquiry": inquiry,
        "network": network,
        "network_name": network.short_name if network else "ASF-nätverket",
        "admin_url": admin_url,
    }
    mails: list[tuple[str, EmailMessage]] = []
    problems: list[str] = []
    with translation.override("sv"):
        if coordinator := network and (network.coordinator_email or network.email):
            mail = _mail("inquiry_coordinator", context, to=coordinator, reply_to=inquiry.email)
            mails.append((_("samordnaren"), mail))
        else:
            logger.warning("Inquiry %s: no coordinator address to send it to", inquiry.pk)
            problems.append(
                _("Det finns ingen adress till samordnaren under Nätverkets uppgifter.")
            )
        if inquiry.enterprise and inquiry.enterprise.email:
            mail = _mail(
                "inquiry_enterprise", context, to=inquiry.enterprise.email, reply_to=inquiry.email
            )
            mails.append((_("företaget"), mail))
        receipt = _("avsändaren (kvitto)")
    if inquiry.email:
        with translation.override(language or settings.LANGUAGE_CODE):
            received = date_format(timezone.localtime(inquiry.created_at), "SHORT_DATETIME_FORMAT")
            mail = _mail(
                "inquiry_receipt",
                {**context, "received": received},
                to=inquiry.email,
                reply_to=network.email if network else "",
            )
            mails.append((receipt, mail))

    failed = _send_each(inquiry, mails)
    if not (problems or failed):
        return
    with translation.override("sv"):
        when = date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT")
        problems += [
            _("E-post till %(who)s kunde inte skickas %(when)s.") % {"who": who, "when": when}
            for who in failed
        ]
        note = _("Automatisk anteckning: %(problems)s") % {"problems": " ".join(problems)}
    # A new inquiry has no notes yet: nobody's words are overwritten.
    Inquiry.objects.filter(pk=inquiry.pk).update(notes=note, updated_at=timezone.now())


def _send_each(inquiry: Inquiry, mails: list[tuple[str, EmailMessage]]) -> list[str]:
    """Send the mails over one connection; return who could not be reached."""
    if not mails:
        return []
    connection = mailers.default
    try:
        connection.open()
    except Exception:
        # Any failure of the mail server (refused, timeout, bad login, ...): the inquiry stays.
        logger.exception("No mail sent for inquiry %s: the mail server did not answer", inquiry.pk)
        return [who for who, _message in mails]
    failed = []
    try:
        for who, mail in mails:
            try:
                connection.send_messages([mail])
            except Exception:
                logger.exception("Mail to %s about inquiry %s could not be sent", who, inquiry.pk)
                failed.append(who)
    finally:
        try:
            connection.close()
        except Exception:
            logger.exception("The mail connection could not be closed cleanly")
    return failed


def _mail(template: str, context: dict, *, to: str, reply_to: str = "") -> EmailMessage:
    subject = render_to_string(f"emails/enterprises/{template}_subject.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=render_to_string(f"emails/enterprises/{template}.txt", context),
        to=[to],
        reply_to=[reply_to] if reply_to else None,
    )
