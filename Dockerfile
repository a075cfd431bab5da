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
# A throwaway key and host only for the build steps; the real ones come from the environment.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    ALLOWED_HOSTS=build.invalid \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media \
    && chown -R asfnet:asfnet /app/var

USER asfnet
EXPOSE 8000
CMD ["gunicorn", "asfnet.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
