"""The portal's settings with the benchmark's URLconf (bench_urls.py), for scripts/bench_http.py.

Everything else is asfnet.settings as the environment makes it (DEBUG=0, the database, the
cache), so the hello-world view runs behind the same middleware as every page. Selected by
DJANGO_SETTINGS_MODULE=bench_settings with scripts/ on the path; nothing else imports it.
"""

from asfnet.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
