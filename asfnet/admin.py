from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.forms import CheckboxSelectMultiple
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.forms import GuardedModelMultipleChoiceField
from enterprises.models import Enterprise
from placements.models import CaseOfficer

from .models import User
from .services import user_invite, user_two_factor_reset


class EnterpriseLinksMixin(forms.Form):
    """The enterprises a person is staff of (Enterprise.staff), chosen on the person's form.

    Not named "enterprises": the admin would take that for the reverse relation and fail to
    show it read-only.
    """

    # Declared here, so the admin's field hooks never see it: guarded by hand.
    staff_of = GuardedModelMultipleChoiceField(
        queryset=Enterprise.objects.all(),
        required=False,
        label=_("Personal på företagen"),
        help_text=_(
            "Företag vars sida, platser och placeringar personen får uppdatera. "
            "Ge personen också rollen Företagspersonal."
        ),
        widget=FilteredSelectMultiple(_("företag"), is_stacked=False),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["staff_of"].initial = self.instance.enterprises.all()

    def _save_m2m(self):
        super()._save_m2m()
        if "staff_of" in self.cleaned_data:
            self.instance.enterprises.set(self.cleaned_data["staff_of"])


class UserCreationForm(EnterpriseLinksMixin, auth_forms.AdminUserCreationForm):
    class Meta(auth_forms.AdminUserCreationForm.Meta):
        model = User
        fields = ["email"]


class UserChangeForm(EnterpriseLinksMixin, auth_forms.UserChangeForm):
    class Meta(auth_forms.UserChangeForm.Meta):
        model = User


class CaseOfficerInline(admin.StackedInline):
    model = CaseOfficer
    fields = ["organisation", "programme"]
    autocomplete_fields = ["organisation", "programme"]
    verbose_name = verbose_name_plural = _("handläggare för")
    extra = 0
    max_num = 1


class PermissionChoiceField(GuardedModelMultipleChoiceField):
    """Django names the permissions in English when it creates them ("Can add group"); on a
    role's form each reads in Swedish, from its action and its model's name."""

    ACTIONS = {
        "add": _("Kan lägga till"),
        "change": _("Kan ändra"),
        "delete": _("Kan ta bort"),
        "view": _("Kan se"),
    }

    def label_from_instance(self, permission) -> str:
        action, _sep, model_name = permission.codename.partition("_")
        model = permission.content_type.model_class()
        if action not in self.ACTIONS or model is None or model._meta.model_name != model_name:
            return str(permission)  # a permission of the project's own, named in Swedish
        opts = model._meta
        return (
            f"{opts.app_config.verbose_name} | {opts.verbose_name} | "
            f"{self.ACTIONS[action]} {opts.verbose_name}"
        )


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    """Django's, with the permissions named in Swedish."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "permissions":
            kwargs["form_class"] = PermissionChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ["email"]

    def get_deleted_objects(self, objs, request):
        # What allauth keeps of a person (addresses, authenticators) goes with the person;
        # its admin pages stay the superuser's, so its delete permission is not asked of the
        # coordinator.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        kept_by_allauth = {str(model._meta.verbose_name) for model in (EmailAddress, Authenticator)}
        return deleted, counts, perms_needed - kept_by_allauth, protected

    list_display = [
        "email",
        "first_name",
        "last_name",
        "roles",
        "is_staff",
        "is_active",
        "last_login",
    ]
    list_filter = ["groups", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    filter_horizontal = []
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name"]}),
        (
            _("Roll och behörighet"),
            {"fields": ["groups", "staff_of", "is_staff", "is_active", "is_superuser"]},
        ),
        (_("Viktiga datum"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "first_name", "last_name"]}),
        (
            _("Lösenord"),
            {
                "fields": ["usable_password", "password1", "password2"],
                "description": _(
                    "Enklast är att inte välja något lösenord här: spara personen och tryck "
                    "sedan på ”Skicka inbjudan”. Då får personen ett mejl med en länk där hen "
                    "väljer sitt eget lösenord."
                ),
            },
        ),
        (
            _("Roll och behörighet"),
            {
                "fields": ["groups", "staff_of", "is_staff"],
                "description": _(
                    "Samordnare och företagspersonal arbetar i administrationen: kryssa i "
                    "”Personalstatus” för dem. De lägger in en app för engångskoder första "
                    "gången de loggar in."
                ),
            },
        ),
    ]
    inlines = [CaseOfficerInline]
    actions = ["send_invitation", "reset_two_factor"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # Only a superuser makes a superuser: the coordinator manages roles, not the system.
        if not request.user.is_superuser:
            readonly.append("is_superuser")
        return readonly

    def has_change_permission(self, request, obj=None) -> bool:
        # Nor may anyone but a superuser change a superuser's email or password...
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # ...or delete a superuser.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        # Bulk deletion asks for permission without the rows; people are deleted one by one.
        if not request.user.is_superuser:
            actions.pop("delete_selected", None)
        return actions

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["widget"] = CheckboxSelectMultiple  # three roles: tick the right one
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _may_act_for(self, request, user: User) -> bool:
        # As with changing: only a superuser acts for a superuser.
        return user.is_active and (request.user.is_superuser or not user.is_superuser)

    @admin.action(
        description=_("Skicka inbjudan"),
        permissions=["change"],
        location=[ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM],
    )
    def send_invitation(self, request, queryset):
        """Mail each person a link to choose their password (see asfnet.services)."""
        invited = [user for user in queryset if self._may_act_for(request, user)]
        for user in invited:
            user_invite(user=user, invited_by=request.user, request=request)
        if invited:
            self.message_user(
                request,
                ngettext(
                    "En inbjudan skickades till %(emails)s.",
                    "Inbjudningar skickades till %(emails)s.",
                    len(invited),
                )
                % {"emails": ", ".join(user.email for user in invited)},
                messages.SUCCESS,
            )
        if skipped := len(queryset) - len(invited):
            self.message_user(
                request,
                ngettext(
                    "%(count)d person fick ingen inbjudan: kontot är avstängt eller tillhör "
                    "en superanvändare.",
                    "%(count)d personer fick ingen inbjudan: kontot är avstängt eller tillhör "
                    "en superanvändare.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    @admin.action(
        description=_("Återställ tvåstegsverifiering"),
        permissions=["change"],
        location=[ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM],
    )
    def reset_two_factor(self, request, queryset):
        """For a lost or changed phone: the person sets up the app again at the next login."""
        people = [user for user in queryset if self._may_act_for(request, user)]
        for user in people:
            user_two_factor_reset(user=user)
        self.message_user(
            request,
            ngettext(
                "Tvåstegsverifieringen återställdes för %(count)d person. Hen lägger in appen "
                "på nytt nästa gång hen loggar in.",
                "Tvåstegsverifieringen återställdes för %(count)d personer. De lägger in appen "
                "på nytt nästa gång de loggar in.",
                len(people),
            )
            % {"count": len(people)},
            messages.SUCCESS,
        )

    @admin.display(description=_("Personal på företagen"))
    def staff_of(self, user: User) -> str:
        # Shown instead of the form field when the page is read-only.
        return ", ".join(enterprise.name for enterprise in user.enterprises.all())

    @admin.display(description=_("roller"))
    def roles(self, user: User) -> str:
        return ", ".join(group.name for group in user.groups.all())
