"""The account pages in the site's look: /konto/email/ says in words what state each address is
in and offers only what can be done with it; the confirmation link's page names the address."""

from __future__ import annotations

import re

import pytest
from allauth.account.forms import AddEmailForm
from allauth.account.models import EmailAddress
from django.template.loader import render_to_string
from django.urls import reverse

from tests import factories


@pytest.fixture
def officer(db):
    return factories.UserFactory(email="anna@example.org")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def address_items(html: str) -> dict[str, str]:
    """Each address on the page with the text of its list item, tags and spaces squeezed."""
    items = re.findall(r'<li class="address-list__item">(.*?)</li>', html, re.S)
    result = {}
    for item in items:
        email = re.search(r'<p class="address-list__email">(.*?)</p>', item).group(1)
        result[email] = " ".join(re.sub(r"<[^>]+>", "", item).split())
    return result


def test_the_login_address_is_shown_as_confirmed_and_cannot_be_removed(officer_client):
    response = officer_client.get(reverse("account_email"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Din e-postadress</h1>" in html
    assert address_items(html) == {
        "anna@example.org": "anna@example.org Bekräftad Du loggar in med den här adressen."
    }
    assert 'name="action_remove"' not in html
    assert '<label class="label" for="id_email">Ny e-postadress</label>' in html


def test_a_new_address_waits_unconfirmed_beside_the_old_one(officer_client, mailoutbox):
    officer_client.post(
        reverse("account_email"), {"action_add": "", "email": "anna.ny@example.org"}
    )

    html = officer_client.get(reverse("account_email")).content.decode()

    items = address_items(html)
    # The address one logs in with comes first, whatever the alphabet says.
    assert list(items) == ["anna@example.org", "anna.ny@example.org"]
    assert items["anna@example.org"].startswith("anna@example.org Bekräftad Du loggar in")
    assert items["anna.ny@example.org"].startswith(
        "anna.ny@example.org Inte bekräftad Vi har skickat en länk till adressen. "
        "När du klickar på länken ersätter adressen den du loggar in med nu."
    )
    assert "Skicka länken igen (anna.ny@example.org)" in items["anna.ny@example.org"]
    assert "Avbryt bytet (anna.ny@example.org)" in items["anna.ny@example.org"]


def test_cancelling_the_change_removes_only_the_new_address(officer_client, officer):
    officer_client.post(
        reverse("account_email"), {"action_add": "", "email": "anna.ny@example.org"}
    )

    response = officer_client.post(
        reverse("account_email"), {"action_remove": "", "email": "anna.ny@example.org"}
    )

    assert response.status_code == 302
    assert list(EmailAddress.objects.filter(user=officer).values_list("email", flat=True)) == [
        "anna@example.org"
    ]


def test_an_invalid_address_is_named_in_the_error_summary_and_at_the_field(officer_client):
    response = officer_client.post(
        reverse("account_email"), {"action_add": "", "email": "inte-en-adress"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Fel: Din e-postadress" in html
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    assert 'href="#id_email"' in summary
    assert 'aria-invalid="true"' in html
    assert 'id="id_email_error"' in html


def test_the_confirmation_link_names_the_address_and_asks_for_one_click(officer_client, mailoutbox):
    officer_client.post(
        reverse("account_email"), {"action_add": "", "email": "anna.ny@example.org"}
    )
    (mail,) = [m for m in mailoutbox if "anna.ny@example.org" in m.to]
    path = re.search(r"/konto/confirm-email/[^\s]+/", mail.body).group(0)

    html = officer_client.get(path).content.decode()

    assert "<h1>Bekräfta e-postadressen</h1>" in html
    assert "Bekräfta att <strong>anna.ny@example.org</strong> är din adress." in html
    assert 'class="account-page"' in html


def test_an_old_confirmation_link_says_so_and_leads_back(officer_client):
    html = officer_client.get("/konto/confirm-email/inte-en-nyckel/").content.decode()

    assert "Länken har slutat gälla eller är fel." in html
    assert f'href="{reverse("account_email")}"' in html


def test_allauths_own_pages_get_the_sites_labels_tags_and_buttons(rf, officer):
    """allauth's pages without a template of ours (here its list of several addresses) are put
    together from the element templates in templates/allauth/elements/."""
    new = EmailAddress.objects.create(user=officer, email="anna.ny@example.org", verified=False)
    current = EmailAddress.objects.get(user=officer, email="anna@example.org")
    request = rf.get(reverse("account_email"))
    request.user = officer
    radios = [
        {"id": f"email_radio_{i}", "checked": address.primary, "emailaddress": address}
        for i, address in enumerate([current, new])
    ]

    html = render_to_string(
        "account/email.html",
        {
            "emailaddresses": [current, new],
            "emailaddress_radios": radios,
            "form": AddEmailForm(user=officer),
            "can_add_email": True,
        },
        request=request,
    )

    assert '<body class="account-page">' in html
    assert '<header class="site-header">' in html
    assert (
        '<input checked name="email" id="email_radio_0" value="anna@example.org" type="radio">'
        in (" ".join(html.split()))
    )
    assert '<label class="checkbox__label" for="email_radio_1">' in html
    assert re.search(r'<strong class="tag status--accepted">\s*\S', html)
    assert re.search(r'<strong class="tag tag--warning">\s*\S', html)
    assert re.search(r'<button class="button button--warning"[^>]*name="action_remove"', html)
    assert '<label class="label" for="id_email">' in html
