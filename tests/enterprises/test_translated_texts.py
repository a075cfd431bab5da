"""What the network writes, in Swedish and in English (issue 14, item 6).

The coordinator and enterprise staff write the English texts in the admin beside the Swedish
ones; the English pages show them, and show the Swedish text marked lang="sv" where no English
has been written, so that a screen reader reads it with a Swedish voice.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.roles import CASE_OFFICER, ENTERPRISE_STAFF
from enterprises.models import Enterprise, NetworkProfile, ServiceCategory
from tests import factories
from tests.accounts.helpers import log_in_with_second_factor
from tests.admin.helpers import admin_url, change_form_data
from tests.storefront.helpers import main


@pytest.fixture
def network(db):
    return factories.NetworkProfileFactory()


@pytest.fixture
def cafe(network):
    category = factories.ServiceCategoryFactory(name="Café och catering", slug="cafe-och-catering")
    enterprise = factories.EnterpriseFactory(
        name="Café Nyfiket",
        slug="cafe-nyfiket",
        summary="Fika och lunch i Märsta.",
        description="Ett café med hembakat.",
        published=True,
    )
    enterprise.service_categories.add(category)
    return enterprise


def elements_with(html: str, words: str) -> list[str]:
    """The opening tags of the elements whose own text starts with `words`."""
    return re.findall(r"<[a-z0-9]+[^>]*>(?=\s*" + re.escape(words) + ")", html)


def posted(client: Client, enterprise: Enterprise, **changes) -> None:
    url = admin_url(enterprise, "change")
    data = {**change_form_data(client.get(url)), **changes}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_the_english_pages_show_the_english_text_the_coordinator_wrote(cafe, coordinator_client):
    visitor = Client()
    english_before = visitor.get("/en/foretag/cafe-nyfiket/").text
    assert 'lang="sv">Fika och lunch i Märsta.' in english_before

    posted(
        coordinator_client,
        cafe,
        summary_en="Coffee and lunch in Märsta.",
        description_en="A café with home baking.",
    )

    english = main(visitor.get("/en/foretag/cafe-nyfiket/").text)
    assert "Coffee and lunch in Märsta." in english
    assert "A café with home baking." in english
    assert "Fika och lunch" not in english
    # Written in the page's language: no lang mark of its own.
    assert elements_with(english, "Coffee and lunch") == ['<p class="lead">']
    swedish = main(visitor.get("/foretag/cafe-nyfiket/").text)
    assert "Fika och lunch i Märsta." in swedish
    assert "Coffee" not in swedish
    # The card in the English directory too (its cached copy was replaced at the save).
    assert "Coffee and lunch in Märsta." in visitor.get("/en/foretag/").text


def test_an_untranslated_text_on_an_english_page_is_swedish_and_marked_so(cafe, client):
    cafe.summary_en = "Coffee and lunch in Märsta."
    cafe.save()

    english = main(client.get("/en/foretag/cafe-nyfiket/").text)

    assert '<div lang="sv"><p>Ett café med hembakat.</p></div>' in english
    assert "Coffee and lunch" in english
    swedish = main(client.get("/foretag/cafe-nyfiket/").text)
    assert 'lang="sv"' not in swedish


def test_a_category_is_named_in_english_where_the_coordinator_named_it(cafe, client):
    untranslated = factories.ServiceCategoryFactory(name="Textil", slug="textil")
    factories.EnterpriseFactory(name="Sömnad", published=True).service_categories.add(untranslated)
    ServiceCategory.objects.filter(slug="cafe-och-catering").update(name_en="Café and catering")

    services = main(client.get("/en/tjanster/").text)

    assert '<h2 id="heading-cafe-och-catering">Café and catering</h2>' in services
    assert '<h2 id="heading-textil" lang="sv">Textil</h2>' in services
    directory = client.get("/en/foretag/").text
    assert '<option value="cafe-och-catering">Café and catering</option>' in directory
    assert '<option value="textil" lang="sv">Textil</option>' in directory
    assert "Café och catering" not in main(directory)
    assert "Café och catering" in main(client.get("/tjanster/").text)


def test_the_admin_names_each_language_box_in_words(cafe, coordinator_client):
    page = coordinator_client.get(admin_url(cafe, "change")).text

    assert "Kort presentation, på svenska" in page
    assert "Kort presentation, på engelska" in page
    assert "Lämna tomt så visas den svenska texten på de engelska sidorna" in page
    assert "[en]" not in page


def test_a_category_needs_its_swedish_name_but_not_an_english_one(network, coordinator_client):
    url = admin_url(ServiceCategory, "add")

    missing = coordinator_client.post(url, {"name_sv": "", "name_en": "Gardening", "order": 1})
    assert missing.status_code == 200
    assert "Detta fält måste fyllas i." in missing.text
    assert not ServiceCategory.objects.exists()

    saved = coordinator_client.post(
        url, {"name_sv": "Trädgård", "name_en": "", "slug": "tradgard", "order": 1}
    )
    assert saved.status_code == 302
    category = ServiceCategory.objects.get()
    assert (category.name_sv, category.name_en) == ("Trädgård", None)
    # A second untranslated name is no clash: an empty English name is stored as none.
    again = coordinator_client.post(
        url, {"name_sv": "Städ", "name_en": "", "slug": "stad", "order": 2}
    )
    assert again.status_code == 302
    assert ServiceCategory.objects.count() == 2


def test_enterprise_staff_write_their_own_enterprises_english_texts(cafe, client, roles):
    staff = factories.UserFactory(email="personal@example.org", is_staff=True)
    staff.groups.add(roles[ENTERPRISE_STAFF])
    cafe.staff.add(staff)
    log_in_with_second_factor(client, staff)

    posted(client, cafe, training_text_en="Work training in our kitchen.")

    cafe.refresh_from_db()
    assert cafe.training_text_en == "Work training in our kitchen."
    assert "Work training in our kitchen." in Client().get("/en/foretag/cafe-nyfiket/").text


def test_the_history_keeps_the_swedish_text(cafe, coordinator_client):
    posted(coordinator_client, cafe, summary_sv="Fika, lunch och catering.", summary_en="Coffee.")

    assert cafe.history.order_by("-history_date").first().summary == "Fika, lunch och catering."


@pytest.mark.parametrize(
    ("path", "query", "found"),
    [
        ("/en/foretag/", "coffee", True),  # the English summary
        ("/en/foretag/", "fika", True),  # the Swedish text on the English page
        ("/foretag/", "coffee", True),  # English words find on the Swedish page too
        ("/foretag/", "bowling", False),
    ],
)
def test_search_reads_the_texts_in_both_languages(cafe, client, path, query, found):
    cafe.summary_en = "Coffee and lunch in Märsta."
    cafe.save()

    page = main(client.get(path, {"q": query}).text)

    assert ("Café Nyfiket" in page) is found


def test_seeding_names_the_categories_and_the_network_in_english(db):
    call_command("seed_network", verbosity=0)

    names = dict(ServiceCategory.objects.values_list("name_sv", "name_en"))
    assert names["Café och catering"] == "Café and catering"
    assert names["Tjänster för seniorer"] == "Services for seniors"
    assert all(names.values())
    network = NetworkProfile.objects.get()
    assert network.tagline_en.startswith("Work-integration social enterprises")
    assert network.tagline_sv.startswith("Arbetsintegrerande sociala företag")


def test_the_english_pages_take_no_more_queries_with_translations(
    cafe, client, django_assert_max_num_queries
):
    for number in range(20):
        enterprise = factories.EnterpriseFactory(
            summary=f"Text {number}", summary_en=f"English {number}", published=True
        )
        enterprise.service_categories.add(*ServiceCategory.objects.all())

    for path in ("/", "/foretag/", "/tjanster/", "/foretag/cafe-nyfiket/"):
        with CaptureQueriesContext(connection) as swedish:
            assert client.get(path).status_code == 200
        with django_assert_max_num_queries(len(swedish)):
            assert client.get(f"/en{path}").status_code == 200


def test_a_case_officer_reads_the_places_category_in_english_or_marked_swedish(cafe, roles):
    officer = factories.UserFactory(email="handlaggare@example.org")
    officer.groups.add(roles[CASE_OFFICER])
    client = Client()
    client.force_login(officer)
    category = cafe.service_categories.get()
    place = factories.TrainingPlaceFactory(enterprise=cafe, service_category=category)

    untranslated = client.get(f"/en/platser/{place.pk}/").text
    category.name_en = "Café and catering"
    category.save()
    translated = client.get(f"/en/platser/{place.pk}/").text

    assert '<dd lang="sv">Café och catering</dd>' in untranslated
    assert "<dd>Café and catering</dd>" in translated
