# Production image: gunicorn behind a reverse proxy, static files served by whitenoise.
# Configured only by environment variables (see README.md, "Configuration").
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DEBUG=0 \
    VAR_DIR=/app/var \
    MPLCONFIGDIR=/app/var/matplotlib

# WeasyPrint needs Pango and HarfBuzz; DejaVu gives å ä ö in the PDFs; gettext compiles
# the translations.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 asfnet
WORKDIR /app

COPY pyproject.toml ./
RUN pip install .

COPY . .
# The release steps CI runs too (scripts/release.sh: install, compile the translations,
# collect the static files, check --deploy). Throwaway production values only for the build;
# the real ones come from the environment when the container starts.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    ALLOWED_HOSTS=build.invalid \
    CSRF_TRUSTED_ORIGINS=https://build.invalid \
    EMAIL_HOST=smtp.build.invalid \
    PYTHON=python bash scripts/release.sh \
    && mkdir -p /app/var/media \
    && chown -R asfnet:asfnet /app/var

USER asfnet
EXPOSE 8000
# The same image runs the background worker (mail, reports, the schedule): start a second
# container with the command `python manage.py worker` (README, Production, "The worker").
# No gunicorn access log: the portal writes a JSON line per request itself (asfnet.logging).
# Nothing slow runs in a web request (the worker renders the reports' PDFs): 30 s is plenty.
CMD ["gunicorn", "asfnet.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "30"]
