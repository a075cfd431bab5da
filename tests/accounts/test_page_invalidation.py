"""No model can be forgotten by the cache invalidation (accounts.pages).

The cached public pages, the place browser's cached table and the report's fingerprint all
carry the pages' generation token. A save, delete or many-to-many change of any model of an
app that feeds them swaps the token, unless the app's config says the model is not shown.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save
from simple_history.models import HistoricalChanges

from accounts import pages

# The project's own apps that show nothing on a cached page, and why.
SHOW_NOTHING = {
    "accounts": "roles and plumbing; no models of its own",
    "asfnet": "the user model: never on a public page or in the report",
}


def project_apps():
    base = Path(settings.BASE_DIR).resolve()
    return [
        config
        for config in apps.get_app_configs()
        if base in Path(config.path).resolve().parents and ".venv" not in config.path
    ]


def test_every_project_app_says_what_it_shows_on_the_cached_pages():
    labels = {config.label for config in project_apps()}
    assert labels >= {"enterprises", "placements", "reports"}
    for config in project_apps():
        if config.label in SHOW_NOTHING:
            assert not hasattr(config, "not_on_public_pages")
            continue
        assert hasattr(config, "not_on_public_pages"), (
            f"{config.label}: say in its AppConfig which models the cached pages do not show "
            "(not_on_public_pages), or list the app in SHOW_NOTHING with the reason"
        )


def test_the_models_left_out_exist():
    for config in project_apps():
        for name in getattr(config, "not_on_public_pages", []):
            assert config.get_model(name), f"{config.label}.{name} is no model"


def shown_models():
    for config in project_apps():
        excluded = (
            set(getattr(config, "not_on_public_pages", []))
            if config.label not in (SHOW_NOTHING)
            else None
        )
        for model in config.get_models(include_auto_created=True):
            owner = model._meta.auto_created or model
            if excluded is None or issubclass(model, HistoricalChanges):
                yield model, False
            else:
                yield model, owner._meta.object_name not in excluded


@pytest.mark.parametrize(
    ("model", "shown"),
    list(shown_models()),
    ids=lambda value: value._meta.label if hasattr(value, "_meta") else str(value),
)
def test_each_models_saves_reach_the_pages_as_its_app_says(model, shown):
    assert pages.feeds_pages(model) is shown
    before = pages.generation()
    pages._invalidate_if_shown(sender=model, instance=None)
    assert (pages.generation() != before) is shown


@pytest.mark.parametrize(
    ("model", "shown"),
    list(shown_models()),
    ids=lambda value: value._meta.label if hasattr(value, "_meta") else str(value),
)
def test_the_invalidation_is_connected_to_each_model_it_should_be(model, shown):
    signals = [m2m_changed] if model._meta.auto_created else [post_save, post_delete]
    for signal in signals:
        connected = any(
            key[1] == id(model) and str(key[0]).startswith("pages-")
            for key, *_rest in signal.receivers
        )
        assert connected is shown, f"{signal} of {model._meta.label}"


def test_a_many_to_many_change_is_a_change_of_the_model_that_declares_it():
    from enterprises.models import Enterprise
    from placements.models import TrainingPlace

    assert pages.feeds_pages(Enterprise.service_categories.through)
    assert pages.feeds_pages(TrainingPlace.adaptations.through)


@pytest.mark.django_db
def test_a_real_save_makes_the_cached_pages_stale(client):
    from tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory(name="Gamla namnet", published=True)
    assert "Gamla namnet" in client.get("/foretag/").text  # now cached
    enterprise.name = "Nya namnet"
    enterprise.save()

    page = client.get("/foretag/").text
    assert "Nya namnet" in page
    assert "Gamla namnet" not in page


@pytest.mark.django_db
def test_confirming_places_with_an_update_makes_the_lists_stale(db):
    from placements import services
    from placements.models import TrainingPlace
    from tests.factories import TrainingPlaceFactory

    TrainingPlaceFactory()
    before = pages.generation()
    assert services.training_places_confirm(places=TrainingPlace.objects.all()) == 1
    assert pages.generation() != before
