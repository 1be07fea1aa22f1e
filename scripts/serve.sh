#!/usr/bin/env bash
# Runs mentoring_cms the way production does (Procfile): production settings,
# migrations and collectstatic first, then gunicorn and the task worker.
# Defaults suit trying it on this machine; any variable already set wins.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}

export DJANGO_SETTINGS_MODULE=demo_site.settings.production
export HOST=${HOST:-127.0.0.1}
export PORT=${PORT:-8000}
export SECRET_KEY=${SECRET_KEY:-$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')}
export DATABASE_URL=${DATABASE_URL:-sqlite:///$PWD/db.sqlite3}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
export DEFAULT_FROM_EMAIL=${DEFAULT_FROM_EMAIL:-mentoring@localhost}
export MENTORING_CMS_HR_EMAIL=${MENTORING_CMS_HR_EMAIL:-hr-mentoring@localhost}
# Emails are printed by the worker instead of sent.
export EMAIL_URL=${EMAIL_URL:-console://}
# Plain HTTP on this machine: no redirect to HTTPS.
export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-false}
export WEB_CONCURRENCY=${WEB_CONCURRENCY:-2}
export WAGTAILADMIN_BASE_URL=${WAGTAILADMIN_BASE_URL:-http://$HOST:$PORT}
# Applicants' files outside the project directory (manage.py check insists).
export MENTORING_CMS_PRIVATE_MEDIA_ROOT=${MENTORING_CMS_PRIVATE_MEDIA_ROOT:-${XDG_DATA_HOME:-$HOME/.local/share}/mentoring-cms/private-media}

"$BIN/python" manage.py migrate --noinput -v 0
"$BIN/python" manage.py collectstatic --noinput -v 0

echo "Site:   http://$HOST:$PORT/nb/  (health: http://$HOST:$PORT/healthz)"
echo "Admin:  http://$HOST:$PORT/admin/"
echo "Database: ${DATABASE_URL%%://*}; stop with Ctrl+C."

pids=()
stop() {
    trap - INT TERM EXIT
    # SIGTERM: gunicorn lets running requests finish, the worker its task.
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait
}
trap 'stop; exit 0' INT TERM
trap stop EXIT

"$BIN/gunicorn" demo_site.wsgi &
pids+=($!)
"$BIN/python" manage.py db_worker --queue-name default &
pids+=($!)

# When either process ends by itself, stop the other and report its status.
wait -n
