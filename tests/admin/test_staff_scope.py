"""Enterprise staff see and change only their own enterprises and what hangs on them.

Staff of A: the lists show A's rows, B's change pages are "not found", no drop-down or
autocomplete offers B's objects, and the coordinator's fields stay the coordinator's.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.admin.widgets import AutocompleteSelect
from django.forms import Select
from django.urls import reverse
from django.utils import timezone

from accounts.roles import ENTERPRISE_STAFF
from asfnet.models import User
from enterprises.models import Enterprise, Inquiry, Unit
from placements.models import Agreement, Organisation, Placement, PlacementRequest, TrainingPlace
from reports.models import AnnualReport
from tests import factories
from tests.accounts.helpers import log_in_with_second_factor
from tests.admin.helpers import admin_url, change_form_data


def make_enterprise(name: str) -> dict:
    enterprise = factories.EnterpriseFactory(name=name, published=False)
    unit = factories.UnitFactory(enterprise=enterprise, name=f"Caféet hos {name}")
    place = factories.TrainingPlaceFactory(
        enterprise=enterprise, unit=unit, title=f"Plats hos {name}"
    )
    return {
        "enterprise": enterprise,
        "unit": unit,
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
def staff(roles, a):
    user = factories.UserFactory(email="personal@example.org", is_staff=True)
    user.groups.add(roles[ENTERPRISE_STAFF])
    a["enterprise"].staff.add(user)
    return user


@pytest.fixture
def staff_client(client, staff):
    log_in_with_second_factor(client, staff)
    return client


OBJECTS = ["enterprise", "unit", "place", "placement", "request", "agreement"]


@pytest.mark.parametrize("name", OBJECTS)
def test_staff_see_only_their_own_enterprises_rows_in_the_lists(staff_client, a, b, name):
    response = staff_client.get(admin_url(type(a[name])))

    assert response.status_code == 200
    assert admin_url(a[name], "change") in response.text
    assert admin_url(b[name], "change") not in response.text
    assert list(response.context["cl"].result_list) == [a[name]]


# What staff may delete at all (accounts.roles); the rest is refused before any
# object is fetched.
DELETABLE_BY_STAFF = {"unit", "place"}


@pytest.mark.parametrize("view", ["change", "delete", "history"])
@pytest.mark.parametrize("name", OBJECTS)
def test_another_enterprises_pages_are_not_found_for_staff(staff_client, b, name, view):
    response = staff_client.get(admin_url(b[name], view))

    if view == "delete" and name not in DELETABLE_BY_STAFF:
        assert response.status_code == 403
    else:
        # Django's answer for an object outside get_queryset: to the start page, with a note.
        assert response.status_code == 302
        assert response.url == reverse("admin:index")


def test_posting_to_another_enterprises_place_changes_nothing(staff_client, a, b):
    page = staff_client.get(admin_url(a["place"], "change"))
    data = {**change_form_data(page), "title": "Kapad plats", "capacity": "40"}

    change = staff_client.post(admin_url(b["place"], "change"), data)
    delete = staff_client.post(admin_url(b["place"], "delete"), {"post": "yes"})
    confirm = staff_client.post(
        admin_url(b["place"], "change"),
        {"CHANGE_FORM-action": "confirm", "_selected_action": [b["place"].pk]},
    )

    assert change.status_code == delete.status_code == confirm.status_code == 302
    assert change.url == delete.url == confirm.url == reverse("admin:index")
    place = TrainingPlace.objects.get(pk=b["place"].pk)
    assert place.title == "Plats hos Beta"
    assert place.capacity == 3


def test_posting_to_another_enterprises_page_changes_nothing(staff_client, a, b):
    page = staff_client.get(admin_url(a["enterprise"], "change"))
    data = {**change_form_data(page), "summary_sv": "Kapad text"}

    response = staff_client.post(admin_url(b["enterprise"], "change"), data)

    assert response.status_code == 302
    b["enterprise"].refresh_from_db()
    assert b["enterprise"].summary == "Ett påhittat företag för tester."


def test_staff_change_their_own_page_but_not_the_coordinators_fields(staff_client, a, b):
    colleague = factories.UserFactory(email="kollega@example.org")
    group = factories.EnterpriseGroupFactory()
    page = staff_client.get(admin_url(a["enterprise"], "change"))
    data = {
        **change_form_data(page),
        "summary_sv": "Vi lagar mat och säljer fika.",
        "published": "on",
        "staff": [str(colleague.pk)],
        "group": str(group.pk),
        "slug": "nytt-kortnamn",
    }

    response = staff_client.post(admin_url(a["enterprise"], "change"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    enterprise = Enterprise.objects.get(pk=a["enterprise"].pk)
    assert enterprise.summary == "Vi lagar mat och säljer fika."
    assert enterprise.published is False
    assert enterprise.slug == "alfa"
    assert enterprise.group is None
    assert list(enterprise.staff.values_list("email", flat=True)) == ["personal@example.org"]
    form = page.context["adminform"].form
    assert not {"published", "staff", "group", "slug"} & set(form.fields)
    assert 'name="published"' not in page.text


def test_the_coordinator_changes_the_published_flag(coordinator_client, a):
    page = coordinator_client.get(admin_url(a["enterprise"], "change"))
    data = {**change_form_data(page), "published": "on"}

    response = coordinator_client.post(admin_url(a["enterprise"], "change"), data)

    assert response.status_code == 302
    a["enterprise"].refresh_from_db()
    assert a["enterprise"].published is True


def test_the_coordinator_still_sees_every_enterprises_rows(coordinator_client, a, b):
    for name in OBJECTS:
        response = coordinator_client.get(admin_url(type(a[name])))
        assert {a[name], b[name]} <= set(response.context["cl"].result_list)


# --- Drop-downs and autocomplete ----------------------------------------------------------


def test_the_place_field_of_a_new_placement_offers_only_own_places(staff_client, a, b):
    response = staff_client.get(admin_url(Placement, "add"))

    choices = response.context["adminform"].form.fields["place"].queryset
    assert list(choices) == [a["place"]]


def test_the_unit_and_enterprise_fields_of_a_place_offer_only_own(staff_client, a, b):
    response = staff_client.get(admin_url(TrainingPlace, "add"))

    fields = response.context["adminform"].form.fields
    assert list(fields["unit"].queryset) == [a["unit"]]
    assert list(fields["enterprise"].queryset) == [a["enterprise"]]


def test_a_request_placement_is_set_by_accepting_never_chosen(staff_client, a, b):
    """Only accepting a request makes its placement, so nobody can pick another enterprise's."""
    response = staff_client.get(admin_url(a["request"], "change"))

    assert "placement" not in response.context["adminform"].form.fields
    assert "placement" in response.context["adminform"].readonly_fields


def autocomplete(client, model, field_name: str, term: str = ""):
    opts = model._meta
    return client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": opts.app_label,
            "model_name": opts.model_name,
            "field_name": field_name,
            "term": term,
        },
    )


@pytest.mark.parametrize(
    ("model", "field_name", "target"),
    [
        (Placement, "place", "place"),
        (Placement, "agreement", "agreement"),
        (TrainingPlace, "unit", "unit"),
        (TrainingPlace, "enterprise", "enterprise"),
        (PlacementRequest, "placement", "placement"),
    ],
)
def test_the_autocomplete_answers_staff_with_their_own_objects_only(
    staff_client, a, b, model, field_name, target
):
    response = autocomplete(staff_client, model, field_name)

    assert response.status_code == 200
    ids = {result["id"] for result in response.json()["results"]}
    assert ids == {str(a[target].pk)}


def test_searching_for_another_enterprise_by_name_finds_nothing(staff_client, a, b):
    response = autocomplete(staff_client, Placement, "place", term="Beta")

    assert response.json()["results"] == []


def test_the_coordinators_autocomplete_answers_with_everything(coordinator_client, a, b):
    response = autocomplete(coordinator_client, Placement, "place")

    ids = {result["id"] for result in response.json()["results"]}
    assert ids == {str(a["place"].pk), str(b["place"].pk)}


def test_staff_choose_the_referrer_in_a_drop_down_as_they_may_not_search_organisations(
    staff_client, a
):
    page = staff_client.get(admin_url(Placement, "add"))
    search = autocomplete(staff_client, Placement, "referrer")

    assert search.status_code == 403
    fields = page.context["adminform"].form.fields
    # The admin wraps each widget to add its "+" link; the widget itself is inside.
    assert type(fields["referrer"].widget.widget) is Select
    assert isinstance(fields["place"].widget.widget, AutocompleteSelect)
    assert list(fields["referrer"].queryset) == list(Organisation.objects.all())


def test_staff_choose_the_case_officer_among_case_officers_not_all_users(staff_client, a):
    # Among those they deal with: here the officer of the organisation A has an agreement
    # with (tests/admin/test_case_officers_staff_see.py has the rest of the rule).
    officer = factories.CaseOfficerFactory(
        user__email="handlaggare@example.org", organisation=a["agreement"].counterparty
    ).user

    page = staff_client.get(admin_url(Placement, "add"))

    choices = page.context["adminform"].form.fields["case_officer"].queryset
    assert list(choices) == [officer]
    assert "samordnare@example.org" not in page.text


def placement_data(place: TrainingPlace, referrer) -> dict:
    return {
        "participant_code": "AF-0042",
        "placement_type": str(place.placement_types.get().pk),
        "extent_percent": "50",
        "place": str(place.pk),
        "referrer": str(referrer.pk),
        "started_on": "2026-03-02",
    }


def test_staff_add_a_placement_at_their_own_place(staff_client, a):
    referrer = factories.OrganisationFactory(name="Arbetsförmedlingen")
    factories.AgreementFactory(enterprise=a["enterprise"], counterparty=referrer)

    response = staff_client.post(admin_url(Placement, "add"), placement_data(a["place"], referrer))

    assert response.status_code == 302
    assert Placement.objects.filter(participant_code="AF-0042", place=a["place"]).exists()


def test_staff_cannot_add_a_placement_at_another_enterprises_place(staff_client, b):
    referrer = factories.OrganisationFactory(name="Arbetsförmedlingen")

    response = staff_client.post(admin_url(Placement, "add"), placement_data(b["place"], referrer))

    assert response.status_code == 200
    assert "place" in response.context["adminform"].form.errors
    assert not Placement.objects.filter(participant_code="AF-0042").exists()


def test_staff_answer_a_request_but_keep_what_the_case_officer_asked(staff_client, a):
    page = staff_client.get(admin_url(a["request"], "change"))
    data = {
        **change_form_data(page),
        "status": PlacementRequest.Status.WAITLISTED,
        "participant_code": "NY-KOD",
        "extent_percent": "100",
    }

    response = staff_client.post(admin_url(a["request"], "change"), data)

    assert response.status_code == 302
    request = PlacementRequest.objects.get(pk=a["request"].pk)
    assert request.status == PlacementRequest.Status.WAITLISTED
    assert request.participant_code == "ALF-101"
    assert request.extent_percent == 50


# --- Confirming places --------------------------------------------------------------------


def test_staff_confirm_their_own_places_in_one_click(staff_client, a, b):
    long_ago = datetime.date(2021, 1, 1)
    TrainingPlace.objects.update(last_confirmed_on=long_ago)

    response = staff_client.post(
        admin_url(TrainingPlace),
        {"action": "confirm", "_selected_action": [a["place"].pk, b["place"].pk]},
        follow=True,
    )

    assert "1 arbetsträningsplats bekräftades i dag." in response.text
    assert TrainingPlace.objects.get(pk=a["place"].pk).last_confirmed_on == timezone.localdate()
    assert TrainingPlace.objects.get(pk=b["place"].pk).last_confirmed_on == long_ago


def test_staff_are_told_on_the_start_page_about_their_own_places_to_confirm(staff_client, a, b):
    TrainingPlace.objects.update(last_confirmed_on=None)

    response = staff_client.get(reverse("admin:index"))

    assert "1 arbetsträningsplats har inte bekräftats på 60 dagar." in response.text


# --- What staff do not see at all ---------------------------------------------------------


@pytest.mark.parametrize("model", [Inquiry, User, AnnualReport, Unit])
def test_staff_do_not_see_inquiries_people_or_reports(staff_client, model):
    response = staff_client.get(admin_url(model))
    start = staff_client.get(reverse("admin:index"))

    if model is Unit:  # the control: their units they do see
        assert response.status_code == 200
        assert admin_url(model) in start.text
    else:
        assert response.status_code == 403
        assert admin_url(model) not in start.text


def test_staff_do_not_see_another_enterprises_agreements_on_their_place_form(staff_client, a, b):
    response = autocomplete(staff_client, Placement, "agreement", term="Avtal")

    ids = {result["id"] for result in response.json()["results"]}
    assert str(b["agreement"].pk) not in ids
    assert Agreement.objects.filter(pk=b["agreement"].pk).exists()
