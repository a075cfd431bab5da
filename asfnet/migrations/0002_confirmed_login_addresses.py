"""Every login name becomes its account's verified primary address (asfnet/email_addresses.py).

Addresses added on /konto/email/ and never confirmed lose their power: they stay unverified
and no longer primary, so they neither log in nor receive password resets.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    User = apps.get_model("asfnet", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    for user in User.objects.exclude(email="").iterator():
        email = user.email.lower()
        addresses = EmailAddress.objects.filter(user=user)
        addresses.exclude(email__iexact=email).filter(primary=True).update(primary=False)
        addresses.filter(verified=True).exclude(email__iexact=email).delete()
        if not addresses.filter(email__iexact=email).update(verified=True, primary=True):
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)


class Migration(migrations.Migration):
    dependencies = [
        ("asfnet", "0001_initial"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
