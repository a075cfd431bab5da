"""Small helpers for the admin tests."""

from __future__ import annotations

from django.urls import reverse


def admin_url(model_or_obj, view: str = "changelist", *args) -> str:
    """/admin/<app>/<model>/... for a model (changelist, add) or an object (change, delete)."""
    opts = model_or_obj._meta
    if view in {"change", "delete", "history"} and not args:
        args = (model_or_obj.pk,)
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def management_form(prefix: str, total: int = 0, initial: int = 0) -> dict[str, str]:
    """The hidden fields an inline formset posts with its rows."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
