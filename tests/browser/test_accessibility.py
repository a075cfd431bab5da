"""Every public page at desktop and at phone width: no axe-core WCAG 2.1 A/AA violation, no
sideways scrolling on a phone, and a screenshot in var/screenshots/ for a person to look at.

One test per width walks all the pages (a subtest each), so that the network is seeded once
per width rather than once per page.
"""

from __future__ import annotations

import pytest

from tests.browser.helpers import (
    VIEWPORTS,
    axe_violations,
    describe_violations,
    horizontal_overflow,
    screenshot,
)

pytestmark = pytest.mark.browser

# (name of the screenshot, path, expected status)
PUBLIC_PAGES = [
    ("home", "/", 200),
    ("directory", "/foretag/", 200),
    ("enterprise", "/foretag/varmekallan-i-vasby/", 200),
    ("services", "/tjanster/", 200),
    ("contact", "/kontakt/", 200),
    ("about", "/om/", 200),
    ("accessibility", "/tillganglighet/", 200),
    ("privacy", "/integritet/", 200),
    ("not-found", "/finns-inte/", 404),
    ("home-en", "/en/", 200),
    ("about-en", "/en/om/", 200),
]


@pytest.mark.parametrize("viewport_name", VIEWPORTS)
def test_every_public_page_is_accessible(page, site, subtests, viewport_name):
    viewport = VIEWPORTS[viewport_name]
    page.set_viewport_size(viewport)
    for name, path, status in PUBLIC_PAGES:
        with subtests.test(msg=f"{path} at {viewport['width']}x{viewport['height']}"):
            response = page.goto(site.url(path))
            assert response.status == status
            check_page(page, name, viewport_name)

    with subtests.test(msg=f"/kontakt/ with errors at {viewport['width']}x{viewport['height']}"):
        page.goto(site.url("/kontakt/"))
        page.get_by_role("button", name="Skicka meddelandet").click()
        page.locator(".error-summary").wait_for()
        check_page(page, "contact-errors", viewport_name)


def check_page(page, name: str, viewport_name: str) -> None:
    # The screenshot first: it is most useful when something below fails.
    screenshot(page, name, viewport_name)
    violations = axe_violations(page)
    assert not violations, (
        f"axe-core found {len(violations)} WCAG 2.1 A/AA violation(s):\n"
        f"{describe_violations(violations)}"
    )
    if viewport_name == "phone":
        overflow = horizontal_overflow(page)
        assert overflow <= 0, f"The page scrolls sideways: it is {overflow} px wider than a phone."
