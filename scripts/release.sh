#!/usr/bin/env bash
# The release steps, in one place: the Dockerfile runs them while building the image and CI
# runs them (in a copy of the tree) before the tests, so CI proves the release builds.
#
#   scripts/release.sh                  install, messages, static, check
#   scripts/release.sh static check     only those steps
#
# Steps:
#   install   pip install . (the dependencies of pyproject.toml)
#   messages  compile the translations (locale/*/LC_MESSAGES/django.mo)
#   static    collect the static files into $VAR_DIR/staticfiles (hashed names, compressed)
#   check     manage.py check --deploy; any warning fails the release
#
# Run it with the production environment (DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, EMAIL_HOST, ...):
# the checks judge the settings that environment gives. PYTHON chooses the interpreter
# (default: python3, or python where there is no python3).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-$(command -v python3 || command -v python)}
steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(install messages static check)

for step in "${steps[@]}"; do
    echo "== release: $step"
    case "$step" in
        install)
            "$PYTHON" -m pip install --quiet .
            ;;
        messages)
            "$PYTHON" manage.py compilemessages --ignore=.venv --ignore=var
            ;;
        static)
            "$PYTHON" manage.py collectstatic --noinput --verbosity 0
            ;;
        check)
            "$PYTHON" manage.py check --deploy --fail-level WARNING
            ;;
        *)
            echo "Unknown release step: $step (install, messages, static, check)" >&2
            exit 2
            ;;
    esac
done
echo "== release: done"
