#!/usr/bin/env bash
# The three base images docker-compose.yml needs: python:3.11-slim (the Dockerfile's FROM),
# postgres:16 and nginx:1.27-alpine (the proxy in front of the app replicas). Pulled when Docker Hub answers. Where it does not (these machines reach only the
# package registries), stand-ins are built from Debian's own packages instead: a debootstrap'd
# Debian with python3 in a venv at /usr/local (so `python` and `pip` are where the official image
# has them), and Debian's PostgreSQL behind an entrypoint that honours the official image's
# POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB and PGDATA, and Debian's nginx in the
# foreground, whose nginx.conf includes /etc/nginx/conf.d/*.conf as the official image's does
# (compose mounts deploy/nginx.conf there). Prints PYTHON_IMAGE=…, POSTGRES_IMAGE=… and
# NGINX_IMAGE=… for the caller; the stand-ins are built once and reused.
set -euo pipefail

say() { echo "$*" >&2; }

pull_or_empty() {  # prints the image name if it is here or can be pulled
	local image=$1 out
	if docker image inspect "$image" >/dev/null 2>&1; then
		echo "$image"
		return
	fi
	if out=$(timeout 300 docker pull -q "$image" 2>&1); then
		echo "$image"
	else
		say "Basavbilden $image kan inte hämtas: $(tail -1 <<<"$out")"
	fi
}

build() {  # Dockerfile, tag; the build's output only when it fails
	if ! docker build --network host -f "$1" -t "$2" "$ctx" >"$ctx/build.log" 2>&1; then
		say "Bygget av $2 misslyckades:"
		tail -20 "$ctx/build.log" >&2
		exit 1
	fi
}

PYTHON_IMAGE=$(pull_or_empty python:3.11-slim)
POSTGRES_IMAGE=$(pull_or_empty postgres:16)
NGINX_IMAGE=$(pull_or_empty nginx:1.27-alpine)

if [ -z "$PYTHON_IMAGE" ] || [ -z "$POSTGRES_IMAGE" ] || [ -z "$NGINX_IMAGE" ]; then
	DEBIAN=indikator-lokal/debian:bookworm
	ctx=$(mktemp -d)
	trap 'rm -rf "$ctx"' EXIT

	if ! docker image inspect "$DEBIAN" >/dev/null 2>&1; then
		# The same Debian mirror this machine's apt uses: it is reachable from here.
		mirror=$(grep -hoP '^URIs:\s*\K\S+' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1 ||
			true)
		[ -n "$mirror" ] || mirror=$(grep -hoP '^deb\s+(\[[^]]*\]\s+)?\K\S+' \
			/etc/apt/sources.list 2>/dev/null | head -1 || true)
		if [ -z "$mirror" ]; then
			say "Hittar ingen Debianspegel i /etc/apt för att bygga ersättningsbilderna."
			exit 1
		fi
		if ! command -v debootstrap >/dev/null; then
			say "Installerar Debians debootstrap …"
			apt-get update -qq
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
		fi
		say "Bygger $DEBIAN med debootstrap (ungefär en och en halv minut) …"
		if ! debootstrap --variant=minbase --include=ca-certificates bookworm "$ctx/rootfs" \
			"$mirror" >"$ctx/debootstrap.log" 2>&1; then
			say "debootstrap misslyckades:"
			tail -5 "$ctx/debootstrap.log" >&2
			exit 1
		fi
		rm -f "$ctx"/rootfs/var/cache/apt/archives/*.deb
		tar -C "$ctx/rootfs" -c . | docker import - "$DEBIAN" >/dev/null
		rm -rf "$ctx/rootfs"
	fi

	# Certificate authorities this machine trusts beyond Debian's own (a proxy on the way to the
	# package registries), so pip inside the build trusts them too, as pip on the host does.
	mkdir -p "$ctx/ca"
	cp /usr/local/share/ca-certificates/*.crt "$ctx/ca/" 2>/dev/null || true
fi

if [ -z "$PYTHON_IMAGE" ]; then
	PYTHON_IMAGE=indikator-lokal/python:3.11
	say "Bygger ersättningen $PYTHON_IMAGE av Debians python3 …"
	cat >"$ctx/Dockerfile.python" <<'EOF'
FROM indikator-lokal/debian:bookworm
COPY ca/ /usr/local/share/ca-certificates/
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
       python3 python3-venv \
    && rm -rf /var/lib/apt/lists/* \
    && update-ca-certificates >/dev/null \
    && python3 -m venv /usr/local
ENV LANG=C.UTF-8 PIP_CERT=/etc/ssl/certs/ca-certificates.crt
CMD ["python"]
EOF
	build "$ctx/Dockerfile.python" "$PYTHON_IMAGE"
fi

if [ -z "$POSTGRES_IMAGE" ]; then
	POSTGRES_IMAGE=indikator-lokal/postgres:15
	say "Bygger ersättningen $POSTGRES_IMAGE av Debians postgresql …"
	cat >"$ctx/entrypoint.sh" <<'EOF'
#!/bin/sh
# What the official postgres image does on start, for the variables docker-compose.yml sets.
set -eu
export PGDATA="${PGDATA:-/var/lib/postgresql/data}"
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
if [ "$(id -u)" = 0 ]; then
	mkdir -p "$PGDATA" /var/run/postgresql
	chown -R postgres:postgres "$PGDATA" /var/run/postgresql
	chmod 700 "$PGDATA"
	exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi
user="${POSTGRES_USER:-postgres}"
db="${POSTGRES_DB:-$user}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
	pwfile=$(mktemp)
	printf '%s\n' "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD saknas}" >"$pwfile"
	"$BIN/initdb" -D "$PGDATA" -U "$user" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \
		--auth-local=trust --auth-host=scram-sha-256 >/dev/null
	rm -f "$pwfile"
	echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
	if [ "$db" != postgres ]; then
		"$BIN/postgres" --single -D "$PGDATA" postgres >/dev/null <<SQL
CREATE DATABASE "$db" OWNER "$user";
SQL
	fi
fi
exec "$BIN/postgres" -D "$PGDATA" -c listen_addresses='*'
EOF
	cat >"$ctx/Dockerfile.postgres" <<'EOF'
FROM indikator-lokal/debian:bookworm
# No cluster of Debian's own: the entrypoint makes one in PGDATA, as the official image does.
RUN mkdir -p /etc/postgresql-common/createcluster.d \
    && echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/ingen.conf \
    && apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql \
    && rm -rf /var/lib/apt/lists/*
COPY entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN chmod 755 /usr/local/bin/docker-entrypoint.sh
ENV PGDATA=/var/lib/postgresql/data
VOLUME /var/lib/postgresql/data
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
EOF
	build "$ctx/Dockerfile.postgres" "$POSTGRES_IMAGE"
fi

if [ -z "$NGINX_IMAGE" ]; then
	NGINX_IMAGE=indikator-lokal/nginx:debian
	say "Bygger ersättningen $NGINX_IMAGE av Debians nginx …"
	cat >"$ctx/Dockerfile.nginx" <<'EOF'
FROM indikator-lokal/debian:bookworm
# Debian's nginx.conf includes conf.d/*.conf inside http {}, where the official image's
# default.conf lives; Debian's own site (port 80, default_server) is dropped so only the
# mounted configuration answers. Logs go to the container's output, as in the official image.
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx \
    && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/* /etc/nginx/conf.d/* \
    && ln -sf /dev/stdout /var/log/nginx/access.log \
    && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
EOF
	build "$ctx/Dockerfile.nginx" "$NGINX_IMAGE"
fi

echo "PYTHON_IMAGE=$PYTHON_IMAGE"
echo "POSTGRES_IMAGE=$POSTGRES_IMAGE"
echo "NGINX_IMAGE=$NGINX_IMAGE"
