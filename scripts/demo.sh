#!/usr/bin/env bash
# Sets up everything and runs the application with demo data on SQLite:
#   bash scripts/demo.sh            then open http://127.0.0.1:8000/
# PORT and HOST can be set in the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DEBUG=${DEBUG:-1}
.venv/bin/python manage.py migrate --noinput -v0
# The demo accounts' creation is in the security log table; not also on the terminal.
SECURITY_LOG_LEVEL=WARNING .venv/bin/python manage.py setup_demo
# The background worker (publishing, imports, e-mail, deadline reminders) runs beside the web
# server; on exit it gets SIGTERM, finishes the job it is running, then stops.
.venv/bin/python manage.py worker --no-reload &
worker=$!
trap 'kill -TERM "$worker" 2>/dev/null; wait "$worker" 2>/dev/null' EXIT
echo
echo "Mở http://${HOST:-127.0.0.1}:${PORT:-8000}/ (Ctrl+C để dừng)"
echo "Thư điện tử được in ra màn hình (đặt EMAIL_HOST để gửi qua máy chủ SMTP)."
.venv/bin/python manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
