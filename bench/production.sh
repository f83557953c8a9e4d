#!/usr/bin/env bash
# Production rehearsal on 127.0.0.1: Debian's nginx (deploy/nginx/, as in compose) in front
# of two gunicorn instances (deploy/gunicorn.conf.py, 3 sync workers each), a Redis and a
# PostgreSQL cluster of its own (initdb into a temp dir, restarted by the load phase; the
# machine's PostgreSQL and Redis are never touched). Bounded: each phase has a fixed count
# and time limit; a run takes 4-10 minutes (busy machine). Needs: apt-get install
# nginx-light redis-server postgresql wrk. Figures go to stdout (bench/README.md).
#
#   bash bench/production.sh
#   WEB_CONCURRENCY=4 GUNICORN_THREADS=2 bash bench/production.sh   # other worker shapes
#   SUBMIT_RATE=110 SUBMIT_SECONDS=40 bash bench/production.sh      # the load phase's pace
#   PHASES="2 3" bash bench/production.sh                           # only some phases
set -euo pipefail
cd "$(dirname "$0")/.."
PY=$PWD/.venv/bin/python
DB=rehearsal
PROXY=${PROXY_PORT:-8590}; APP1=$((PROXY + 1)); APP2=$((PROXY + 2)); REDIS=$((PROXY + 3))
PGPORT=${PG_PORT:-55432}
THREADS=${GUNICORN_THREADS:-1}
WORK=$(mktemp -d /tmp/sm-rehearsal.XXXXXX)
chmod 755 "$WORK"  # the postgres user reaches its data directory inside
PGBIN=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d | sort -V | tail -n 1)
PGDATA=$WORK/pg
PG=postgres://postgres@127.0.0.1:$PGPORT
for port in "$PROXY" "$APP1" "$APP2" "$REDIS" "$PGPORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "port $port is in use: choose others with PROXY_PORT and PG_PORT" >&2; exit 1
    fi
done

# initdb refuses to run as root: then the cluster belongs to the postgres user.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_ctl() { as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" "$@"; }
RESTART_PG="$PGBIN/pg_ctl -D $PGDATA -l $PGDATA/server.log -m immediate -w restart"
[ "$(id -u)" = 0 ] && RESTART_PG="runuser -u postgres -- $RESTART_PG"

failed=()
want() { [[ " ${PHASES:-1 2 3 4 5} " == *" $1 "* ]]; }
started=()
cleanup() {
    [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
    for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ -f "$PGDATA/postmaster.pid" ] && pg_ctl -m immediate stop >/dev/null 2>&1 || true
    [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"  # KEEP_WORK=1 keeps the logs to read
}
trap cleanup EXIT

export DATABASE_URL=$PG/$DB REDIS_URL=redis://127.0.0.1:$REDIS/5 TASKS_BACKEND=database
export NUM_PROXIES=1 HTTPS=0 DEBUG=0 ALLOWED_HOSTS=127.0.0.1 SITE_URL=http://127.0.0.1:$PROXY
export SECRET_KEY=rehearsal-$RANDOM$RANDOM$RANDOM-not-for-production
export WEB_CONCURRENCY=${WEB_CONCURRENCY:-3} LOG_LEVEL=WARNING
export EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend

echo "== $(date -u '+%F %H:%M UTC'), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GB RAM," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg); gunicorn: 2 instances x" \
    "$WEB_CONCURRENCY workers x $THREADS threads; setting up in $WORK"
if [ "$(id -u)" = 0 ]; then install -d -o postgres -m 700 "$PGDATA"; else mkdir -m 700 "$PGDATA"; fi
as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --no-instructions >/dev/null
cat >>"$PGDATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$PGDATA'
max_connections = 100
cluster_name = 'rehearsal'
CONF
pg_ctl -w start >/dev/null
psql -q "$PG/postgres" -c "CREATE DATABASE $DB"
redis-server --bind 127.0.0.1 --port "$REDIS" --save "" --appendonly no >"$WORK/redis.log" &
started+=($!)
$PY manage.py migrate --no-input -v 0
$PY manage.py collectstatic --no-input -v 0
$PY manage.py demo --base-url "http://127.0.0.1:$PROXY" >/dev/null
$PY manage.py shell -v 0 -c "
from django.contrib.auth import get_user_model
User = get_user_model()
User.objects.create_user('owner@rehearsal.test', 'owner@rehearsal.test', 'the-right-passphrase-1')"
$PY bench/production_load.py seed --people "${SUBMIT_PEOPLE:-6000}" --tokens "$WORK/tokens.txt"

for port in "$APP1" "$APP2"; do
    .venv/bin/gunicorn -c deploy/gunicorn.conf.py --bind "127.0.0.1:$port" --threads "$THREADS" \
        --pid "$WORK/app$port.pid" --access-logfile "$WORK/app$port.log" \
        --error-logfile "$WORK/app$port.err" survey.wsgi 2>"$WORK/app$port.stderr" &
    started+=($!)
done

# nginx with the compose configuration, pointed at the two instances and at $WORK.
mkdir -p "$WORK/nginx"
sed -e "s|server web:8000;|server 127.0.0.1:$APP1; server 127.0.0.1:$APP2;|" \
    -e "s|/var/log/nginx/access.log|$WORK/nginx/access.log|" deploy/nginx/common.conf \
    >"$WORK/nginx/common.conf"
sed -e "s|/etc/nginx/errors|$PWD/deploy/nginx/errors|" deploy/nginx/proxy.inc >"$WORK/nginx/proxy.inc"
sed -e "s|listen 80 default_server;|listen 127.0.0.1:$PROXY default_server;|" \
    -e "s|/etc/nginx/snippets/proxy.inc|$WORK/nginx/proxy.inc|" deploy/nginx/http.conf \
    >"$WORK/nginx/site.conf"
# As root, nginx's workers run as nobody, who cannot read a checkout in a private directory.
NGINX_USER=$([ "$(id -u)" = 0 ] && echo "user root;" || true)
cat >"$WORK/nginx/nginx.conf" <<CONF
$NGINX_USER
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

if want 1; then
    echo "== 1. limits, slow clients, tokens in logs"
    $PY bench/production_checks.py --proxy "http://127.0.0.1:$PROXY" --app1 "$APP1" \
        --app1-pid "$WORK/app$APP1.pid" --logs "$WORK" || failed+=(1)
fi
if want 2; then
    echo "== 2. submissions through nginx, a worker killed (kill -9) and PostgreSQL restarted"
    $PY bench/production_load.py submits --proxy "http://127.0.0.1:$PROXY" \
        --tokens "$WORK/tokens.txt" --started "$WORK/started.json" --work "$WORK" \
        --app1-pid "$WORK/app$APP1.pid" --rate "${SUBMIT_RATE:-110}" \
        --seconds "${SUBMIT_SECONDS:-40}" \
        --restart-db "$RESTART_PG" || failed+=(2)
    echo "Django's error log: $(cat "$WORK"/app*.stderr | grep -c '^Service Unavailable:') \"Service" \
        "Unavailable\", $(cat "$WORK"/app*.stderr | grep -c '^Internal Server Error:') \"Internal Server Error\""
fi
if want 3; then
    echo "== 3. survey page and submission throughput (wrk through nginx)"
    $PY bench/production_load.py pages --proxy "http://127.0.0.1:$PROXY" \
        --started "$WORK/started.json" --seconds 20 --connections 16 --work "$WORK" || failed+=(3)
fi
if want 4; then
    echo "== 4. 2,000 people pasted at once (bench/email_rehearsal.py)"
    # bench/email_rehearsal.py comes from the emails branch: the add-people page in-process,
    # its own db_worker and SMTP sink, a database of its own on this cluster.
    if [ -f bench/email_rehearsal.py ]; then
        $PY bench/email_rehearsal.py --postgres "$PG" || failed+=(4)
    else
        echo "skipped: bench/email_rehearsal.py is not on this branch"
    fi
fi
if want 5; then
    echo "== 5. backup and restore"
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
fi
if [ ${#failed[@]} -gt 0 ]; then echo "FAILED phases: ${failed[*]}"; exit 1; fi
