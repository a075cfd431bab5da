"""When the database cannot be reached: a 503 page in the site's look, and /healthz says 503."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client


@pytest.fixture
def database_away(monkeypatch, settings):
    settings.DEBUG = False
    settings.ADMINS = ["drift@example.org"]

    def refuse(self):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)


@pytest.mark.parametrize(
    ("path", "heading", "advice"),
    [
        (path, "Portalen är inte tillgänglig just nu", "har det inte sparats")
        for path in ("/", "/foretag/", "/kontakt/")
    ]
    + [("/en/tjanster/", "The portal is not available right now", "it was not saved")],
)
def test_pages_answer_503_in_the_sites_look(database_away, path, heading, advice):
    response = Client(raise_request_exception=False).get(path)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert heading in page
    assert advice in page
    assert 'class="site-header"' in page
    assert "OperationalError" not in page


def test_healthz_says_503(database_away):
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


def test_other_server_errors_are_still_500(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.ops.urls_error"
    response = Client(raise_request_exception=False).get("/trasig/")
    assert response.status_code == 500
    assert "Något gick fel hos oss" in response.content.decode()
