"""/foretag/<slug>/: one enterprise, what it sells, where it is, its training, who can refer."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from enterprises.models import EnterpriseAlias
from placements.models import Agreement, TrainingPlace
from tests import factories
from tests.storefront.conftest import PHONE, PHONE_URI
from tests.storefront.helpers import main, text

# The smallest valid GIF: one transparent pixel.
PIXEL_GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


@pytest.fixture
def enterprise(network):
    sigtuna = factories.MunicipalityFactory(name="Sigtuna", slug="sigtuna")
    cafe = factories.ServiceCategoryFactory(name="Café och catering", slug="cafe")
    textile = factories.ServiceCategoryFactory(name="Textil och hantverk", slug="textil")
    enterprise = factories.EnterpriseFactory(
        name="M29 Café, Textil & Hantverk",
        slug="m29-cafe-textil-hantverk",
        municipalities=[sigtuna],
        summary="Kaféer och hantverk i Sigtuna.",
        services_text="Fika, luncher och beställda tårtor.",
        training_text="Du tränar i kafé, kök eller hantverkshus.",
    )
    enterprise.service_categories.set([cafe, textile])
    factories.UnitFactory(
        enterprise=enterprise,
        name="Café Nyfiket",
        street_address="Stora gatan 12",
        postal_code="193 30",
        city="Sigtuna",
        municipality=sigtuna,
    )
    factories.UnitFactory(
        enterprise=enterprise,
        name="Sigtuna Hantverkshus",
        street_address="Lilla torget 3",
        postal_code="193 30",
        city="Sigtuna",
        municipality=sigtuna,
    )
    return enterprise


def test_it_shows_what_the_enterprise_sells(client, enterprise):
    response = client.get("/foretag/m29-cafe-textil-hantverk/")

    words = text(main(response.text))
    assert response.status_code == 200
    assert "<h1>M29 Café, Textil &amp; Hantverk</h1>" in response.text
    assert "Det här säljer vi Café och catering Textil och hantverk" in words
    assert "Fika, luncher och beställda tårtor." in words
    assert '<a href="/foretag/?tjanst=cafe">Café och catering</a>' in response.text


def test_it_shows_the_units_with_their_addresses(client, enterprise):
    words = text(main(client.get(enterprise.get_absolute_url()).text))

    assert "Café Nyfiket Stora gatan 12, 193 30 Sigtuna" in words
    assert "Sigtuna Hantverkshus Lilla torget 3, 193 30 Sigtuna" in words


def test_the_networks_number_is_the_first_contact(client, enterprise):
    page = main(client.get(enterprise.get_absolute_url()).text)

    contact = page[page.index('id="contact-heading"') :]
    assert f'Ring nätverket: <a href="{PHONE_URI}">{PHONE}</a>' in contact
    assert "Direkt till" not in contact  # no contact details of its own


def test_it_shows_the_enterprises_own_contact_details_after_the_networks(client, enterprise):
    enterprise.contact_person = "Kim Kontakt"
    enterprise.phone = "08-465 004 42"
    enterprise.email = "kafe@example.org"
    enterprise.website = "https://kafe.example.org/"
    enterprise.save()

    page = main(client.get(enterprise.get_absolute_url()).text)

    contact = page[page.index('id="contact-heading"') :]
    assert contact.index("Ring nätverket") < contact.index("Kim Kontakt")
    assert '<a href="tel:+46846500442">08-465 004 42</a>' in contact
    assert '<a href="mailto:kafe@example.org">kafe@example.org</a>' in contact
    assert '<a href="https://kafe.example.org/">' in contact


def test_it_shows_the_film_and_the_image_with_its_alt_text(client, enterprise, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    enterprise.film_url = "https://video.example.org/m29"
    enterprise.image = SimpleUploadedFile("kafe.gif", PIXEL_GIF, content_type="image/gif")
    enterprise.image_alt = "Två personer bakar bullar i ett kök."
    enterprise.save()

    page = client.get(enterprise.get_absolute_url()).text

    assert '<a href="https://video.example.org/m29">Se filmen om M29 Café' in page
    assert f'<img src="{enterprise.image.url}" alt="Två personer bakar bullar i ett kök.">' in page


def test_an_image_without_alt_text_is_described_by_the_enterprises_name(
    client, enterprise, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    enterprise.image = SimpleUploadedFile("kafe.gif", PIXEL_GIF, content_type="image/gif")
    enterprise.save()

    page = client.get(enterprise.get_absolute_url()).text

    assert 'alt="M29 Café, Textil &amp; Hantverk"' in page


# --- Training -------------------------------------------------------------------------------


def test_it_shows_the_training_offered_with_types_and_adaptations(client, enterprise):
    quiet_room = factories.AdaptationFactory(name="Tyst rum")
    flexible_hours = factories.AdaptationFactory(name="Flexibla tider")
    enterprise.adaptations.set([flexible_hours])
    place = factories.TrainingPlaceFactory(
        enterprise=enterprise,
        placement_types=[
            factories.PlacementTypeFactory(code="AT", name="Arbetsträning"),
            factories.PlacementTypeFactory(code="FAT", name="Förstärkt arbetsträning"),
        ],
    )
    place.adaptations.set([quiet_room])
    factories.TrainingPlaceFactory(
        enterprise=enterprise,
        status=TrainingPlace.Status.PAUSED,
        placement_types=[factories.PlacementTypeFactory(code="AP", name="Arbetsprövning")],
    )

    words = text(main(client.get(enterprise.get_absolute_url()).text))

    assert "Du tränar i kafé, kök eller hantverkshus." in words
    assert "Det här kan du göra hos oss Arbetsträning Förstärkt arbetsträning Anpassningar" in words
    assert "Arbetsprövning" not in words  # only on a paused place
    assert "Anpassningar vi kan göra Flexibla tider Tyst rum" in words


def test_it_says_there_are_free_seats_when_an_open_place_has_one(client, enterprise):
    place = factories.TrainingPlaceFactory(enterprise=enterprise, capacity=2)
    factories.PlacementFactory(place=place)

    words = text(main(client.get(enterprise.get_absolute_url()).text))

    assert "Lediga platser just nu" in words
    assert "Inga lediga platser" not in words


@pytest.mark.parametrize("situation", ["no places", "full", "ended placements free it", "paused"])
def test_it_says_whether_there_are_free_seats(client, enterprise, situation):
    if situation == "full":
        place = factories.TrainingPlaceFactory(enterprise=enterprise, capacity=1)
        factories.PlacementFactory(place=place)
    elif situation == "ended placements free it":
        place = factories.TrainingPlaceFactory(enterprise=enterprise, capacity=1)
        factories.PlacementFactory(place=place, ended_on=datetime.date(2022, 6, 1))
    elif situation == "paused":
        factories.TrainingPlaceFactory(
            enterprise=enterprise, capacity=3, status=TrainingPlace.Status.PAUSED
        )

    words = text(main(client.get(enterprise.get_absolute_url()).text))

    has_free_seats = situation == "ended placements free it"
    assert ("Lediga platser just nu" in words) is has_free_seats
    assert ("Inga lediga platser just nu" in words) is not has_free_seats


# --- Who can refer participants -------------------------------------------------------------


def referrers(response) -> str:
    page = main(response.text)
    return text(page[page.index("Vem kan anvisa deltagare hit?") : page.index("Handläggare:")])


def test_it_names_the_referrers_whose_agreements_cover_it(client, enterprise):
    af = factories.OrganisationFactory(name="Arbetsförmedlingen")
    association = factories.OrganisationFactory(name="Samordningsförbundet")
    hoppet = factories.ProgrammeFactory(name="Hoppet - Rätt stöd för mig", organisation=association)
    mia = factories.ProgrammeFactory(name="MIA-Vidare", organisation=association)
    factories.AgreementFactory(enterprise=enterprise, counterparty=af)
    programme_agreement = factories.AgreementFactory(
        enterprise=enterprise,
        kind=Agreement.Kind.PROGRAMME,
        title="Samordningsförbundet – Hoppet & MIA-Vidare",
        counterparty=association,
    )
    programme_agreement.programmes.set([hoppet, mia])

    words = referrers(client.get(enterprise.get_absolute_url()))

    assert "Arbetsförmedlingen" in words
    assert "Samordningsförbundet: Hoppet - Rätt stöd för mig, MIA-Vidare" in words


def test_a_subcontract_names_the_prime_agreements_counterparty(client, enterprise):
    social_assistance = factories.OrganisationFactory(
        name="Sigtuna kommun - Försörjningsstödenheten"
    )
    m29 = factories.EnterpriseFactory(name="M29 Socialt företagscenter", short_name="M29")
    prime = factories.AgreementFactory(
        enterprise=m29, kind=Agreement.Kind.IOP, title="IoP", counterparty=social_assistance
    )
    Agreement.objects.create(
        enterprise=enterprise, kind=Agreement.Kind.SUBCONTRACT, prime_agreement=prime
    )

    words = referrers(client.get(enterprise.get_absolute_url()))

    assert (
        "Sigtuna kommun - Försörjningsstödenheten (genom avtal med M29 Socialt företagscenter)"
        in words
    )


def test_collaborations_and_agreements_out_of_force_do_not_count(client, enterprise):
    factories.AgreementFactory(
        enterprise=enterprise,
        kind=Agreement.Kind.COLLABORATION,
        title="Samarbete",
        counterparty=factories.OrganisationFactory(name="Dagliga verksamheten"),
    )
    factories.AgreementFactory(
        enterprise=enterprise,
        counterparty=factories.OrganisationFactory(name="Gamla Myndigheten"),
        valid_until=datetime.date(2020, 12, 31),
    )
    expired_prime = factories.AgreementFactory(
        kind=Agreement.Kind.IOP,
        title="Utgånget",
        counterparty=factories.OrganisationFactory(name="Förra Förvaltningen"),
        valid_until=datetime.date(2021, 12, 31),
    )
    Agreement.objects.create(
        enterprise=enterprise, kind=Agreement.Kind.SUBCONTRACT, prime_agreement=expired_prime
    )

    words = referrers(client.get(enterprise.get_absolute_url()))

    assert "Dagliga verksamheten" not in words
    assert "Gamla Myndigheten" not in words
    assert "Förra Förvaltningen" not in words
    assert "Företaget har inga avtal om arbetsträning just nu." in words


# --- Addresses ------------------------------------------------------------------------------


def test_get_absolute_url_is_the_public_page(enterprise):
    assert enterprise.get_absolute_url() == "/foretag/m29-cafe-textil-hantverk/"


def test_an_alias_answers_a_permanent_redirect_to_the_page(client, enterprise):
    EnterpriseAlias.objects.create(
        enterprise=enterprise,
        name="Service i Sigtuna",
        slug="service-i-sigtuna",
        kind=EnterpriseAlias.Kind.FORMER,
    )

    response = client.get("/foretag/service-i-sigtuna/")
    english = client.get("/en/foretag/service-i-sigtuna/")

    assert response.status_code == 301
    assert response["Location"] == "/foretag/m29-cafe-textil-hantverk/"
    assert english.status_code == 301
    assert english["Location"] == "/en/foretag/m29-cafe-textil-hantverk/"


def test_an_old_slug_kept_as_an_alias_redirects_after_a_rename(client, enterprise):
    enterprise.name = "M29 Kafé & Hantverk"
    enterprise.slug = "m29-kafe-hantverk"
    enterprise.save()
    EnterpriseAlias.objects.create(
        enterprise=enterprise, name="M29 Café, Textil & Hantverk", slug="m29-cafe-textil-hantverk"
    )

    response = client.get("/foretag/m29-cafe-textil-hantverk/", follow=True)

    assert response.redirect_chain == [("/foretag/m29-kafe-hantverk/", 301)]
    assert "<h1>M29 Kafé &amp; Hantverk</h1>" in response.text


def test_an_unknown_slug_is_not_found(client, enterprise):
    assert client.get("/foretag/finns-inte/").status_code == 404


def test_an_unpublished_enterprise_is_not_found_even_by_its_alias(client, enterprise):
    EnterpriseAlias.objects.create(enterprise=enterprise, name="Gammalt", slug="gammalt")
    enterprise.published = False
    enterprise.save()

    assert client.get("/foretag/m29-cafe-textil-hantverk/").status_code == 404
    assert client.get("/foretag/gammalt/").status_code == 404
