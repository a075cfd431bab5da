"""Uploaded images: checked, re-encoded without metadata, stored under a random name and
served without ever running."""

from __future__ import annotations

import io
import os
import re
import struct
import time
import zlib

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from PIL import Image, PngImagePlugin

from enterprises.models import Enterprise
from enterprises.uploads import ImageUploadField, clean_image_upload, delete_unused_images
from tests import factories
from tests.admin.helpers import admin_url, change_form_data

RANDOM_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png|webp)$")
GPS_IFD = 0x8825


def photo(fmt: str = "JPEG", size=(64, 48), *, exif: bool = True, orientation: int = 1) -> bytes:
    """A real image as a camera would write it: EXIF with the make and a GPS position."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((20, 20, 200), (0, 0, size[0] // 2, size[1]))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "SpyCam"  # Make
        data[0x0112] = orientation
        data.get_ifd(GPS_IFD)[2] = (59.0, 19.0, 30.0)  # GPSLatitude
        image.save(out, fmt, exif=data)
    else:
        image.save(out, fmt)
    return out.getvalue()


def upload(content: bytes, name: str = "bild.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def error_of(content: bytes, name: str) -> str:
    with pytest.raises(ValidationError) as caught:
        clean_image_upload(upload(content, name))
    return caught.value.messages[0]


def opened(cleaned) -> Image.Image:
    return Image.open(io.BytesIO(cleaned.read()))


# --- Checked and re-encoded -------------------------------------------------------------------


def test_a_photo_is_stored_without_its_exif_under_a_random_name():
    original = photo()
    assert b"SpyCam" in original

    cleaned = clean_image_upload(upload(original, "semester i Sigtuna.jpg"))
    content = cleaned.read()
    image = Image.open(io.BytesIO(content))

    assert RANDOM_NAME.match(cleaned.name)
    assert "Sigtuna" not in cleaned.name
    assert image.format == "JPEG"
    assert image.size == (64, 48)
    assert "exif" not in image.info
    assert dict(image.getexif()) == {}
    assert b"SpyCam" not in content
    # The pixels are still the picture: blue on the left, red on the right.
    left, right = image.getpixel((5, 24)), image.getpixel((60, 24))
    assert left[2] > 150 > left[0] and right[0] > 150 > right[2]


def test_two_uploads_of_the_same_file_get_different_names():
    content = photo()
    first = clean_image_upload(upload(content))
    second = clean_image_upload(upload(content))
    assert first.name != second.name


def test_a_photo_taken_sideways_is_turned_before_its_exif_goes():
    cleaned = clean_image_upload(upload(photo(size=(64, 48), orientation=6)))
    assert opened(cleaned).size == (48, 64)


def test_png_text_chunks_go_and_transparency_stays():
    image = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    image.paste((10, 200, 10, 255), (0, 0, 10, 20))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Anna Andersson 19800101-1234")
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    assert b"Anna Andersson" in out.getvalue()

    cleaned = clean_image_upload(upload(out.getvalue(), "logga.png", "image/png"))
    content = cleaned.read()
    result = Image.open(io.BytesIO(content))

    assert cleaned.name.endswith(".png")
    assert b"Anna Andersson" not in content
    assert result.mode == "RGBA"
    assert result.getpixel((15, 10))[3] == 0
    assert result.getpixel((5, 10)) == (10, 200, 10, 255)


def test_webp_stays_webp_without_exif():
    cleaned = clean_image_upload(upload(photo("WEBP"), "bild.webp", "image/webp"))
    content = cleaned.read()
    assert cleaned.name.endswith(".webp")
    assert Image.open(io.BytesIO(content)).format == "WEBP"
    assert b"SpyCam" not in content


def test_a_large_photo_is_scaled_down_to_what_a_page_shows():
    cleaned = clean_image_upload(upload(photo(size=(4000, 3000), exif=False)))
    assert opened(cleaned).size == (2400, 1800)


def test_a_polyglot_png_loses_what_was_hidden_after_the_image():
    # A valid PNG with an HTML page appended: browsers that sniff could run it as HTML.
    hidden = b"<html><script>alert(document.cookie)</script></html>"
    cleaned = clean_image_upload(upload(photo("PNG", exif=False) + hidden, "bild.png"))
    content = cleaned.read()
    assert b"<script" not in content
    assert Image.open(io.BytesIO(content)).format == "PNG"


# --- Refused, with a clear error ------------------------------------------------------------


def test_an_html_file_renamed_png_is_refused():
    html = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
    assert error_of(html, "bild.png") == (
        "Filen är ingen bild som går att läsa. Ladda upp en bild i formatet JPEG, PNG eller WebP."
    )


def test_svg_is_refused_even_under_another_name():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    expected = "SVG-bilder går inte att ladda upp. Spara bilden som JPEG, PNG eller WebP."
    assert error_of(svg, "logga.svg") == expected
    assert error_of(b'<?xml version="1.0"?>\n' + svg, "logga.png") == expected


def test_a_file_over_5_mb_is_refused():
    noise = Image.frombytes("RGB", (1400, 1400), bytes(range(256)) * (1400 * 1400 * 3 // 256 + 1))
    out = io.BytesIO()
    noise.effect_spread(50).save(out, "PNG", compress_level=0)
    assert out.tell() > 5 * 1024 * 1024
    assert error_of(out.getvalue(), "stor.png") == "Bilden är för stor. Den får vara högst 5 MB."


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims huge dimensions: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width // 8 + 1) * 16, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("size", [(30_000, 30_000), (6_000, 5_000), (100_000, 100_000)])
def test_an_image_with_too_many_pixels_is_refused_before_it_is_decoded(size):
    content = png_claiming(*size)
    assert len(content) < 50_000
    assert error_of(content, "bomb.png") == (
        "Bilden har för många bildpunkter (högst 24 megapixel). Gör den mindre och försök igen."
    )


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (photo()[:300], "trasig.jpg"),  # cut off
        (b"", "tom.jpg"),
        (b"GIF89a" + b"\x00" * 40, "bild.gif"),
        (b"\x00\x01\x02 not an image", "bild.jpg"),
    ],
)
def test_broken_or_other_files_are_refused(content, name):
    with pytest.raises(ValidationError):
        clean_image_upload(upload(content, name))


def test_a_gif_is_not_one_of_the_formats():
    image = Image.new("P", (10, 10))
    out = io.BytesIO()
    image.save(out, "GIF")
    assert error_of(out.getvalue(), "bild.gif").startswith("Filen är ingen bild som går att läsa.")


# --- In the admin -----------------------------------------------------------------------------


def test_every_image_or_file_field_in_the_admin_uses_the_checked_upload(rf, coordinator):
    request = rf.get("/admin/")
    request.user = coordinator
    found = []
    for model in apps.get_models():
        file_fields = [f for f in model._meta.fields if isinstance(f, models.FileField)]
        if not file_fields or model not in admin.site._registry:
            continue
        form = admin.site._registry[model].get_form(request)()
        for field in file_fields:
            found.append(field)
            assert isinstance(form.fields[field.name], ImageUploadField), field
    assert Enterprise._meta.get_field("image") in found


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def post_image(client, enterprise, content: bytes, name: str):
    url = admin_url(enterprise, "change")
    data = change_form_data(client.get(url))
    data["image"] = SimpleUploadedFile(name, content)
    return client.post(url, data)


def test_the_coordinator_uploads_a_photo_and_it_is_stored_clean(coordinator_client, media_root):
    enterprise = factories.EnterpriseFactory(published=True)

    response = post_image(coordinator_client, enterprise, photo(), "IMG_0001.JPG")

    assert response.status_code == 302, response.context["errors"]
    enterprise.refresh_from_db()
    stored = media_root / enterprise.image.name
    assert enterprise.image.name.startswith("enterprises/")
    assert RANDOM_NAME.match(stored.name)
    assert stored.is_file()
    assert b"SpyCam" not in stored.read_bytes()
    assert dict(Image.open(stored).getexif()) == {}

    served = coordinator_client.get(enterprise.image.url)
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served.headers["Content-Security-Policy"]
    assert b"".join(served.streaming_content) == stored.read_bytes()


def test_a_bad_upload_shows_a_swedish_error_and_keeps_the_old_image(coordinator_client, media_root):
    enterprise = factories.EnterpriseFactory(image="enterprises/old.jpg")
    html = b"<html><script>alert(1)</script></html>"

    response = post_image(coordinator_client, enterprise, html, "bild.png")

    assert response.status_code == 200
    assert "Filen är ingen bild som går att läsa." in response.text
    enterprise.refresh_from_db()
    assert enterprise.image.name == "enterprises/old.jpg"
    assert not (media_root / "enterprises").exists() or not any(
        (media_root / "enterprises").iterdir()
    )


# --- Served without executing -----------------------------------------------------------------


def test_media_other_than_images_is_a_download_never_a_page(client, db, media_root):
    factories.EnterpriseFactory(image="enterprises/sida.html")
    factories.EnterpriseFactory(image="enterprises/bild.png")
    (media_root / "enterprises").mkdir(parents=True)
    (media_root / "enterprises" / "sida.html").write_bytes(b"<script>alert(1)</script>")
    (media_root / "enterprises" / "bild.png").write_bytes(photo("PNG", exif=False))

    page = client.get("/media/enterprises/sida.html")
    image = client.get("/media/enterprises/bild.png")

    assert page.status_code == 200
    assert page.headers["Content-Type"] == "application/octet-stream"
    assert page.headers["Content-Disposition"].startswith("attachment")
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert image.headers["Content-Type"] == "image/png"
    assert image.headers["Content-Disposition"].startswith("inline")


@pytest.mark.parametrize(
    "path", ["/media/../asfnet/settings.py", "/media/%2e%2e/asfnet/settings.py", "/media/nej.png"]
)
def test_media_outside_media_root_or_missing_is_not_found(client, db, media_root, path):
    media_root.mkdir(parents=True, exist_ok=True)
    assert client.get(path).status_code == 404


# --- Replaced images ----------------------------------------------------------------------------


def test_a_replaced_image_is_no_longer_public_and_goes_when_no_version_names_it(
    coordinator_client, media_root
):
    visitor = Client()
    enterprise = factories.EnterpriseFactory(published=True)
    post_image(coordinator_client, enterprise, photo(), "forsta.jpg")
    enterprise.refresh_from_db()
    first = enterprise.image.name
    post_image(coordinator_client, enterprise, photo("PNG", exif=False), "andra.png")
    enterprise.refresh_from_db()
    second = enterprise.image.name
    assert first != second

    assert visitor.get(f"/media/{second}").status_code == 200
    assert visitor.get(f"/media/{first}").status_code == 404, "the replaced image is not public"
    assert coordinator_client.get(f"/media/{first}").status_code == 200, "the history shows it"

    orphan = media_root / "enterprises" / "bortglomd.jpg"
    orphan.write_bytes(photo())
    old = time.time() - 7200
    for name in (first, second, "enterprises/bortglomd.jpg"):
        os.utime(media_root / name, (old, old))
    assert delete_unused_images() == 1, "only the file nothing names"
    assert not orphan.exists()
    assert (media_root / first).exists(), "an older version in the history still names it"

    enterprise.history.filter(image=first).delete()  # the history is cleaned
    assert delete_unused_images() == 1
    assert not (media_root / first).exists()
    assert (media_root / second).exists()
