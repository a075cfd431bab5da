"""make backup → a fresh database → make restore gives identical data."""

import datetime

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import AgreementFactory, InquiryFactory, PlacementFactory, UnitFactory

APPS = ["asfnet", "enterprises", "placements", "reports"]


def snapshot() -> str:
    models = [model for label in APPS for model in apps.get_app_config(label).get_models()]
    rows = [obj for model in models for obj in model._default_manager.order_by("pk")]
    return serializers.serialize("json", rows)


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_an_emptied_database_gives_identical_data(tmp_path):
    call_command("seed_network")
    PlacementFactory(participant_code="ÅÄÖ-001", ended_on=datetime.date(2022, 9, 1), outcome="work")
    UnitFactory(name="Café Nyfiket – ö-enheten")
    AgreementFactory()
    InquiryFactory(message="Hej! <b>fet</b> och å ä ö")
    before = snapshot()
    backup = tmp_path / "asfnet.backup"

    call_command("backup", "-o", str(backup))
    assert backup.stat().st_size > 0

    call_command("flush", "--no-input")
    assert snapshot().strip() == "[]"

    call_command("restore", str(backup), "--yes")
    assert snapshot() == before


@pytest.mark.django_db
def test_restore_refuses_a_missing_file_and_changes_nothing(tmp_path):
    InquiryFactory()
    before = snapshot()
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "missing.backup"), "--yes")
    assert snapshot() == before
