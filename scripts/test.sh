#!/usr/bin/env bash
# Sets up everything and runs the whole test suite (SQLite unless DATABASE_URL says otherwise),
# after the lint and consistency checks. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
# Without DEBUG the settings demand a SECRET_KEY; these two commands need neither.
DEBUG=1 .venv/bin/python manage.py check --fail-level WARNING
DEBUG=1 .venv/bin/python manage.py makemigrations --check --dry-run -v0
.venv/bin/python -m pytest "$@"
