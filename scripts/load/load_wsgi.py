"""The portal's WSGI application with the load test's URLconf (load_urls.py).

The same settings as production (whatever the environment says); only ROOT_URLCONF differs,
to add the hello-world baseline. Started by scripts/load/run.py as
`gunicorn --pythonpath scripts/load load_wsgi:application`.
"""

import os

import django
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asfnet.settings")
django.setup(set_prefix=False)
settings.ROOT_URLCONF = "load_urls"

from django.core.wsgi import get_wsgi_application  # noqa: E402 - after the URLconf is set

application = get_wsgi_application()
