"""The admin's shared base classes: who sees which enterprises, and the change history.

Every app's admin builds on these; they name no app's models.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Sequence

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path, unquote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from .forms import GuardedModelMultipleChoiceField, out_of_range
from .roles import is_coordinator

# --- Who sees which enterprises -------------------------------------------------------------


def sees_every_enterprise(user) -> bool:
    """The coordinator (or a superuser) manages the whole network.

    Anyone else in the admin, enterprise staff, sees only the enterprises they are staff of
    (Enterprise.staff) and what hangs on them.
    """
    return is_coordinator(user)


class EnterpriseScopedAdmin:
    """Limits a ModelAdmin or inline to the request user's enterprises, unless they see all.

    The rows of the list, the objects reachable by URL (Django's change, delete and history
    views fetch through get_queryset, so another enterprise's object is "not found"), the
    choices of every drop-down that points at a scoped model and the answers of the
    autocomplete view (which asks the target model's admin for its queryset) all go through
    `scope`.

    enterprise_lookup: the path from the model to its Enterprise; "" for Enterprise itself.
    coordinator_fields: fields only the coordinator may change; read-only for everyone else.
    The enterprise is found by following the path, and its staff by its `staff` field, so
    this layer needs no import of the enterprises app.
    """

    enterprise_lookup = "enterprise"
    coordinator_fields: Sequence[str] = ()

    def _enterprise_model(self) -> type[models.Model]:
        if not self.enterprise_lookup:
            return self.model
        return get_fields_from_path(self.model, self.enterprise_lookup)[-1].related_model

    def scope(self, request, queryset: QuerySet) -> QuerySet:
        if sees_every_enterprise(request.user):
            return queryset
        staffed = self._enterprise_model()._default_manager.filter(staff=request.user).values("pk")
        # A subquery, not a join: counts annotated on the queryset stay right.
        lookup = f"{self.enterprise_lookup}__in" if self.enterprise_lookup else "pk__in"
        return queryset.filter(**{lookup: staffed})

    def get_queryset(self, request):
        return self.scope(request, super().get_queryset(request))

    def _scoped_choices(self, request, db_field) -> QuerySet | None:
        target = self.admin_site._registry.get(db_field.related_model)
        if isinstance(target, EnterpriseScopedAdmin):
            return target.scope(request, db_field.related_model._default_manager.all())
        return None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs and not sees_every_enterprise(request.user):
            choices = self._scoped_choices(request, db_field)
            if choices is not None:
                kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs and not sees_every_enterprise(request.user):
            choices = self._scoped_choices(request, db_field)
            if choices is not None:
                kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_autocomplete_fields(self, request):
        # The autocomplete view answers only those who may view the target model in the
        # admin; for the others the field is a plain drop-down with the scoped choices.
        return [
            name
            for name in super().get_autocomplete_fields(request)
            if self._may_search(request, self.model._meta.get_field(name).related_model)
        ]

    def _may_search(self, request, model) -> bool:
        target = self.admin_site._registry.get(model)
        return target is not None and target.has_view_permission(request)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not sees_every_enterprise(request.user):
            readonly += [name for name in self.coordinator_fields if name not in readonly]
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        # A read-only field cannot be filled in from another one (and the admin would fail).
        readonly = set(self.get_readonly_fields(request, obj))
        return {
            name: sources
            for name, sources in super().get_prepopulated_fields(request, obj).items()
            if name not in readonly
        }


class ReadableChanges(HistoricalRecordContextHelper):
    """A change in the history as a person reads it: "Arbete", not "work"; "–", not None."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if value is None or value == "":
            return "–"
        if isinstance(value, bool):
            return _("Ja") if value else _("Nej")
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return value


class ScopedHistoryAdmin(SimpleHistoryAdmin):
    """The change history (django-simple-history): who changed what and when.

    The coordinator sees the history of every object, also of deleted ones. Anyone else sees
    the history of the objects they may see (get_queryset: for enterprise staff, their own
    enterprises'); another enterprise's object is "not found", as on its change page, and
    its history is never read. Looking at one old version is for the coordinator only, and
    nobody reverts from the history: changes go through the change form and its checks.
    """

    object_history_template = "admin/privacy/object_history.html"
    object_history_list_template = "admin/privacy/object_history_list.html"

    def _valid_pk(self, model, value) -> bool:
        try:
            model._meta.pk.to_python(value)
        except (ValidationError, ValueError, TypeError):
            return False
        return True

    def history_view(self, request, object_id, extra_context=None):
        found = self.get_object(request, unquote(object_id)) is not None
        if not found and (
            not sees_every_enterprise(request.user) or not self._valid_pk(self.model, object_id)
        ):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        context = {
            "may_view_versions": sees_every_enterprise(request.user),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(self.model, historical_record)

    def history_view_title(self, request, obj):
        return _("Historik för %(object)s") % {"object": obj}

    def history_form_view_title(self, request, obj):
        return _("Tidigare version av %(object)s") % {"object": obj}

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET" or not sees_every_enterprise(request.user):
            raise PermissionDenied
        history_model = self.model.history.model
        if not (
            self._valid_pk(self.model, unquote(object_id))
            and self._valid_pk(history_model, version_id)
        ):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        request.showing_old_version = True  # get_readonly_fields: every field, as text
        # With every field as text nothing fills in another (a slug from the name); simple-history
        # reads the attribute, so this request gets a copy of the admin without it.
        shown = copy.copy(self)
        shown.prepopulated_fields = {}
        return super(ScopedHistoryAdmin, shown).history_form_view(
            request, unquote(object_id), version_id, extra_context
        )

    def get_readonly_fields(self, request, obj=None):
        """On an old version's page every field is text: it can only be read, not reverted."""
        readonly = list(super().get_readonly_fields(request, obj))
        if getattr(request, "showing_old_version", False):
            opts = self.model._meta
            readonly += [
                field.name
                for field in [*opts.concrete_fields, *opts.many_to_many]
                if field.editable and field.name not in readonly
            ]
        return readonly

    def revert_disabled(self, request, obj=None):
        return True


# --- Tampered input: an ordinary answer, not a server error ---------------------------------
#
# Three server errors of Django's admin, found by tests/fuzz, each closed by a subclass that
# every admin and inline on the site uses. NetworkAdminSite.register mixes GuardedInputAdmin
# into whatever it registers, rather than each admin inheriting it: so the admins of allauth
# and django.contrib.auth are covered too, and a new admin cannot forget it. A field declared
# on an admin's form class bypasses formfield_for_*: declare it with the guarded class.


class GuardedChangeList:
    """A list's date parameters out of the calendar are a wrong filter (the "?e=1" page).

    ?started_on__year=9999 (the year after does not exist) or a month of twenty digits raise
    ValueError or OverflowError while Django's ChangeList computes the date range.
    """

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


class GuardedAutocomplete:
    """An autocomplete field re-rendered with a value that is no key of its model (" ", or
    2**70 for an integer id) leaves the value out, instead of failing its lookup; the form
    shows its "Välj ett giltigt alternativ" error at the field.
    """

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        opts = remote.model._meta
        key = opts.get_field(getattr(remote, "field_name", opts.pk.attname))
        connection = connections[self.db or DEFAULT_DB_ALIAS]
        return super().optgroups(name, [v for v in value if _is_key(key, v, connection)], attr)


class GuardedAutocompleteSelect(GuardedAutocomplete, AutocompleteSelect):
    pass


class GuardedAutocompleteSelectMultiple(GuardedAutocomplete, AutocompleteSelectMultiple):
    pass


class GuardedInputInline:
    """Form fields of an admin or inline that answer tampered input with a form error."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = GuardedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = GuardedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", GuardedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class GuardedInputAdmin(GuardedInputInline):
    """A ModelAdmin whose list, form fields and inlines answer tampered input without a
    server error. NetworkAdminSite.register mixes it into every admin it registers.
    """

    def get_changelist(self, request, **kwargs):
        return guarded(super().get_changelist(request, **kwargs), GuardedChangeList)

    def get_inlines(self, request, obj):
        return [guarded(inline, GuardedInputInline) for inline in super().get_inlines(request, obj)]


@functools.cache
def guarded(cls: type, guard: type) -> type:
    """`cls` with `guard` mixed in before it; `cls` itself if it has it already.

    The subclass keeps the name and module of `cls`, so messages and checks read as before.
    """
    if issubclass(cls, guard):
        return cls
    namespace = {"__module__": cls.__module__, "__qualname__": cls.__qualname__}
    return type(cls.__name__, (guard, cls), {**namespace, "__doc__": cls.__doc__})


def _is_key(field, value, connection) -> bool:
    """Whether the value can be a value of the key column: "12" can, " " and 2**70 cannot."""
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return not out_of_range(field, value, connection)
