"""The enterprises' pages under /platser/ ask for two factors, as the admin does.

Enterprise staff and the coordinator answer requests and end placements there: the same data
as in the admin, so the same second factor. Case officers need none.
"""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from placements.models import PlacementRequest
from tests.accounts.helpers import give_totp, log_in_with_second_factor, totp_code

pytestmark = pytest.mark.django_db

ACTIVATE = "/konto/2fa/totp/activate/"
PASSWORD = "test-lösenord-123"  # tests/factories.py


def decision_pages(pending_request) -> list[tuple[str, str]]:
    return [
        ("get", reverse("placements:decision_list")),
        ("get", reverse("placements:decision", args=[pending_request.pk])),
        ("get", reverse("placements:placement_list")),
    ]


@pytest.mark.parametrize("who", ["staff_a", "coordinator"])
def test_without_a_second_factor_they_are_sent_to_set_one_up(client, request, who):
    user = request.getfixturevalue(who)
    Authenticator.objects.filter(user=user).delete()  # the coordinator fixture has an app
    pending_request = request.getfixturevalue("pending_request")
    client.force_login(user)  # password only

    for method, path in decision_pages(pending_request):
        response = getattr(client, method)(path)
        assert (response.status_code, response["Location"]) == (302, ACTIVATE), path

    explained = client.get(reverse("placements:decision_list"), follow=True)
    assert "Förfrågningarna och placeringarna kräver tvåstegsverifiering" in explained.text


def test_without_a_second_factor_no_answer_is_given(client, staff_a, pending_request):
    client.force_login(staff_a)

    for name, data in [("accept", {}), ("waitlist", {}), ("decline", {"reason": "Full."})]:
        response = client.post(reverse(f"placements:{name}", args=[pending_request.pk]), data)
        assert (response.status_code, response["Location"]) == (302, ACTIVATE), name

    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.PENDING
    assert pending_request.decided_by is None


def test_staff_who_log_in_with_their_code_get_in(client, staff_a, pending_request):
    give_totp(staff_a)
    login = client.post(
        reverse("account_login"),
        {"login": staff_a.email, "password": PASSWORD, "next": "/platser/forfragningar/"},
    )
    assert login.status_code == 302
    assert login["Location"] == reverse("mfa_authenticate")

    answered = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert answered["Location"] == "/platser/forfragningar/"

    page = client.get("/platser/forfragningar/")
    assert page.status_code == 200
    assert "AF-0042" in page.text


def test_staff_who_set_up_their_app_in_this_session_get_in(client, staff_a, pending_request):
    # They logged in with the password alone, then activated an app: that proved a code.
    client.force_login(staff_a)
    give_totp(staff_a)

    assert client.get(reverse("placements:decision_list")).status_code == 200


def test_staff_logged_in_with_two_factors_answer(client, staff_a, pending_request):
    log_in_with_second_factor(client, staff_a)

    response = client.post(reverse("placements:waitlist", args=[pending_request.pk]))

    assert response.status_code == 302
    pending_request.refresh_from_db()
    assert pending_request.status == PlacementRequest.Status.WAITLISTED


def test_case_officers_need_no_second_factor(officer_client, place):
    for name, args in [("list", []), ("place", [place.pk]), ("my_requests", [])]:
        assert officer_client.get(reverse(f"placements:{name}", args=args)).status_code == 200
