"""Encrypt the authenticator keys and recovery-code seeds stored before they were encrypted.

The data of allauth's Authenticator rows: a TOTP row's "secret", a recovery-codes row's
"seed" and its "migrated_codes". Running it again changes nothing; backwards decrypts.
"""

from django.db import migrations

from asfnet import secrets_at_rest


def _convert(apps, convert):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.iterator():
        data = dict(authenticator.data)
        for field in ("secret", "seed"):
            if isinstance(data.get(field), str):
                data[field] = convert(data[field])
        if isinstance(data.get("migrated_codes"), list):
            data["migrated_codes"] = [convert(code) for code in data["migrated_codes"]]
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def encrypt(apps, schema_editor):
    _convert(
        apps,
        lambda value: value
        if secrets_at_rest.is_encrypted(value)
        else secrets_at_rest.encrypt(value),
    )


def decrypt(apps, schema_editor):
    _convert(apps, secrets_at_rest.decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("asfnet", "0002_confirmed_login_addresses"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt)]
