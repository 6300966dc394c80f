#!/usr/bin/env bash
# The load run of issue 5: gunicorn on 127.0.0.1 over a fresh SQLite store with the demo data,
# 20 simulated users for 60 s over pages and API (bench/load_run.py), then gunicorn is stopped.
# Figures go to bench/RESULTS-load.md.
#
#   bench/run_load.sh                 # USERS=20 DURATION=60 WORKERS=2 by default
#   CAPTURE=0 bench/run_load.sh       # replay bench/dash_payloads.json as it is (no browser)
#   DATABASE_URL=postgresql+psycopg://... bench/run_load.sh   # against another store
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
USERS=${USERS:-20}
DURATION=${DURATION:-60}
WORKERS=${WORKERS:-2}
CAPTURE=${CAPTURE:-1}
WORK=$(mktemp -d)
PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
export DATABASE_URL=${DATABASE_URL:-sqlite:///$WORK/last.sqlite}
export INDIKATOR_HOST=127.0.0.1 INDIKATOR_PORT=$PORT INDIKATOR_WORKERS=$WORKERS
export INDIKATOR_SEED_DEMO=true

GUNICORN_PID=""
cleanup() {
    if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
        kill "$GUNICORN_PID"
        wait "$GUNICORN_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "Förbereder lagret ($DATABASE_URL) …"
$PY -m indicators prepare

# gunicorn.conf.py (bind, workers, threads, timeouts from the settings) is read from this folder.
if [ -f gunicorn.conf.py ]; then
    .venv/bin/gunicorn app:server >"$WORK/gunicorn.log" 2>&1 &
else
    .venv/bin/gunicorn -w "$WORKERS" -b "127.0.0.1:$PORT" --no-control-socket app:server \
        >"$WORK/gunicorn.log" 2>&1 &
fi
GUNICORN_PID=$!
for _ in $(seq 120); do
    if curl -fsS -o /dev/null "$BASE/_dash-layout" 2>/dev/null; then break; fi
    if ! kill -0 "$GUNICORN_PID" 2>/dev/null; then cat "$WORK/gunicorn.log"; exit 1; fi
    sleep 0.5
done
curl -fsS -o /dev/null "$BASE/_dash-layout" || { cat "$WORK/gunicorn.log"; exit 1; }
echo "gunicorn svarar på $BASE ($WORKERS arbetare)"

if [ "$CAPTURE" = 1 ] && [ -x /usr/bin/chromium ]; then
    echo "Spelar in Dash-anropen från en riktig webbläsare …"
    $PY bench/capture_payloads.py "$BASE" bench/dash_payloads.json
fi

status=0
$PY bench/load_run.py "$BASE" --users "$USERS" --seconds "$DURATION" \
    --note "(gunicorn app:server, $WORKERS arbetare, ${DATABASE_URL%%:*})" || status=$?
if [ "$status" != 0 ]; then
    echo "Slutet av gunicorns logg:"; grep -v '" 20[04] ' "$WORK/gunicorn.log" | tail -30
fi
if grep -qE "Traceback|\[ERROR\]" "$WORK/gunicorn.log"; then
    echo "gunicorns logg har fel:"; grep -E -A5 "Traceback|\[ERROR\]" "$WORK/gunicorn.log" | head -40
    status=1
fi
exit $status
