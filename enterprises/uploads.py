"""Uploaded images: checked, re-encoded and stored under a random name; served inertly.

An upload is never stored as sent. Pillow must recognise it as a JPEG, PNG or WebP of sane
size; it is then decoded and encoded again from its pixels alone, which drops EXIF (camera,
GPS position), text chunks, ICC profiles and anything appended to the file (an HTML or script
"polyglot"), and stored as <random>.jpg/.png/.webp. SVG is refused: it may carry scripts.

`ImageUploadField` is the form field to use for every model ImageField (the admin does:
enterprises/admin.py); `serve_media` serves MEDIA_ROOT with a content type chosen from the
file's extension, never sniffed, and a download for anything that is not one of those images.

A replaced image is not public: `serve_media` serves to everyone only what an enterprise shows
now, and what only an older version in the change history names to those who work in the
admin. `delete_unused_images` (a daily job of the worker) deletes the files that no enterprise
and no kept version names any more.
"""

from __future__ import annotations

import io
import uuid
import warnings
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest
from django.utils._os import safe_join
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# 24 megapixels: a phone's photo fits; a small file that claims to be 30000 x 30000 pixels
# (a "decompression bomb", gigabytes once decoded) does not.
MAX_PIXELS = 24_000_000
# Stored images are no larger than a page shows them (about 1200 px), with room for sharp screens.
MAX_SIDE = 2400

# Pillow format -> (extension, content type) of what is stored.
FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
ACCEPT = ",".join(content_type for _, content_type in FORMATS.values())
# What serve_media shows in the browser; everything else is a download.
SAFE_MEDIA_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}

ERRORS = {
    "too_large": _("Bilden är för stor. Den får vara högst 5 MB."),
    "svg": _("SVG-bilder går inte att ladda upp. Spara bilden som JPEG, PNG eller WebP."),
    "not_an_image": _(
        "Filen är ingen bild som går att läsa. Ladda upp en bild i formatet JPEG, PNG eller WebP."
    ),
    "too_many_pixels": _(
        "Bilden har för många bildpunkter (högst 24 megapixel). Gör den mindre och försök igen."
    ),
}


def _error(code: str) -> ValidationError:
    return ValidationError(ERRORS[code], code=code)


def clean_image_upload(upload: UploadedFile) -> ContentFile:
    """The upload as a fresh JPEG, PNG or WebP under a random name, or a ValidationError."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise _error("too_large")
    upload.seek(0)
    head = upload.read(1024).lstrip().lower()
    upload.seek(0)
    name = (upload.name or "").lower()
    if name.endswith((".svg", ".svgz")) or head.startswith(b"<?xml") or b"<svg" in head:
        raise _error("svg")
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _error("too_large")

    try:
        with warnings.catch_warnings():
            # Pillow only warns between 89 and 179 megapixels; here that is an error too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise _error("not_an_image")
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise _error("too_many_pixels")
            image.verify()  # structure and checksums, before decoding anything
            image = Image.open(io.BytesIO(data))
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a reduced size
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _error("too_many_pixels") from None
    except Exception:  # noqa: BLE001 - whatever Pillow cannot read is not an image
        raise _error("not_an_image") from None

    format_ = image.format
    image = ImageOps.exif_transpose(image)  # turn as the camera meant, before EXIF goes
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    # JPEG has no transparency; PNG and WebP keep theirs. Palettes, CMYK, 16 bits: to 8-bit RGB(A).
    keep_alpha = format_ != "JPEG" and image.has_transparency_data
    image = image.convert("RGBA" if keep_alpha else "RGB")
    # Only the pixels: no .info (EXIF, XMP, ICC, text chunks) survives into the new file.
    pixels = Image.frombytes(image.mode, image.size, image.tobytes())

    output = io.BytesIO()
    if format_ == "JPEG":
        pixels.save(output, "JPEG", quality=85, optimize=True)
    elif format_ == "PNG":
        pixels.save(output, "PNG", optimize=True)
    else:
        pixels.save(output, "WEBP", quality=85)
    extension, _content_type = FORMATS[format_]
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")


class ImageUploadField(forms.ImageField):
    """A form field for images: `clean_image_upload` instead of Django's own check."""

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        return clean_image_upload(upload)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if "accept" not in widget.attrs:
            attrs["accept"] = ACCEPT
        return attrs


def serve_media(request: HttpRequest, path: str) -> FileResponse:
    """An uploaded file from MEDIA_ROOT, never interpreted by the browser.

    The content type comes from the extension (only the image types above are shown inline;
    the rest is a download), `nosniff` stops the browser from guessing another, and a sandbox
    policy keeps even a file opened directly from running anything.
    """
    try:
        full_path = Path(safe_join(settings.MEDIA_ROOT, path))
    except (SuspiciousFileOperation, ValueError):
        raise Http404 from None
    if not full_path.is_file() or not _may_see(request, path):
        raise Http404
    content_type = SAFE_MEDIA_TYPES.get(full_path.suffix.lower())
    response = FileResponse(
        full_path.open("rb"),
        content_type=content_type or "application/octet-stream",
        as_attachment=content_type is None,
        filename=full_path.name,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


# --- Which files are in use -------------------------------------------------------------------


def _may_see(request: HttpRequest, name: str) -> bool:
    from .models import Enterprise

    if Enterprise.objects.filter(image=name).exists():
        return True
    # Only an older version names it: for the admin's change history, not for the public.
    return request.user.is_staff and Enterprise.history.filter(image=name).exists()


def delete_unused_images() -> int:
    """Delete uploaded images that no enterprise and no kept version names; return how many.

    Files younger than an hour are left alone: an upload whose form is still being saved.
    """
    import time

    from .models import Enterprise

    folder = Path(settings.MEDIA_ROOT) / "enterprises"
    if not folder.is_dir():
        return 0
    named = set(Enterprise.objects.exclude(image="").values_list("image", flat=True))
    named |= set(Enterprise.history.exclude(image="").values_list("image", flat=True))
    deleted = 0
    for file in folder.iterdir():
        name = f"enterprises/{file.name}"
        if file.is_file() and name not in named and file.stat().st_mtime < time.time() - 3600:
            file.unlink()
            deleted += 1
    return deleted
