"""Erasing a participant code leaves no copy: not in the admin's log, not in the mail outbox."""

from __future__ import annotations

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage

from background.models import OutboxMail
from placements.models import Placement, PlacementRequest
from placements.privacy import ERASED_CODE, erase_participant_code, purge_expired

URL = "/admin/placements/placement/registerutdrag/"


def logged(obj, user) -> LogEntry:
    return LogEntry.objects.log_actions(
        user_id=user.pk, queryset=[obj], action_flag=CHANGE, change_message="[]", single_object=True
    )


def test_erasure_clears_the_admin_log_and_the_outbox(coordinator_client, coordinator, network):
    old = network["old"]
    other = network["recent"]
    request = network["old_request"]
    for obj in (old, other, request):
        logged(obj, coordinator)
    EmailMessage(
        subject="Antagen: AF-0001 får en plats", body="Koden AF-0001.", to=["a@x.se"]
    ).send()
    EmailMessage(
        subject="Antagen: AF-0003 får en plats", body="Koden AF-0003.", to=["a@x.se"]
    ).send()

    response = coordinator_client.post(URL, {"code": "AF-0001", "action": "confirm_erase"})

    assert response.status_code == 302
    reprs = list(LogEntry.objects.values_list("object_repr", flat=True))
    assert not any("AF-0001" in text for text in reprs), reprs
    assert any(ERASED_CODE in text for text in reprs)
    assert any("AF-0003" in text for text in reprs), "other participants' entries stay"
    mails = {mail.subject: mail for mail in OutboxMail.objects.all()}
    assert "Antagen: AF-0003 får en plats" in mails
    assert not any("AF-0001" in subject for subject in mails)
    assert all("AF-0001" not in str(mail.message) for mail in mails.values())


def test_the_retention_purge_clears_the_admin_log_too(coordinator, network, now):
    for obj in (network["old"], network["old_request"], network["recent"]):
        logged(obj, coordinator)

    purge_expired()

    reprs = list(LogEntry.objects.values_list("object_repr", flat=True))
    assert not any("AF-0001" in text or "AF-0002" in text for text in reprs), reprs
    assert any("AF-0003" in text for text in reprs), "within the retention period: kept"


def test_a_second_erasure_changes_nothing(network):
    erase_participant_code("AF-0001")
    assert erase_participant_code("AF-0001").total == 0
    assert Placement.objects.filter(participant_code=ERASED_CODE).count() == 1
    assert PlacementRequest.objects.filter(participant_code=ERASED_CODE).count() == 1
    assert ContentType.objects.exists()
