#!/usr/bin/env bash
# Makes sure a Docker engine answers, for `make docker-test`. Uses a running one when there is
# one; otherwise installs Debian's docker.io and docker-compose and starts dockerd, logging to
# $DOCKERD_LOG. dockerd picks overlay2 where the kernel allows it (here it does: with vfs, which
# copies every layer whole, a build had not finished after 15 minutes); DOCKER_STORAGE_DRIVER=vfs forces it.
# Prints the pid of a dockerd it started (empty line if it started none), so the caller can stop
# exactly that daemon afterwards. Exits 1 with the daemon's own error when no engine can run.
set -euo pipefail

DOCKERD_DIR=${DOCKERD_DIR:-/tmp/indikator-dockerd}
DOCKERD_LOG=${DOCKERD_LOG:-$DOCKERD_DIR/dockerd.log}
DATA_ROOT=${DOCKER_DATA_ROOT:-/var/lib/indikator-docker}

say() { echo "$*" >&2; }

if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
	echo ""
	exit 0
fi

SUDO=()
[ "$(id -u)" = 0 ] || SUDO=(sudo)

if ! command -v dockerd >/dev/null || ! command -v docker-compose >/dev/null; then
	say "Installerar Debians docker.io och docker-compose …"
	"${SUDO[@]}" apt-get update -qq
	DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq docker.io docker-compose \
		>/dev/null
fi
if docker info >/dev/null 2>&1; then  # installing may have started the packaged service
	echo ""
	exit 0
fi

mkdir -p "$DOCKERD_DIR"
DRIVER=()
[ -z "${DOCKER_STORAGE_DRIVER:-}" ] || DRIVER=(--storage-driver="$DOCKER_STORAGE_DRIVER")
say "Startar dockerd (logg i $DOCKERD_LOG) …"
# setsid: the daemon must outlive this script's process group, and the caller stops it by pid.
"${SUDO[@]}" setsid dockerd "${DRIVER[@]}" --data-root="$DATA_ROOT" \
	--pidfile="$DOCKERD_DIR/dockerd.pid" >"$DOCKERD_LOG" 2>&1 </dev/null &
pid=$!
for _ in $(seq 1 60); do
	if docker info >/dev/null 2>&1; then
		say "dockerd kör med lagringsdrivrutinen $(docker info --format '{{.Driver}}')."
		cat "$DOCKERD_DIR/dockerd.pid"
		exit 0
	fi
	if ! kill -0 "$pid" 2>/dev/null; then
		break
	fi
	sleep 1
done
say "Ingen Docker-motor kan köras på den här datorn. dockerd sade:"
grep -iE 'level=(error|fatal)|failed|error' "$DOCKERD_LOG" | tail -5 >&2 || tail -5 "$DOCKERD_LOG" >&2
kill "$pid" 2>/dev/null || true
exit 1
