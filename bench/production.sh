#!/usr/bin/env bash
# Production rehearsal on 127.0.0.1: Debian's nginx (deploy/nginx/, as in compose) in front
# of two gunicorn instances (deploy/gunicorn.conf.py, 3 sync workers each), Redis and
# PostgreSQL. Bounded: each phase has a fixed count and time limit; the whole run takes
# about two minutes. Needs: apt-get install nginx-light redis-server postgresql; a running
# PostgreSQL on 127.0.0.1:5432 for user postgres. Figures go to stdout (bench/README.md).
#
#   bash bench/production.sh            # BENCH_DB=sm_prod_bench by default
set -euo pipefail
cd "$(dirname "$0")/.."
PY=$PWD/.venv/bin/python
DB=${BENCH_DB:-sm_prod_bench}
PG=postgres://postgres@127.0.0.1:5432
WORK=$(mktemp -d /tmp/sm-rehearsal.XXXXXX)
PROXY=${PROXY_PORT:-8590}; APP1=$((PROXY + 1)); APP2=$((PROXY + 2)); REDIS=$((PROXY + 3))

started=()
cleanup() {
    [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
    for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT

export DATABASE_URL=$PG/$DB REDIS_URL=redis://127.0.0.1:$REDIS/5 TASKS_BACKEND=database
export NUM_PROXIES=1 HTTPS=0 DEBUG=0 ALLOWED_HOSTS=127.0.0.1 SITE_URL=http://127.0.0.1:$PROXY
export SECRET_KEY=rehearsal-$RANDOM$RANDOM$RANDOM-not-for-production WEB_CONCURRENCY=3
export EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend

echo "== setting up in $WORK"
psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $DB" -c "DROP DATABASE IF EXISTS ${DB}_restored" \
    -c "CREATE DATABASE $DB"
redis-server --bind 127.0.0.1 --port "$REDIS" --save "" --appendonly no >"$WORK/redis.log" &
started+=($!)
$PY manage.py migrate --no-input -v 0
$PY manage.py collectstatic --no-input -v 0
$PY manage.py demo --base-url "http://127.0.0.1:$PROXY" >/dev/null
$PY manage.py shell -v 0 -c "
from django.contrib.auth import get_user_model
User = get_user_model()
User.objects.filter(username='owner@rehearsal.test').delete()
User.objects.create_user('owner@rehearsal.test', 'owner@rehearsal.test', 'the-right-passphrase-1')"

for port in "$APP1" "$APP2"; do
    .venv/bin/gunicorn -c deploy/gunicorn.conf.py --bind "127.0.0.1:$port" \
        --pid "$WORK/app$port.pid" --access-logfile "$WORK/app$port.log" \
        --error-logfile "$WORK/app$port.err" survey.wsgi &
    started+=($!)
done

# nginx with the compose configuration, pointed at the two instances and at $WORK.
mkdir -p "$WORK/nginx"
sed -e "s|server web:8000;|server 127.0.0.1:$APP1; server 127.0.0.1:$APP2;|" \
    -e "s|/var/log/nginx/access.log|$WORK/nginx/access.log|" deploy/nginx/common.conf \
    >"$WORK/nginx/common.conf"
sed -e "s|listen 80 default_server;|listen 127.0.0.1:$PROXY default_server;|" \
    -e "s|/etc/nginx/snippets/proxy.inc|$PWD/deploy/nginx/proxy.inc|" deploy/nginx/http.conf \
    >"$WORK/nginx/site.conf"
cat >"$WORK/nginx/nginx.conf" <<CONF
pid $WORK/nginx.pid;
error_log $WORK/nginx/error.log;
worker_processes 1;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    include $WORK/nginx/common.conf;
    include $WORK/nginx/site.conf;
}
CONF
nginx -c "$WORK/nginx/nginx.conf"

for _ in $(seq 60); do
    curl -fsS -o /dev/null "http://127.0.0.1:$PROXY/health/" 2>/dev/null && break
    sleep 0.5
done

$PY bench/production_checks.py --proxy "http://127.0.0.1:$PROXY" --app1 "$APP1" \
    --app1-pid "$WORK/app$APP1.pid" --logs "$WORK"

echo "== backup and restore"
pg_dump -Fc "$PG/$DB" >"$WORK/backup.dump"
psql -q "$PG/postgres" -c "CREATE DATABASE ${DB}_restored"
pg_restore --no-owner -d "$PG/${DB}_restored" "$WORK/backup.dump"
count_rows() {
    psql -At "$PG/$1" -c "SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1" |
    while read -r table; do
        echo "$table $(psql -At "$PG/$1" -c "SELECT count(*) FROM \"$table\"")"
    done
}
count_rows "$DB" >"$WORK/source.counts"
count_rows "${DB}_restored" >"$WORK/restored.counts"
if diff -q "$WORK/source.counts" "$WORK/restored.counts" >/dev/null; then
    echo "restored: $(wc -l <"$WORK/source.counts") tables, row counts equal" \
        "($(awk '{s+=$2} END {print s}' "$WORK/source.counts") rows, dump $(du -h "$WORK/backup.dump" | cut -f1))"
else
    echo "restored row counts DIFFER:"; diff "$WORK/source.counts" "$WORK/restored.counts"; exit 1
fi
psql -q "$PG/postgres" -c "DROP DATABASE ${DB}_restored"
