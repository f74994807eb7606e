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
echo
echo "Mở http://${HOST:-127.0.0.1}:${PORT:-8000}/ (Ctrl+C để dừng)"
exec .venv/bin/python manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
