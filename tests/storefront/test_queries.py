"""Every public page reads a fixed number of queries, for 5 enterprises or for 200."""

from __future__ import annotations

import pytest
from django.db import transaction

from tests.storefront.conftest import build_network

# Each size of network is built once for the module's tests (module_db); each test's own
# changes roll back.
pytestmark = pytest.mark.django_db

# Measured, the same at 5 and at 200 enterprises. The network's profile is one query on
# every page; the lists add the enterprises and their prefetched municipalities and
# categories; the home page and /tjanster/ the first sellers of each category and the
# enterprises without one (enterprises/offer.py); the directory its filter options and the
# count of its pages; the enterprise page its units, places (with their types and
# adaptations), agreements (with their programmes) and other names.
PAGES = {
    "home": ("/", 6),
    "directory": ("/foretag/", 7),
    "directory, filtered": ("/foretag/?kommun=ort-a&tjanst={category}&q=fika", 7),
    # The search is one query however many words, synonyms and relations it looks through.
    "directory, searched": ("/foretag/?q=lunch+catering+gamla+namnet", 7),
    # Nothing found: one more for the services to suggest instead.
    "directory, nothing found": ("/foretag/?q=helikopter", 5),
    "enterprise": ("{enterprise}", 13),
    "services": ("/tjanster/", 4),
}


@pytest.fixture(scope="module", params=[5, pytest.param(200, marks=pytest.mark.scale)])
def enterprises(request, module_db):
    """A network of 5, then of 200 enterprises, each built once for all the pages and rolled
    back before the next."""
    with transaction.atomic():
        yield build_network(request.param)
        transaction.set_rollback(True)


@pytest.mark.parametrize("page", PAGES)
def test_page_reads_the_same_number_of_queries_however_many_enterprises(
    client, network, django_assert_max_num_queries, enterprises, page
):
    path, bound = PAGES[page]
    url = path.format(
        enterprise=enterprises[-1].get_absolute_url(),
        category=enterprises[-1].service_categories.first().slug,
    )

    with django_assert_max_num_queries(bound):
        response = client.get(url)

    assert response.status_code == 200
    if "nothing found" in page:
        assert "0 företag" in response.text
    elif page in ("home", "services", "directory"):
        # A selection or the first page: the first enterprise by name, whatever the size.
        assert min(enterprise.name for enterprise in enterprises) in response.text
    elif page == "enterprise":
        assert enterprises[-1].name in response.text
    else:
        assert 'class="card"' in response.text
