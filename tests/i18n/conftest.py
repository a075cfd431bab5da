from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _restore_the_language():
    # A request to an /en/ page leaves English active in this thread (LocaleMiddleware
    # activates a language and never deactivates it): later tests would read English.
    language = translation.get_language()
    yield
    translation.activate(language)
