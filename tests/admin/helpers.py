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


def change_form_data(response) -> dict:
    """What the browser would post back from an admin form page, unchanged.

    Read from the page's context: the main form's editable fields (read-only ones are not in
    the form) and every inline formset with its management form.
    """
    data = _form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    return data


def _form_data(form) -> dict:
    from django.db.models.fields.files import FieldFile
    from django.forms import CheckboxInput

    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(bound.field.widget, CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(getattr(item, "pk", item)) for item in value]
        elif value is not None and value != "" and not isinstance(value, FieldFile):
            data[bound.html_name] = str(getattr(value, "pk", value))
    return data
