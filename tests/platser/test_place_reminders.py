"""Places kept up to date: a reminder at 45 days with a one-click link, the flag after 60 days,
and the coordinator's weekly digest of the places that are flagged."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from background import schedule
from placements import jobs, services
from placements.apps import PlacementsConfig
from placements.models import PlaceReminder, TrainingPlace
from tests.factories import EnterpriseFactory, TrainingPlaceFactory
from tests.platser.conftest import COORDINATOR_ADDRESS

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TODAY = datetime.date(2026, 12, 2)  # a Wednesday


def at(day: datetime.date, hour: int = 8) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=STOCKHOLM)


def days_ago(days: int, today: datetime.date = TODAY) -> datetime.date:
    return today - datetime.timedelta(days=days)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(at(TODAY), tick=False)
    return time_machine


def confirm_links(message) -> list[str]:
    return re.findall(r"https?://\S+/platser/bekrafta/\S+/", message.body)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def csrf_token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


# --- The reminder ---------------------------------------------------------------------------


def test_staff_are_reminded_on_the_45th_day_exactly_once(clock, network, place, mailoutbox):
    place.last_confirmed_on = days_ago(44)
    place.save()

    assert jobs.send_place_reminders() == 0
    assert mailoutbox == []

    clock.move_to(at(TODAY + datetime.timedelta(days=1)), tick=False)  # the 45th day
    assert jobs.send_place_reminders() == 1
    assert [message.to for message in mailoutbox] == [["personal-a@example.org"]]
    message = mailoutbox[0]
    assert message.subject == (
        "Stämmer uppgifterna om er arbetsträningsplats? (Värmestugan i Märsta)"
    )
    assert "Snickeri och måleri" in message.body
    assert "för 45 dagar sedan" in message.body
    assert len(confirm_links(message)) == 1
    edit = reverse("admin:placements_trainingplace_change", args=[place.pk])
    assert edit in message.body
    assert "gäller i 14 dagar och kan användas en gång" in message.body

    # The same day again, the next day, a week later: nothing more.
    assert jobs.send_place_reminders() == 0
    for later in (2, 8):
        clock.move_to(at(TODAY + datetime.timedelta(days=later)), tick=False)
        assert jobs.send_place_reminders() == 0
    assert len(mailoutbox) == 1
    assert PlaceReminder.objects.filter(place=place, confirmed_on=days_ago(44)).count() == 1


def test_the_worker_runs_the_reminders_once_a_day(clock, network, place, mailoutbox):
    assert "placements.jobs.send_place_reminders" in PlacementsConfig.scheduled_jobs["daily"]
    place.last_confirmed_on = days_ago(45)
    place.save()

    schedule.run_tick(at(TODAY, 5))  # before 06:00: no daily jobs yet
    assert mailoutbox == []
    schedule.run_tick(at(TODAY, 6))
    schedule.run_tick(at(TODAY, 7))
    assert len(mailoutbox) == 1


def test_one_mail_per_staff_member_lists_the_enterprises_places(
    clock, network, place, enterprise_a, place_b, staff_a, mailoutbox
):
    from tests.factories import UserFactory

    colleague = UserFactory(email="kollega-a@example.org")
    enterprise_a.staff.add(colleague)
    UserFactory(email="slutat@example.org", is_active=False).enterprises.add(enterprise_a)
    second = TrainingPlaceFactory(
        enterprise=enterprise_a, title="Kafé i hamnen", last_confirmed_on=days_ago(50)
    )
    place.last_confirmed_on = days_ago(45)
    place.save()
    place_b.last_confirmed_on = days_ago(10)
    place_b.save()

    assert services.training_place_reminders_send() == 2

    assert sorted(message.to[0] for message in mailoutbox) == [
        "kollega-a@example.org",
        "personal-a@example.org",
    ]
    for message in mailoutbox:
        assert "Stämmer uppgifterna om era 2 arbetsträningsplatser?" in message.subject
        assert "Snickeri och måleri" in message.body and second.title in message.body
        assert "Kafé vid ån" not in message.body  # enterprise B's
        assert len(confirm_links(message)) == 2


def test_places_never_confirmed_paused_or_without_staff_get_no_reminder(
    clock, network, enterprise_a, mailoutbox
):
    TrainingPlaceFactory(enterprise=enterprise_a, last_confirmed_on=None)
    TrainingPlaceFactory(
        enterprise=enterprise_a,
        last_confirmed_on=days_ago(50),
        status=TrainingPlace.Status.PAUSED,
    )
    nobody = EnterpriseFactory(name="Utan personal")
    unstaffed = TrainingPlaceFactory(enterprise=nobody, last_confirmed_on=days_ago(50))

    assert services.training_place_reminders_send() == 0
    assert mailoutbox == []
    assert not PlaceReminder.objects.exists()

    # Once the enterprise has staff, they are reminded after all.
    from tests.factories import UserFactory

    nobody.staff.add(UserFactory(email="ny-personal@example.org"))
    assert services.training_place_reminders_send() == 1
    assert mailoutbox[0].to == ["ny-personal@example.org"]
    assert unstaffed.title in mailoutbox[0].body


def test_a_new_confirmation_starts_a_new_round(clock, network, place, mailoutbox):
    place.last_confirmed_on = days_ago(45)
    place.save()
    services.training_place_reminders_send()
    services.training_places_confirm(places=TrainingPlace.objects.filter(pk=place.pk))

    later = TODAY + datetime.timedelta(days=45)
    clock.move_to(at(later), tick=False)
    assert services.training_place_reminders_send() == 1
    assert len(mailoutbox) == 2
    assert PlaceReminder.objects.filter(place=place).count() == 2


# --- The link -------------------------------------------------------------------------------


@pytest.fixture
def link(clock, network, place, mailoutbox) -> str:
    """The confirmation link from a reminder about a place last confirmed 70 days ago."""
    place.last_confirmed_on = days_ago(70)
    place.save()
    services.training_place_reminders_send()
    (url,) = confirm_links(mailoutbox[0])
    return path_of(url)


def test_opening_the_link_changes_nothing(link, place):
    response = Client().get(link)

    assert response.status_code == 200
    assert "Stämmer uppgifterna om Snickeri och måleri?" in response.text
    assert "för 70 dagar sedan" in response.text
    assert "Slipa, måla och laga möbler." in response.text
    assert "Ja, uppgifterna stämmer" in response.text
    assert reverse("admin:placements_trainingplace_change", args=[place.pk]) in response.text
    assert response["Cache-Control"].startswith("max-age=0")
    place.refresh_from_db()
    assert place.last_confirmed_on == days_ago(70)
    assert PlaceReminder.objects.get().used_at is None


def test_the_button_confirms_once_without_login(link, place, officer_client):
    assert "Inte bekräftad på länge" in officer_client.get(reverse("placements:list")).text
    browser = Client(enforce_csrf_checks=True)
    token = csrf_token(browser.get(link))

    response = browser.post(link, {"csrfmiddlewaretoken": token})

    assert response.status_code == 200
    assert "Tack! Platsen är bekräftad" in response.text
    assert "är bekräftade 2 december 2026" in response.text
    place.refresh_from_db()
    assert place.last_confirmed_on == TODAY
    assert PlaceReminder.objects.get().used_at is not None
    # The cached list shows it at once (services.training_places_confirm renews the pages).
    assert "Inte bekräftad på länge" not in officer_client.get(reverse("placements:list")).text

    again = browser.post(link, {"csrfmiddlewaretoken": token})
    assert again.status_code == 410
    assert "Länken är redan använd: uppgifterna bekräftades 2 december 2026." in again.text
    assert browser.get(link).status_code == 410


def test_the_button_needs_its_csrf_token(link, place):
    browser = Client(enforce_csrf_checks=True)
    browser.get(link)

    assert browser.post(link).status_code == 403
    place.refresh_from_db()
    assert place.last_confirmed_on == days_ago(70)


def test_an_expired_link_is_refused(link, place, clock):
    clock.move_to(at(TODAY + datetime.timedelta(days=15)), tick=False)
    browser = Client()

    for response in (browser.get(link), browser.post(link)):
        assert response.status_code == 410
        assert "Länken har gått ut: den gällde i 14 dagar." in response.text
        assert "Ja, uppgifterna stämmer" not in response.text
    place.refresh_from_db()
    assert place.last_confirmed_on == days_ago(70)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda path: path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:],
        lambda path: path.replace("/bekrafta/", "/bekrafta/x"),
        lambda path: reverse("placements:place_confirm", args=["inte-en-nyckel"]),
    ],
)
def test_a_tampered_link_is_refused(link, place, tamper):
    browser = Client()
    tampered = tamper(link)
    assert tampered != link

    for response in (browser.get(tampered), browser.post(tampered)):
        assert response.status_code == 404
        assert "Länken fungerar inte." in response.text
    place.refresh_from_db()
    assert place.last_confirmed_on == days_ago(70)
    assert PlaceReminder.objects.get().used_at is None


@pytest.mark.parametrize(
    "token",
    [
        " ",
        "%00",
        "MQ",
        "MQ:",
        "::",
        ":::",
        "A" * 3000,
        "ö:ä:å",
        "<script>",
        "MQ:1xYeJs:" + "A" * 43,
    ],
)
def test_nonsense_in_the_link_is_a_plain_not_found(link, place, token):
    browser = Client()
    url = reverse("placements:place_confirm", args=["x"]).replace("/x/", f"/{token}/")
    for response in (browser.get(url), browser.post(url)):
        assert response.status_code == 404
    place.refresh_from_db()
    assert place.last_confirmed_on == days_ago(70)


def test_a_link_for_another_reminder_cannot_be_forged_from_its_number(link, place):
    # The token is signed with the secret key and a salt of its own: another signer's
    # signature of the same number is refused.
    from django.core import signing

    forged = signing.dumps(PlaceReminder.objects.get().pk, salt="something.else")
    response = Client().post(reverse("placements:place_confirm", args=[forged]))
    assert response.status_code == 404
    place.refresh_from_db()
    assert place.last_confirmed_on == days_ago(70)


def test_a_link_is_refused_once_someone_confirmed_the_place_another_way(link, place):
    services.training_places_confirm(places=TrainingPlace.objects.filter(pk=place.pk))

    response = Client().post(link)

    assert response.status_code == 410
    assert "Någon har redan bekräftat platsen 2 december 2026" in response.text
    assert PlaceReminder.objects.get().used_at is None


def test_the_link_page_makes_a_fixed_number_of_queries(link, place, django_assert_max_num_queries):
    from tests.factories import AdaptationFactory, PlacementTypeFactory

    for n in range(5):
        place.placement_types.add(PlacementTypeFactory(code=f"X{n}"))
        place.adaptations.add(AdaptationFactory())
    # The reminder with its place, enterprise and unit; placement types; adaptations; the
    # network profile of the layout.
    with django_assert_max_num_queries(5):
        assert Client().get(link).status_code == 200


# --- The flag after 60 days -----------------------------------------------------------------


def test_the_list_and_the_place_page_flag_a_place_after_60_days(clock, officer_client, place):
    place.last_confirmed_on = days_ago(60)
    place.save()
    assert "Inte bekräftad på länge" not in officer_client.get(reverse("placements:list")).text
    page = officer_client.get(reverse("placements:place", args=[place.pk])).text
    assert "Inte bekräftad på länge" not in page

    place.last_confirmed_on = days_ago(61)
    place.save()
    listed = officer_client.get(reverse("placements:list")).text
    assert "Inte bekräftad på länge" in listed
    assert "för 61 dagar sedan" in listed
    page = officer_client.get(reverse("placements:place", args=[place.pk])).text
    assert "Uppgifterna bekräftades senast för 61 dagar sedan." in page
    assert "Inte bekräftad på länge: fråga företaget om uppgifterna stämmer." in page


def test_the_admin_flags_and_filters_the_places_after_60_days(clock, coordinator_client, place):
    TrainingPlaceFactory(title="Nyss bekräftad", last_confirmed_on=days_ago(60))
    place.last_confirmed_on = days_ago(61)
    place.save()
    url = reverse("admin:placements_trainingplace_changelist")

    listed = coordinator_client.get(url).text
    assert listed.count("behöver bekräftas") == 1

    filtered = coordinator_client.get(url, {"bekraftad": "gammal"}).text
    assert "Snickeri och måleri" in filtered
    assert "Nyss bekräftad" not in filtered


# --- The coordinator's weekly digest --------------------------------------------------------

MONDAY = datetime.date(2026, 12, 7)


def test_the_weekly_digest_lists_the_flagged_places_per_enterprise(
    time_machine, network, place, enterprise_a, place_b, mailoutbox
):
    time_machine.move_to(at(MONDAY, 7), tick=False)
    place.last_confirmed_on = days_ago(61, MONDAY)
    place.save()
    TrainingPlaceFactory(enterprise=enterprise_a, title="Aldrig bekräftad", last_confirmed_on=None)
    TrainingPlaceFactory(enterprise=enterprise_a, title="Färsk", last_confirmed_on=MONDAY)
    TrainingPlaceFactory(
        enterprise=enterprise_a,
        title="Pausad",
        last_confirmed_on=None,
        status=TrainingPlace.Status.PAUSED,
    )
    place_b.last_confirmed_on = days_ago(100, MONDAY)
    place_b.save()
    TrainingPlaceFactory(
        enterprise=EnterpriseFactory(name="Ensamma företaget"),
        title="Utan personal",
        last_confirmed_on=None,
    )

    assert jobs.send_stale_places_digest() == 4

    (message,) = mailoutbox
    assert message.to == [COORDINATOR_ADDRESS]
    assert message.subject == "Veckans lista: 4 arbetsträningsplatser är inte bekräftade på länge"
    body = message.body
    sections = re.split(r"^== (.+) ==$", body, flags=re.M)
    listed = dict(zip(sections[1::2], sections[2::2], strict=True))
    assert list(listed) == ["Bortre företaget", "Ensamma företaget", "Värmestugan i Märsta"]
    assert (
        "Kafé vid ån: senast bekräftad 2026-08-29, för 100 dagar sedan"
        in listed["Bortre företaget"]
    )
    assert "Utan personal: aldrig bekräftad" in listed["Ensamma företaget"]
    assert "ingen personal med konto i portalen" in listed["Ensamma företaget"]
    ours = listed["Värmestugan i Märsta"]
    assert "Aldrig bekräftad: aldrig bekräftad" in ours
    assert "Snickeri och måleri: senast bekräftad 2026-10-07, för 61 dagar sedan" in ours
    assert "Färsk" not in body and "Pausad" not in body
    assert "?bekraftad=gammal" in body


def test_the_digest_goes_once_a_week(time_machine, network, place, mailoutbox):
    assert "placements.jobs.send_stale_places_digest" in PlacementsConfig.scheduled_jobs["weekly"]
    place.last_confirmed_on = None
    place.save()

    time_machine.move_to(at(MONDAY, 7), tick=False)
    assert jobs.send_stale_places_digest() == 1
    assert jobs.send_stale_places_digest() == 0
    time_machine.move_to(at(MONDAY + datetime.timedelta(days=3)), tick=False)
    assert jobs.send_stale_places_digest() == 0
    assert len(mailoutbox) == 1

    time_machine.move_to(at(MONDAY + datetime.timedelta(days=7), 7), tick=False)
    schedule.run_tick()
    schedule.run_tick()
    assert len(mailoutbox) == 2


def test_no_digest_when_every_place_is_confirmed(time_machine, network, place, mailoutbox):
    time_machine.move_to(at(MONDAY, 7), tick=False)
    place.last_confirmed_on = MONDAY
    place.save()

    assert jobs.send_stale_places_digest() == 0
    assert mailoutbox == []
