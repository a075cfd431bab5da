"""The Content-Security-Policy in a real Chromium: the admin, two-factor setup and the report
work with it, and nothing on them is blocked (the `page` fixture fails on any violation)."""

from __future__ import annotations

import pytest
from PIL import Image

from accounts.roles import COORDINATOR, ENTERPRISE_STAFF, ensure_roles
from enterprises.models import Enterprise
from tests.accounts.helpers import give_totp, totp_code
from tests.browser.helpers import DESKTOP
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "test-lösenord-123"  # UserFactory's


def log_in(page, site, email: str, *, code: bool) -> None:
    page.goto(site.url("/konto/login/?next=/admin/"))
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Logga in").click()
    if code:
        page.get_by_label("Kod").fill(totp_code())
        page.get_by_role("main").get_by_role("button", name="Logga in").click()


def test_the_policy_is_strict(page, site):
    response = page.goto(site.url("/"))
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    # The site's stylesheet still applies: the skip link waits off screen until focused.
    assert page.locator(".skip-link").bounding_box()["x"] < -1000


def test_an_inline_style_is_blocked_and_reported(browser, site):
    # The console message the `page` fixture listens for is what Chromium really says.
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(site.url("/om/"))
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<style>body{color:red}</style>')")
    page.wait_for_timeout(200)
    colour = page.evaluate("getComputedStyle(document.body).color")
    context.close()
    assert colour != "rgb(255, 0, 0)"
    assert any("Content Security Policy" in message for message in messages), messages


def test_the_coordinator_edits_an_enterprise_with_autocomplete_and_an_image(page, site, tmp_path):
    user = UserFactory(email="samordnare@example.org", is_staff=True)
    user.groups.add(ensure_roles()[COORDINATOR])
    give_totp(user)
    enterprise = Enterprise.objects.get(slug="livskraft")
    enterprise.published = True
    enterprise.save()
    enterprise.municipalities.clear()
    photo = tmp_path / "foto.jpg"
    Image.new("RGB", (80, 60), (30, 120, 200)).save(photo, "JPEG")

    log_in(page, site, user.email, code=True)
    page.wait_for_url(lambda url: "/admin/" in url)
    page.goto(site.url(f"/admin/enterprises/enterprise/{enterprise.pk}/change/"))
    # The autocomplete (select2, the admin's own scripts) asks the site for municipalities.
    page.locator(".field-municipalities .select2-selection").click()
    page.locator(".field-municipalities .select2-search__field").fill("Sigt")
    page.get_by_role("option", name="Sigtuna").click()
    page.locator("input[type=file][name=image]").set_input_files(str(photo))
    page.get_by_role("button", name="Spara och fortsätt redigera").click()

    page.wait_for_selector(".messagelist .success")
    enterprise.refresh_from_db()
    assert [m.name for m in enterprise.municipalities.all()] == ["Sigtuna"]
    assert enterprise.image.name.endswith(".jpg")

    page.goto(site.url(f"/foretag/{enterprise.slug}/"))
    image = page.locator(f"img[src='{enterprise.image.url}']")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 80


def test_the_two_factor_setup_shows_its_qr_code(page, site):
    user = UserFactory(email="personal@example.org", is_staff=True)
    user.groups.add(ensure_roles()[ENTERPRISE_STAFF])

    log_in(page, site, user.email, code=False)
    page.goto(site.url("/admin/"))
    # Setting up the app asks for the password once more.
    page.wait_for_url(lambda url: "/reauthenticate/" in url)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button").click()
    page.wait_for_url(lambda url: "/totp/activate/" in url)
    qr = page.get_by_role("img", name="QR-kod", exact=False)
    assert qr.get_attribute("src").startswith("data:image/svg+xml")
    assert qr.evaluate("img => img.complete && img.naturalWidth") > 0


def test_the_report_page_and_its_styles_load(page, site):
    page.goto(site.url("/rapporter/2022/"))
    assert page.locator("link[href$='report.css']").count() == 1
    assert page.evaluate(
        "[...document.styleSheets].some(s => s.href && s.href.endsWith('report.css') "
        "&& s.cssRules.length > 0)"
    )
