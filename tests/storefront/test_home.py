"""The home page: who the network is, its one number, what it sells, and the ways in."""

from __future__ import annotations

from tests import factories
from tests.storefront.conftest import EMAIL, PHONE, PHONE_URI
from tests.storefront.helpers import h1_count, main, text


def test_it_says_who_the_network_is_with_its_one_number_and_email(client, network):
    factories.EnterpriseFactory.create_batch(3)

    response = client.get("/")

    page = main(response.text)
    assert response.status_code == 200
    assert h1_count(response.text) == 1
    assert network.name in page
    assert "Vi är 3 arbetsintegrerande sociala företag" in text(page)
    assert f'<a href="{PHONE_URI}">{PHONE}</a>' in page
    assert f'<a href="mailto:{EMAIL}">{EMAIL}</a>' in page


def test_it_shows_published_enterprises_as_cards_and_hides_the_rest(client, network):
    sigtuna = factories.MunicipalityFactory(name="Sigtuna")
    shown = factories.EnterpriseFactory(
        name="Café Synligt", summary="Fika och lunch i Märsta.", municipalities=[sigtuna]
    )
    factories.EnterpriseFactory(name="Hemliga Företaget", published=False)

    page = client.get("/").text

    assert f'<a href="/foretag/{shown.slug}/">Café Synligt</a>' in page
    assert "Fika och lunch i Märsta." in page
    assert "Finns i: Sigtuna" in text(page)
    assert "Hemliga Företaget" not in page


def test_it_lists_what_can_be_bought_with_the_enterprises_behind_it(client, network):
    cafe = factories.ServiceCategoryFactory(name="Café och catering", slug="cafe-och-catering")
    property_services = factories.ServiceCategoryFactory(name="Fastighetsservice", order=1)
    nyfiket = factories.EnterpriseFactory(name="Café Nyfiket AB")
    nyfiket.service_categories.set([cafe])
    fixarna = factories.EnterpriseFactory(name="Fixarna")
    fixarna.service_categories.set([property_services, cafe])
    factories.EnterpriseFactory(name="Livskraft")  # sells nothing named yet

    words = text(main(client.get("/").text))

    assert "Café och catering Säljs av: Café Nyfiket AB, Fixarna" in words
    assert "Fastighetsservice Säljs av: Fixarna" in words
    assert "Fler företag i nätverket Fråga oss om: Livskraft" in words
    assert '<a href="/foretag/?tjanst=cafe-och-catering">' in client.get("/").text


def test_buyers_find_a_way_to_buy_and_to_ask(client, network):
    page = client.get("/").text

    assert "Köp av oss" in page
    assert 'href="/tjanster/"' in page
    assert 'href="/kontakt/?amne=buy"' in page


def test_new_enterprises_find_a_way_to_become_members(client, network):
    page = client.get("/").text

    assert "Bli medlem" in page
    assert 'href="/kontakt/?amne=membership"' in page


def test_case_officers_learn_how_a_placement_works_who_pays_and_where_to_log_in(client, network):
    response = client.get("/")

    section = response.text[response.text.index('id="for-handlaggare"') :]
    words = text(section)
    assert "Så går en placering till" in words
    assert "Arbetsförmedlingen" in words
    assert "Kommunen, genom idéburet offentligt partnerskap (IoP)" in words
    assert "Hoppet – Rätt stöd för mig och MIA-Vidare" in words
    assert 'href="/konto/login/"' in section
    assert 'href="/platser/"' in section
    assert 'href="/kontakt/?amne=training"' in section


def test_it_works_before_the_network_has_a_profile(client, db):
    factories.EnterpriseFactory(name="Ensamma Företaget")

    response = client.get("/")

    assert response.status_code == 200
    assert "Ensamma Företaget" in response.text


def test_it_answers_only_reading_requests(client, network):
    assert client.post("/").status_code == 405


def test_the_english_menu_names_the_directory_in_the_plural(client, network):
    swedish = client.get("/").text
    english = client.get("/en/").text

    assert ">Företag</a>" in swedish
    assert ">Enterprises</a>" in english
    assert ">Enterprise</a>" not in english


def test_on_english_pages_what_the_enterprises_wrote_is_marked_swedish(client, network):
    category = factories.ServiceCategoryFactory(name="Städning", slug="stadning")
    enterprise = factories.EnterpriseFactory(
        name="Städ i Väsby",
        slug="stad-i-vasby",
        summary="Vi städar kontor och trapphus.",
        description="Ett företag med lång erfarenhet.",
    )
    enterprise.service_categories.add(category)

    english = client.get("/en/foretag/stad-i-vasby/").text
    swedish = client.get("/foretag/stad-i-vasby/").text
    services = client.get("/en/tjanster/").text
    directory = client.get("/en/foretag/").text

    assert '<p class="lead" lang="sv">Vi städar kontor och trapphus.</p>' in english
    assert '<div lang="sv"><p>Ett företag med lång erfarenhet.</p></div>' in english
    assert '<h2 id="heading-stadning" lang="sv">Städning</h2>' in services
    assert '<p class="card__summary" lang="sv">Vi städar kontor och trapphus.</p>' in directory
    # The Swedish page needs no marking.
    assert '<p class="lead">Vi städar kontor och trapphus.</p>' in swedish
    assert 'lang="sv"' not in main(swedish)
