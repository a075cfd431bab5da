"""Spam protection without a third-party service: a honeypot field and a rate limit."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.urls import reverse

from enterprises import services
from enterprises.models import Inquiry

RATE_LIMITED = "Vi har fått många meddelanden från din uppkoppling den senaste timmen."


# --- The honeypot -----------------------------------------------------------------------------


def test_the_honeypot_is_labelled_for_people_and_kept_out_of_their_way(client, network):
    response = client.get(reverse("enterprises:contact"))

    assert '<label for="id_website">Lämna det här fältet tomt</label>' in response.text
    assert (
        '<input type="text" name="website" autocomplete="off" tabindex="-1" id="id_website">'
        in response.text
    )
    # Hidden from sight by the site's stylesheet; screen readers read the label.
    assert '<div class="visually-hidden">\n      <label for="id_website">' in response.text


def test_a_filled_honeypot_gets_the_same_receipt_but_nothing_is_stored_or_mailed(
    post_contact, network, mailoutbox
):
    response = post_contact(website="https://spam.example", follow=True)

    assert response.redirect_chain == [(reverse("enterprises:contact_done"), 302)]
    assert "Tack! Vi har tagit emot ditt meddelande." in response.text
    assert not Inquiry.objects.exists()
    assert mailoutbox == []


def test_a_filled_honeypot_gets_the_receipt_even_when_the_rest_is_nonsense(post_contact, network):
    response = post_contact(website="x", name="", email="", message="")

    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises:contact_done")
    assert not Inquiry.objects.exists()


# --- The rate limit ----------------------------------------------------------------------------


def send(post_contact, times: int, ip: str) -> list[int]:
    return [post_contact(ip=ip).status_code for _ in range(times)]


def test_the_sixth_message_within_the_hour_from_one_address_is_refused(
    post_contact, network, mailoutbox
):
    assert send(post_contact, 5, "198.51.100.7") == [302] * 5
    mailoutbox.clear()

    response = post_contact(ip="198.51.100.7", name="Sjätte Gången")

    assert response.status_code == 429
    assert RATE_LIMITED in response.text
    assert "ring oss på 08-465 004 17" in response.text
    assert '<div class="error-summary" role="alert"' in response.text
    assert 'value="Sjätte Gången"' in response.text  # what was typed is kept
    assert Inquiry.objects.count() == 5
    assert not Inquiry.objects.filter(name="Sjätte Gången").exists()
    assert mailoutbox == []


def test_another_address_is_not_affected_by_the_limit(post_contact, network):
    send(post_contact, 6, "198.51.100.7")

    assert post_contact(ip="198.51.100.8").status_code == 302
    assert Inquiry.objects.count() == 6


def test_addresses_in_one_ipv6_network_share_the_limit(post_contact, network):
    statuses = [post_contact(ip=f"2001:db8:1:2::{host}").status_code for host in range(1, 7)]

    assert statuses == [302] * 5 + [429]
    assert post_contact(ip="2001:db8:1:3::1").status_code == 302


def test_an_ipv4_address_written_as_ipv6_is_the_same_address(post_contact, network):
    send(post_contact, 5, "192.0.2.1")

    assert post_contact(ip="::ffff:192.0.2.1").status_code == 429


def test_forms_with_mistakes_do_not_count_against_the_limit(post_contact, network):
    for _ in range(6):
        assert post_contact(ip="198.51.100.9", name="").status_code == 400

    assert post_contact(ip="198.51.100.9").status_code == 302


def test_the_limit_lifts_when_the_hour_has_passed(post_contact, network, monkeypatch):
    send(post_contact, 5, "198.51.100.7")
    assert post_contact(ip="198.51.100.7").status_code == 429

    # The local-memory cache of the tests reads the clock through time.time().
    an_hour_later = time.time() + services.INQUIRY_RATE_WINDOW + 1
    monkeypatch.setattr(time, "time", lambda: an_hour_later)

    assert post_contact(ip="198.51.100.7").status_code == 302


def test_a_cache_that_does_not_answer_lets_messages_through(post_contact, network, monkeypatch):
    def cache_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "add", cache_down)

    assert send(post_contact, 6, "198.51.100.7") == [302] * 6
    assert Inquiry.objects.count() == 6
