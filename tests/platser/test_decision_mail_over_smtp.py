"""A decision's mail through a real SMTP server (aiosmtpd, in the test process).

With the mail server down the decision is made and its mail waits in the outbox; when the
server is back, the worker's next round delivers the mail, exactly once.
"""

from __future__ import annotations

import datetime
import socket
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from background import schedule
from background.models import OutboxMail
from placements.models import PlacementRequest

# The worker opens its own transactions, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


class Inbox:
    """aiosmtpd handler: keeps every message the server accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_port(settings):
    port = free_port()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILERS["delivery"] = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5},
    }
    return port


def subject(envelope) -> str:
    return str(make_header(decode_header(message_from_bytes(envelope.content)["Subject"])))


def test_smtp_down_loses_nothing_and_smtp_up_delivers_exactly_once(
    staff_a_client, pending_request, smtp_port, time_machine
):
    # The mail server is down: nothing listens on the port.
    response = staff_a_client.post(
        reverse("placements:accept", args=[pending_request.pk]), {"bekrafta": "ja"}
    )
    assert response.status_code == 302
    call_command("worker", batch=True, verbosity=0)

    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.ACCEPTED
    (waiting,) = OutboxMail.objects.all()
    assert waiting.status == OutboxMail.Status.PENDING
    assert waiting.attempts == 1
    assert "Connection refused" in waiting.last_error or "Errno" in waiting.last_error

    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    server.start()
    try:
        # Before the pause after the failed try is over, nothing is tried.
        schedule.run_tick()
        assert inbox.messages == []

        time_machine.move_to(timezone.now() + datetime.timedelta(minutes=2))
        schedule.run_tick()
        schedule.run_tick()
        call_command("worker", batch=True, verbosity=0)
    finally:
        server.stop()

    (delivered,) = inbox.messages
    assert delivered.rcpt_tos == [pending_request.case_officer.email]
    assert subject(delivered) == f"Antagen: AF-0042 får en plats på {pending_request.place.title}"
    mail = OutboxMail.objects.get()
    assert (mail.status, mail.attempts) == (OutboxMail.Status.SENT, 1)
