"""The change history in the admin: who changed what and when, and who may see it.

The coordinator sees every object's history; enterprise staff see only the history of their
own enterprises' objects (another enterprise's is "not found", as its change page is, even
after the object is deleted); an old version is for the coordinator to look at, and nobody
reverts from the history.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import ENTERPRISE_STAFF
from enterprises.models import Enterprise
from placements.models import Agreement, Placement, PlacementRequest, TrainingPlace
from reports.models import AnnualReport, ReportSection
from tests import factories
from tests.accounts.helpers import log_in_with_second_factor
from tests.admin.helpers import admin_url, change_form_data


def version_url(obj, record) -> str:
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history",
        args=[obj.pk, record.history_id],
    )


def make_enterprise(name: str) -> dict:
    enterprise = factories.EnterpriseFactory(name=name)
    place = factories.TrainingPlaceFactory(enterprise=enterprise, title=f"Plats hos {name}")
    return {
        "enterprise": enterprise,
        "place": place,
        "placement": factories.PlacementFactory(
            place=place, participant_code=f"{name[:3].upper()}-001"
        ),
        "request": factories.PlacementRequestFactory(
            place=place, participant_code=f"{name[:3].upper()}-101"
        ),
        "agreement": factories.AgreementFactory(enterprise=enterprise, title=f"Avtal för {name}"),
    }


@pytest.fixture
def a(db):
    return make_enterprise("Alfa")


@pytest.fixture
def b(db):
    return make_enterprise("Beta")


@pytest.fixture
def staff_client(client, roles, a):
    user = factories.UserFactory(email="personal@example.org", is_staff=True)
    user.groups.add(roles[ENTERPRISE_STAFF])
    a["enterprise"].staff.add(user)
    log_in_with_second_factor(client, user)
    return client


# --- What is recorded ---------------------------------------------------------------------


def test_a_change_in_the_admin_is_recorded_with_who_and_what(coordinator_client, coordinator, a):
    placement = a["placement"]
    page = coordinator_client.get(admin_url(placement, "change"))
    data = {**change_form_data(page), "extent_percent": "75"}

    response = coordinator_client.post(admin_url(placement, "change"), data)

    assert response.status_code == 302
    latest = placement.history.latest("history_date")
    assert latest.history_type == "~"
    assert latest.history_user == coordinator
    assert latest.extent_percent == 75

    history = coordinator_client.get(admin_url(placement, "history"))

    assert history.status_code == 200
    text = history.text
    assert "samordnare@example.org" in text
    assert "Omfattning (%):</strong> 50 &rarr; 75" in text
    assert "Ändrad" in text and "Skapad" in text
    assert "Historik för ALF-001" in text


@pytest.mark.parametrize(
    "make, field, value",
    [
        (lambda: factories.EnterpriseFactory(), "summary", "Ny presentation"),
        (lambda: factories.AgreementFactory(), "notes", "Förlängt muntligt"),
        (lambda: factories.TrainingPlaceFactory(), "capacity", 7),
        (lambda: factories.PlacementFactory(), "extent_percent", 80),
        (lambda: factories.PlacementRequestFactory(), "extent_percent", 80),
        (lambda: factories.AnnualReportFactory(), "title", "Ny titel"),
        (lambda: factories.ReportSectionFactory(), "heading", "Ny rubrik"),
    ],
    ids=["enterprise", "agreement", "place", "placement", "request", "report", "section"],
)
def test_every_tracked_model_keeps_a_version_per_save(db, make, field, value):
    obj = make()
    setattr(obj, field, value)
    obj.save()

    versions = list(obj.history.order_by("history_date", "history_id"))

    assert [version.history_type for version in versions] == ["+", "~"]
    assert getattr(versions[-1], field) == value


@pytest.mark.parametrize(
    "model", [Enterprise, Agreement, TrainingPlace, Placement, PlacementRequest, AnnualReport]
)
def test_the_coordinator_opens_the_history_of_each_model(coordinator_client, a, model):
    obj = {
        Enterprise: a["enterprise"],
        Agreement: a["agreement"],
        TrainingPlace: a["place"],
        Placement: a["placement"],
        PlacementRequest: a["request"],
        AnnualReport: None,
    }[model] or factories.AnnualReportFactory()

    response = coordinator_client.get(admin_url(obj, "history"))

    assert response.status_code == 200
    assert "Skapad" in response.text
    assert version_url(obj, obj.history.latest("history_date")) in response.text


def test_the_changes_read_as_words_not_codes(coordinator_client, a):
    placement = a["placement"]
    placement.ended_on = datetime.date(2022, 9, 30)
    placement.outcome = Placement.Outcome.WORK
    placement.save()

    response = coordinator_client.get(admin_url(placement, "history"))

    text = " ".join(response.text.split())
    assert "Avslutad:</strong> – &rarr; 2022-09-30" in text
    assert "Utfall vid avslut:</strong> – &rarr; Arbete" in text
    assert "None" not in text


def test_a_deleted_placements_history_stays_for_the_coordinator(coordinator_client, a):
    placement = a["placement"]
    pk = placement.pk
    placement.delete()

    response = coordinator_client.get(reverse("admin:placements_placement_history", args=[pk]))

    assert response.status_code == 200
    assert "Borttagen" in response.text


def test_a_section_history_is_open_to_the_coordinator(coordinator_client):
    section = factories.ReportSectionFactory(heading="Bakgrund")

    response = coordinator_client.get(admin_url(section, "history"))

    assert response.status_code == 200
    assert ReportSection.history.model.objects.filter(id=section.pk).count() == 1


# --- Who sees it --------------------------------------------------------------------------

OBJECTS = ["enterprise", "place", "placement", "request", "agreement"]


@pytest.mark.parametrize("name", OBJECTS)
def test_staff_see_the_history_of_their_own_enterprises_objects(staff_client, a, name):
    response = staff_client.get(admin_url(a[name], "history"))

    assert response.status_code == 200
    assert "Skapad" in response.text
    # Looking at an old version is the coordinator's: no links to versions for staff.
    assert "/history/" not in response.text.split('id="change-history"')[1]


@pytest.mark.parametrize("name", OBJECTS)
def test_another_enterprises_history_is_not_found_for_staff(staff_client, a, b, name):
    response = staff_client.get(admin_url(b[name], "history"), follow=True)

    assert response.redirect_chain[0] == (reverse("admin:index"), 302)
    assert "Beta" not in response.text.split('id="content"')[1]
    assert "BET-" not in response.text


def test_a_deleted_object_of_another_enterprise_stays_hidden_from_staff(staff_client, a, b):
    # simple-history by itself would show a deleted object's last version to anyone who may
    # view the model: staff would see another enterprise's participant codes.
    placement = b["placement"]
    pk = placement.pk
    PlacementRequest.objects.filter(placement=placement).delete()
    placement.delete()

    response = staff_client.get(reverse("admin:placements_placement_history", args=[pk]))

    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_staff_cannot_see_a_reports_history(staff_client):
    report = factories.AnnualReportFactory()

    response = staff_client.get(admin_url(report, "history"))

    assert response.status_code == 403


def test_staff_cannot_open_an_old_version_even_of_their_own(staff_client, a):
    placement = a["placement"]
    first = placement.history.earliest("history_date")

    page = staff_client.get(version_url(placement, first))
    post = staff_client.post(version_url(placement, first), {"extent_percent": "10"})

    assert page.status_code == post.status_code == 403
    placement.refresh_from_db()
    assert placement.extent_percent == 50


def test_the_coordinator_sees_an_old_version_but_reverts_nothing(coordinator_client, a):
    placement = a["placement"]
    first = placement.history.earliest("history_date")
    placement.extent_percent = 90
    placement.save()

    page = coordinator_client.get(version_url(placement, first))
    post = coordinator_client.post(version_url(placement, first), {"extent_percent": "50"})

    assert page.status_code == 200
    assert 'name="_save"' not in page.text  # no "Revert" button
    assert "Tillbaka till historiken" in page.text  # in Swedish, not the library's "Close"
    # Read-only text, no form fields: the old version's extent, not today's.
    assert 'name="extent_percent"' not in page.text
    assert '<div class="readonly">50</div>' in page.text
    assert "Close" not in page.text and "Revert" not in page.text
    assert post.status_code == 403
    placement.refresh_from_db()
    assert placement.extent_percent == 90


@pytest.mark.parametrize("key", ["enterprise", "place", "placement", "request", "agreement"])
def test_an_old_version_of_each_model_shows_as_text(coordinator_client, a, key):
    obj = a[key]
    first = obj.history.earliest("history_date")
    obj.save()

    page = coordinator_client.get(version_url(obj, first))

    assert page.status_code == 200
    form = page.text.split('id="content-main"')[1].split("</form>")[0]
    assert not re.search(r'<(select|textarea)|<input(?![^>]*type="hidden")', form)


@pytest.mark.parametrize(
    "object_id, version, expected",
    [("abc", "1", (302, 302)), ("own", "abc", (200, 302)), ("999999", "1", (404, 404))],
)
def test_nonsense_in_a_history_address_is_not_an_error(
    coordinator_client, a, object_id, version, expected
):
    object_id = str(a["placement"].pk) if object_id == "own" else object_id
    history = coordinator_client.get(
        reverse("admin:placements_placement_history", args=[object_id])
    )
    version_page = coordinator_client.get(
        reverse("admin:placements_placement_simple_history", args=[object_id, version])
    )

    assert (history.status_code, version_page.status_code) == expected


def test_changes_outside_the_admin_record_the_user(client, a, roles, coordinator):
    # HistoryRequestMiddleware: the user of the request, also on /platser/ pages.
    log_in_with_second_factor(client, coordinator)
    placement = a["placement"]

    response = client.post(
        reverse("placements:placement_end", args=[placement.pk]),
        {
            "ended_on": datetime.date(2022, 6, 1).isoformat(),
            "outcome": Placement.Outcome.WORK,
        },
    )

    assert response.status_code == 302
    latest = placement.history.latest("history_date")
    assert latest.ended_on == datetime.date(2022, 6, 1)
    assert latest.history_user == coordinator


@pytest.mark.parametrize("model_key", ["placement", "request", "place", "enterprise"])
def test_a_history_page_makes_the_same_queries_for_3_and_30_versions(
    coordinator_client, a, model_key, django_assert_max_num_queries
):
    obj = a[model_key]
    url = admin_url(obj, "history")

    def save_versions(count: int) -> None:
        for _ in range(count):
            obj.save()

    save_versions(2)
    with CaptureQueriesContext(connection) as few:
        assert coordinator_client.get(url).status_code == 200
    save_versions(27)
    with django_assert_max_num_queries(len(few)):
        response = coordinator_client.get(url)
    assert response.status_code == 200
    assert obj.history.count() >= 30
