"""/tjanster/: everything the network sells, by category, with who sells it."""

from __future__ import annotations

from tests import factories
from tests.storefront.helpers import h1_count, main, text


def test_it_groups_what_is_sold_by_category_with_links_to_the_sellers(client, network):
    seniors = factories.ServiceCategoryFactory(
        name="Tjänster för seniorer", slug="seniorer", description="Hjälp hemma.", order=2
    )
    second_hand = factories.ServiceCategoryFactory(name="Second hand", slug="second-hand", order=1)
    ggg = factories.EnterpriseFactory(
        name="GGG Allservice för Seniorer", services_text="Städning, handling och sällskap."
    )
    ggg.service_categories.set([seniors])
    love_and_hope = factories.EnterpriseFactory(name="Love & Hope", summary="Kläder och möbler.")
    love_and_hope.service_categories.set([second_hand, seniors])

    response = client.get("/tjanster/")

    page = main(response.text)
    words = text(page)
    assert response.status_code == 200
    assert h1_count(response.text) == 1
    assert (
        "Second hand Love & Hope Kläder och möbler. "
        "Tjänster för seniorer Hjälp hemma. "
        "GGG Allservice för Seniorer Städning, handling och sällskap. "
        "Love & Hope Kläder och möbler."
    ) in words
    assert f'<a href="{ggg.get_absolute_url()}">GGG Allservice för Seniorer</a>' in page
    assert '<a href="#second-hand">Second hand</a>' in page


def test_enterprises_without_a_category_are_listed_under_more_enterprises(client, network):
    factories.EnterpriseFactory(name="Livskraft", summary="Friskvård i Sollentuna.")

    words = text(main(client.get("/tjanster/").text))

    assert "Fler företag i nätverket" in words
    assert "Livskraft Friskvård i Sollentuna." in words


def test_unpublished_enterprises_and_empty_categories_are_left_out(client, network):
    hidden_category = factories.ServiceCategoryFactory(name="Flyttjänster")
    hidden = factories.EnterpriseFactory(name="Hemliga Flyttfirman", published=False)
    hidden.service_categories.set([hidden_category])

    page = client.get("/tjanster/").text

    assert "Hemliga Flyttfirman" not in page
    assert "Flyttjänster" not in page
