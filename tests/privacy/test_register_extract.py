"""The coordinator's register extract and erasure per participant code, in the admin."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import CASE_OFFICER, COORDINATOR, ENTERPRISE_STAFF
from placements.models import Placement, PlacementRequest
from placements.privacy import ERASED_CODE
from reports.statistics import year_statistics
from tests import factories
from tests.accounts.helpers import log_in_with_second_factor

URL = "/admin/placements/placement/registerutdrag/"
HistoricalPlacement = Placement.history.model
HistoricalPlacementRequest = PlacementRequest.history.model


def test_the_address_is_the_admins_own():
    assert reverse("admin:placements_placement_register_extract") == URL


def test_the_placements_list_links_to_it_for_the_coordinator(coordinator_client, network):
    response = coordinator_client.get(reverse("admin:placements_placement_changelist"))

    assert f'href="{URL}"' in response.text
    assert "Registerutdrag och radering" in response.text


def test_a_search_shows_everything_the_portal_holds(coordinator_client, network):
    response = coordinator_client.post(URL, {"code": " af-0001 ", "action": "search"})

    assert response.status_code == 200
    text = response.text
    assert "Uppgifter om deltagarkoden AF-0001" in text
    assert reverse("admin:placements_placement_change", args=[network["old"].pk]) in text
    assert (
        reverse("admin:placements_placementrequest_change", args=[network["old_request"].pk])
        in text
    )
    assert "Vill träna på kassan." in text
    assert "handlaggare@example.org" in text
    # The placement's two versions and the request's one.
    assert text.count("<td>AF-0001</td>") == 3
    # Nothing about the other participants.
    assert "AF-0002" not in text and "AF-0003" not in text


def test_a_code_that_matches_nothing_gets_a_clear_answer(coordinator_client, network):
    response = coordinator_client.post(URL, {"code": "XY-9999", "action": "search"})

    assert response.status_code == 200
    assert "Portalen har inga uppgifter om deltagarkoden XY-9999" in response.text
    assert "Ladda ner registerutdrag" not in response.text


@pytest.mark.parametrize(
    "code, message",
    [
        ("", "Skriv deltagarkoden du söker."),
        ("   ", "Skriv deltagarkoden du söker."),
        ("A" * 21, "En deltagarkod har högst 20 tecken."),
        ("raderad", "står för deltagarkoder som redan är raderade"),
        ("AF\x00-1", "Null-tecken är inte tillåtna."),
    ],
)
def test_bad_input_is_explained(coordinator_client, network, code, message):
    response = coordinator_client.post(URL, {"code": code, "action": "erase"})

    assert response.status_code == 200
    assert message in response.text
    assert 'class="errornote"' in response.text
    assert not Placement.objects.filter(participant_code=ERASED_CODE).exists()


def test_the_extract_downloads_as_utf8_json(coordinator_client, network):
    response = coordinator_client.post(URL, {"code": "AF-0001", "action": "download"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="registerutdrag-AF-0001.json"'
    assert "Arbetsförmedlingen Syd".encode() in response.content  # UTF-8, not \u escapes
    data = json.loads(response.content.decode("utf-8"))
    assert data["deltagarkod"] == "AF-0001"
    [placement] = data["placeringar"]
    assert placement["startdatum"] == "2022-03-01"
    assert placement["avslutad"] == "2023-05-31"
    assert placement["utfall"] == "Arbete"
    assert placement["remittent"] == "Arbetsförmedlingen Syd"
    [request] = data["förfrågningar_om_plats"]
    assert request["vad_deltagaren_vill_träna_på"] == "Vill träna på kassan."
    assert request["placering_id"] == network["old"].pk
    history = data["ändringshistorik"]
    assert [row["händelse"] for row in history["placeringar"]] == ["skapad", "ändrad"]
    assert len(history["förfrågningar_om_plats"]) == 1


def test_erasing_asks_first_and_changes_nothing_until_confirmed(coordinator_client, network):
    response = coordinator_client.post(URL, {"code": "AF-0001", "action": "erase"})

    assert response.status_code == 200
    text = " ".join(response.text.split())
    assert "Radera deltagarkoden AF-0001?" in text
    assert "Koden tas bort ur 1 placering, 1 förfrågan om plats och 3 versioner" in text
    assert 'value="confirm_erase"' in text
    network["old"].refresh_from_db()
    assert network["old"].participant_code == "AF-0001"


def test_confirmed_erasure_removes_the_code_everywhere_and_keeps_the_figures(
    coordinator_client, network
):
    before = [year_statistics(year) for year in (2022, 2023)]

    response = coordinator_client.post(
        URL, {"code": "AF-0001", "action": "confirm_erase"}, follow=True
    )

    assert response.redirect_chain == [(URL, 302)]
    assert (
        "Deltagarkoden AF-0001 är raderad (placeringar: 1, förfrågningar: 1, "
        "versioner i historiken: 3)" in response.text
    )
    for model in [Placement, PlacementRequest, HistoricalPlacement, HistoricalPlacementRequest]:
        assert not model.objects.filter(participant_code="AF-0001").exists()
    old = Placement.objects.get(pk=network["old"].pk)
    assert old.participant_code == ERASED_CODE
    assert old.outcome == Placement.Outcome.WORK  # the rest of the placement stays
    request = PlacementRequest.objects.get(pk=network["old_request"].pk)
    assert (request.participant_code, request.note) == (ERASED_CODE, "")
    assert [year_statistics(year) for year in (2022, 2023)] == before
    # The other participants keep their codes.
    assert Placement.objects.get(pk=network["recent"].pk).participant_code == "AF-0003"

    again = coordinator_client.post(URL, {"code": "AF-0001", "action": "search"})
    assert "Portalen har inga uppgifter om deltagarkoden AF-0001" in again.text


def test_an_erased_placement_can_still_be_corrected_in_the_admin(coordinator_client, network):
    from tests.admin.helpers import change_form_data

    coordinator_client.post(URL, {"code": "AF-0001", "action": "confirm_erase"})
    placement = network["old"]
    page = coordinator_client.get(reverse("admin:placements_placement_change", args=[placement.pk]))
    data = {**change_form_data(page), "extent_percent": "60"}

    response = coordinator_client.post(
        reverse("admin:placements_placement_change", args=[placement.pk]), data
    )

    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.participant_code, placement.extent_percent) == (ERASED_CODE, 60)


# --- Who may ------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, roles, network):
    user = factories.UserFactory(email="personal@example.org", is_staff=True)
    user.groups.add(roles[ENTERPRISE_STAFF])
    network["enterprise"].staff.add(user)
    log_in_with_second_factor(client, user)
    return client


def test_enterprise_staff_are_refused(staff_client, network):
    page = staff_client.get(URL)
    erase = staff_client.post(URL, {"code": "AF-0001", "action": "confirm_erase"})
    listing = staff_client.get(reverse("admin:placements_placement_changelist"))

    assert page.status_code == erase.status_code == 403
    assert f'href="{URL}"' not in listing.text
    network["old"].refresh_from_db()
    assert network["old"].participant_code == "AF-0001"


def test_anonymous_visitors_are_sent_to_log_in(client, network):
    response = client.post(URL, {"code": "AF-0001", "action": "download"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_a_case_officer_is_sent_to_the_admin_login(client, roles, network):
    officer = factories.UserFactory()
    officer.groups.add(roles[CASE_OFFICER])
    client.force_login(officer)

    response = client.post(URL, {"code": "AF-0001", "action": "download"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_the_coordinator_needs_the_second_factor(client, roles, network):
    coordinator = factories.UserFactory(is_staff=True)  # no authenticator app yet
    coordinator.groups.add(roles[COORDINATOR])
    client.force_login(coordinator)  # password only

    response = client.post(URL, {"code": "AF-0001", "action": "download"})

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


@pytest.mark.parametrize("action", ["search", "download"])
def test_the_extract_makes_the_same_queries_for_1_and_10_placements_of_a_code(
    coordinator_client, network, action, django_assert_max_num_queries
):
    data = {"code": "AF-0001", "action": action}
    with CaptureQueriesContext(connection) as one:
        assert coordinator_client.post(URL, data).status_code == 200
    for _ in range(9):  # the participant came back nine times, each time with its request
        again = factories.PlacementFactory(
            place=network["place"], referrer=network["referrer"], participant_code="AF-0001"
        )
        again.save()
        factories.PlacementRequestFactory(
            place=network["place"],
            referrer=network["referrer"],
            participant_code="AF-0001",
            status=PlacementRequest.Status.ACCEPTED,
            placement=again,
        )

    with django_assert_max_num_queries(len(one)):
        response = coordinator_client.post(URL, data)
    assert response.status_code == 200
    assert Placement.objects.filter(participant_code="AF-0001").count() == 10
