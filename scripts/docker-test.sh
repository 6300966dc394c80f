#!/usr/bin/env bash
# `make docker-test`: builds the Dockerfile, starts docker-compose.yml (app + PostgreSQL) as an
# operator would, creates the first administratör the way the compose file's comment says, then
# checks through the published port that /healthz answers 200, that the app refuses an anonymous
# visitor, that the administratör can sign in and gets the app page, and that Docker's own
# HEALTHCHECK turns healthy. Tears everything down after, also on failure.
#
# Without a Docker engine it says so, lints the Dockerfile and compose file instead
# (scripts/docker-lint.sh) and exits 1: a lint is not a build.
set -euo pipefail
cd "$(dirname "$0")/.."

PROJECT=indikatordockertest
IMAGE=indikatorer:docker-test
WAIT_S=${DOCKER_TEST_WAIT_S:-300}

say() { echo "docker-test: $*" >&2; }

if ! started_dockerd=$(scripts/docker-engine.sh); then
	say "Ingen Docker-motor kan köras här (felet ovan). Bilden byggs inte; Dockerfile och"
	say "docker-compose.yml granskas med hadolint och docker-compose config i stället."
	scripts/docker-lint.sh || true
	say "MISSLYCKADES: ingen bild byggdes och ingen container startades."
	exit 1
fi

if docker compose version >/dev/null 2>&1; then
	COMPOSE=(docker compose)
else
	COMPOSE=(docker-compose)
fi

work=$(mktemp -d)
compose() {
	"${COMPOSE[@]}" -p "$PROJECT" -f docker-compose.yml -f "$work/test.override.yml" "$@"
}

cleanup() {
	local rc=$?
	if [ -f "$work/test.override.yml" ]; then
		if [ "$rc" != 0 ]; then
			say "Loggar från tjänsterna:"
			compose logs --no-color --tail=40 >&2 2>/dev/null || true
		fi
		compose down --volumes --remove-orphans >/dev/null 2>&1 || true
	fi
	rm -rf "$work"
	if [ -n "$started_dockerd" ]; then
		# Our own data root: earlier builds' untagged layers would only pile up there.
		docker image prune --force >/dev/null 2>&1 || true
	fi
	if [ -n "$started_dockerd" ] && [ -z "${KEEP_DOCKERD:-}" ]; then
		say "Stoppar dockerd som testet startade (pid $started_dockerd)."
		kill "$started_dockerd" 2>/dev/null || true
		for _ in $(seq 1 30); do kill -0 "$started_dockerd" 2>/dev/null || break; sleep 1; done
	fi
	if [ "$rc" = 0 ]; then say "OK"; else say "MISSLYCKADES (slutkod $rc)"; fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

bases=$(scripts/docker-base-images.sh)
PYTHON_IMAGE=$(sed -n 's/^PYTHON_IMAGE=//p' <<<"$bases")
POSTGRES_IMAGE=$(sed -n 's/^POSTGRES_IMAGE=//p' <<<"$bases")
NGINX_IMAGE=$(sed -n 's/^NGINX_IMAGE=//p' <<<"$bases")

say "Bygger $IMAGE från Dockerfile (FROM $PYTHON_IMAGE) …"
# Host network for the build only: pip reaches the package registry the way the host does.
docker build --network host --build-arg "PYTHON_IMAGE=$PYTHON_IMAGE" -t "$IMAGE" . \
	>"$work/build.log" 2>&1 || {
	tail -30 "$work/build.log" >&2
	exit 1
}

# Only the images differ from the committed compose file; the services, their environment,
# healthcheck and start order are the ones an operator runs.
cat >"$work/test.override.yml" <<EOF
services:
  db:
    image: $POSTGRES_IMAGE
  app:
    image: $IMAGE
  proxy:
    image: $NGINX_IMAGE
EOF

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
POSTGRES_PASSWORD=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
ADMIN_PASSWORD=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')
export POSTGRES_PASSWORD SECRET_KEY INDIKATOR_PUBLISH="127.0.0.1:$port"
export INDIKATOR_ALLOWED_HOSTS=uppfoljning.example

say "Skapar administratören (compose run, väntar på att PostgreSQL är frisk) …"
printf '%s\n' "$ADMIN_PASSWORD" | compose run --rm -T app \
	python -m indicators users add admin --role administratör --password-stdin

say "Startar compose; appen publiceras på 127.0.0.1:$port …"
compose up -d --no-build

say "Kontrollerar /healthz, inloggning och startsidan …"
BASE="http://127.0.0.1:$port" ADMIN_PASSWORD="$ADMIN_PASSWORD" WAIT_S="$WAIT_S" python3 - <<'EOF'
import http.client
import os
import sys
import time
import urllib.parse

base = urllib.parse.urlsplit(os.environ["BASE"])


def request(method, path, body=None, headers=None):
    conn = http.client.HTTPConnection(base.hostname, base.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def fail(message):
    print(f"docker-test: {message}", file=sys.stderr)
    sys.exit(1)


# Bounded wait: the master migrates a new PostgreSQL store before the first worker answers.
deadline = time.monotonic() + float(os.environ["WAIT_S"])
last = "inget svar"
while True:
    try:
        status, _, body = request("GET", "/healthz")
        if status == 200:
            break
        last = f"{status} {body[:200]}"
    except OSError as error:
        last = str(error)
    if time.monotonic() > deadline:
        fail(f"/healthz svarade inte 200 inom {os.environ['WAIT_S']} s: {last}")
    time.sleep(2)
print(f"docker-test: /healthz 200 {body.strip()}", file=sys.stderr)

# INDIKATOR_ALLOWED_HOSTS reaches the app through the compose file; other names are refused.
status, _, _ = request("GET", "/logga-in", headers={"Host": f"uppfoljning.example:{base.port}"})
if status != 200:
    fail(f"Värdnamnet i INDIKATOR_ALLOWED_HOSTS fick {status}, inte 200.")
status, _, _ = request("GET", "/logga-in", headers={"Host": "annan.example"})
if status != 400:
    fail(f"Ett värdnamn utanför INDIKATOR_ALLOWED_HOSTS fick {status}, inte 400.")

status, headers, _ = request("GET", "/")
if status not in (302, 303) or "/logga-in" not in headers.get("Location", ""):
    fail(f"En anonym besökare fick {status} på / i stället för att skickas till /logga-in.")

status, _, body = request("GET", "/logga-in")
if status != 200 or "Logga in" not in body:
    fail(f"/logga-in svarade {status}.")

form = urllib.parse.urlencode(
    {"username": "admin", "password": os.environ["ADMIN_PASSWORD"], "next": "/"}
)
status, headers, _ = request(
    "POST",
    "/logga-in",
    body=form,
    headers={"Content-Type": "application/x-www-form-urlencoded"},
)
# The cookie may be Secure (the app is not on loopback inside its container), so it is carried
# by hand: this check talks plain HTTP to the published port, as a TLS proxy in front would.
cookies = [c.split(";", 1)[0] for c in headers.get_all("Set-Cookie") or []]
if status not in (302, 303) or not cookies:
    fail(f"Inloggningen som admin svarade {status} utan inloggningskaka.")
cookie = "; ".join(cookies)

status, _, body = request("GET", "/", headers={"Cookie": cookie})
if status != 200 or 'lang="sv"' not in body or "_dash-config" not in body:
    fail(f"Startsidan svarade {status} för den inloggade administratören.")
status, _, body = request("GET", "/_dash-layout", headers={"Cookie": cookie})
if status != 200:
    fail(f"/_dash-layout svarade {status} för den inloggade administratören.")
print(
    "docker-test: värdnamn enligt INDIKATOR_ALLOWED_HOSTS; anonym besökare till /logga-in; "
    "admin loggar in och får startsidan",
    file=sys.stderr,
)
EOF

# Docker's own HEALTHCHECK (the Dockerfile's) must agree: its first run is after 30 s.
# Every app replica (the proxy's upstreams) must turn healthy.
for app_container in $(compose ps -q app); do
	for _ in $(seq 1 "$WAIT_S"); do
		health=$(docker inspect --format '{{.State.Health.Status}}' "$app_container")
		[ "$health" = starting ] || break
		sleep 1
	done
	if [ "$health" != healthy ]; then
		say "Dockers HEALTHCHECK säger '$health', inte 'healthy' ($app_container)."
		exit 1
	fi
done
say "Dockers HEALTHCHECK: healthy för alla appens repliker"
