"""Form fields that answer tampered input with a form error instead of a server error."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connections
from django.forms import ModelMultipleChoiceField


class GuardedModelMultipleChoiceField(ModelMultipleChoiceField):
    """A number too large for the key column is an invalid value, not a query SQLite cannot
    run ("Python int too large to convert to SQLite INTEGER").
    """

    def clean(self, value):
        opts = self.queryset.model._meta
        key = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        connection = connections[self.queryset.db]
        for pk in value if isinstance(value, list | tuple) else []:
            if out_of_range(key, pk, connection):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


def out_of_range(field, value, connection) -> bool:
    """Whether the value is a whole number that the integer column cannot hold."""
    internal_type = field.get_internal_type()
    if internal_type not in connection.ops.integer_field_ranges:
        return False
    try:
        number = int(field.to_python(value))
    except (ValidationError, TypeError, ValueError):
        return False
    low, high = connection.ops.integer_field_range(internal_type)
    return (low is not None and number < low) or (high is not None and number > high)
