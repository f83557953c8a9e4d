#!/usr/bin/env bash
# Production rehearsal on 127.0.0.1: Debian's nginx (deploy/nginx/, as in compose) in front
# of two gunicorn instances (deploy/gunicorn.conf.py, 3 sync workers each), a Redis and a
# PostgreSQL cluster of its own (initdb into a temp dir, restarted by the load phase; the
# machine's PostgreSQL and Redis are never touched). Phase 6 rehearses faults one at a time
# under load (a whole instance killed, PostgreSQL crashed, Redis killed, nginx reloaded, a
# full disk under the cluster's own tmpfs, the task worker killed mid-batch). Bounded: each phase has a fixed count
# and time limit; a run takes 7-14 minutes (busy machine). Needs: apt-get install
# nginx-light redis-server postgresql wrk (and pgbouncer for SCALE_OUT=1). Figures go to
# stdout (bench/README.md).
#
#   bash bench/production.sh
#   SCALE_OUT=1 bash bench/production.sh     # three instances, PgBouncer (transaction mode)
#                                            # between them and PostgreSQL, as on Kubernetes
#   WEB_CONCURRENCY=4 GUNICORN_THREADS=2 bash bench/production.sh   # other worker shapes
#   SUBMIT_RATE=110 SUBMIT_SECONDS=40 bash bench/production.sh      # the load phase's pace
#   PHASES="2 3" bash bench/production.sh                           # only some phases
#   PHASES=6 bash bench/production.sh     # the fault rehearsal alone: its table at the end
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-$PWD/.venv}  # e.g. VENV=/work/main/.venv PYTHONPATH=$PWD from a worktree
PY=$VENV/bin/python
DB=rehearsal
PROXY=${PROXY_PORT:-8590}; APP1=$((PROXY + 1)); REDIS=$((PROXY + 3))
PGPORT=${PG_PORT:-55432}
# The scale-out run: three instances, and the app reaches PostgreSQL through PgBouncer in
# transaction mode (DISABLE_SERVER_SIDE_CURSORS=1) with fewer
# server connections than app connections, so transactions share them.
if [ -n "${SCALE_OUT:-}" ]; then INSTANCES=${INSTANCES:-3}; PGBOUNCER=${PGBOUNCER:-1}; fi
INSTANCES=${INSTANCES:-2}; PGBOUNCER=${PGBOUNCER:-0}
PGB_PORT=$((PGPORT + 1)); PGB_POOL=${PGB_POOL:-6}
APPS=()
for i in $(seq "$INSTANCES"); do APPS+=($((PROXY + i + (i >= 3 ? 1 : 0)))); done
THREADS=${GUNICORN_THREADS:-1}
WORK=$(mktemp -d /tmp/sm-rehearsal.XXXXXX)
chmod 755 "$WORK"  # the postgres user reaches its data directory inside
want() { [[ " ${PHASES:-1 2 3 4 5 6} " == *" $1 "* ]]; }
PGBIN=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d | sort -V | tail -n 1)
PGDATA=$WORK/pg
# Phase 6's full disk: as root, the cluster lives on a small tmpfs of its own that the
# rehearsal fills (FULL_DISK=0 to skip; never the machine's disks).
DISK=""
if want 6 && [ "$(id -u)" = 0 ] && [ "${FULL_DISK:-1}" = 1 ]; then
    DISK=$WORK/disk
    mkdir -m 755 "$DISK"
    mount -t tmpfs -o size=${DISK_SIZE:-512m},mode=755 rehearsal-pg "$DISK" || DISK=""
    [ -n "$DISK" ] && PGDATA=$DISK/pg
fi
PG=postgres://postgres@127.0.0.1:$PGPORT
for port in "$PROXY" "${APPS[@]}" "$REDIS" "$PGPORT" "$PGB_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "port $port is in use: choose others with PROXY_PORT and PG_PORT" >&2; exit 1
    fi
done

# initdb refuses to run as root: then the cluster belongs to the postgres user.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_ctl() { as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" "$@"; }
PGCTL="$PGBIN/pg_ctl -D $PGDATA -l $PGDATA/server.log"
[ "$(id -u)" = 0 ] && PGCTL="runuser -u postgres -- $PGCTL"
RESTART_PG="$PGCTL -m immediate -w restart"

failed=()
started=()
cleanup() {
    [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
    [ -f "$WORK/pgbouncer/pgbouncer.pid" ] && kill "$(cat "$WORK/pgbouncer/pgbouncer.pid")" 2>/dev/null || true
    for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
    # Instances and Redis started again by phase 6 (daemons): their pid files.
    for pidfile in "$WORK"/app*.pid "$WORK/redis.pid"; do
        [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    [ -f "$PGDATA/postmaster.pid" ] && pg_ctl -m immediate stop >/dev/null 2>&1 || true
    if [ -n "$DISK" ]; then
        rm -f "$DISK"/filler*
        umount "$DISK" 2>/dev/null || { sleep 2; umount "$DISK" || true; }
    fi
    [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"  # KEEP_WORK=1 keeps the logs to read
}
trap cleanup EXIT

export DATABASE_URL=$PG/$DB REDIS_URL=redis://127.0.0.1:$REDIS/5 TASKS_BACKEND=database
export NUM_PROXIES=1 HTTPS=0 DEBUG=0 ALLOWED_HOSTS=127.0.0.1 SITE_URL=http://127.0.0.1:$PROXY
export SECRET_KEY=rehearsal-$RANDOM$RANDOM$RANDOM-not-for-production
export WEB_CONCURRENCY=${WEB_CONCURRENCY:-3} LOG_LEVEL=WARNING
export EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend

echo "== $(date -u '+%F %H:%M UTC'), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GB RAM," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg); gunicorn: $INSTANCES instances x" \
    "$WEB_CONCURRENCY workers x $THREADS threads;" \
    "$([ "$PGBOUNCER" = 1 ] && echo "PgBouncer (transaction mode, $PGB_POOL server connections)" || echo "no PgBouncer");" \
    "setting up in $WORK"
if [ "$(id -u)" = 0 ]; then install -d -o postgres -m 700 "$PGDATA"; else mkdir -m 700 "$PGDATA"; fi
as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --no-instructions >/dev/null
cat >>"$PGDATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$PGDATA'
max_connections = 100
cluster_name = 'rehearsal'
CONF
# On the small tmpfs: WAL kept well inside it.
[ -n "$DISK" ] && printf "max_wal_size = 96MB\nmin_wal_size = 32MB\n" >>"$PGDATA/postgresql.conf"
pg_ctl -w start >/dev/null
psql -q "$PG/postgres" -c "CREATE DATABASE $DB"
START_REDIS="redis-server --bind 127.0.0.1 --port $REDIS --save '' --appendonly no --daemonize yes --pidfile $WORK/redis.pid --logfile $WORK/redis.log"
bash -c "$START_REDIS"
$PY manage.py migrate --no-input -v 0
$PY manage.py collectstatic --no-input -v 0
$PY manage.py demo --base-url "http://127.0.0.1:$PROXY" >/dev/null
$PY manage.py shell -v 0 -c "
from django.contrib.auth import get_user_model
User = get_user_model()
User.objects.create_user('owner@rehearsal.test', 'owner@rehearsal.test', 'the-right-passphrase-1')"
FAULT_PEOPLE=${FAULT_PEOPLE:-1500}
$PY bench/production_load.py seed --people $((${SUBMIT_PEOPLE:-6000} + FAULT_PEOPLE)) --tokens "$WORK/all-tokens.txt"
head -n "${SUBMIT_PEOPLE:-6000}" "$WORK/all-tokens.txt" >"$WORK/tokens.txt"
tail -n "$FAULT_PEOPLE" "$WORK/all-tokens.txt" >"$WORK/fault-tokens.txt"

APP_ENV=()
if [ "$PGBOUNCER" = 1 ]; then
    # PgBouncer refuses to run as root: as the cluster, the postgres user.
    if [ "$(id -u)" = 0 ]; then install -d -o postgres "$WORK/pgbouncer"; else mkdir "$WORK/pgbouncer"; fi
    echo '"postgres" ""' >"$WORK/pgbouncer/userlist.txt"
    cat >"$WORK/pgbouncer/pgbouncer.ini" <<CONF
[databases]
$DB = host=127.0.0.1 port=$PGPORT dbname=$DB
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGB_PORT
unix_socket_dir =
auth_type = trust
auth_file = $WORK/pgbouncer/userlist.txt
admin_users = postgres
pool_mode = transaction
default_pool_size = $PGB_POOL
max_client_conn = 500
server_reset_query =
ignore_startup_parameters = extra_float_digits
; After PostgreSQL restarts, try to log in again within a second, not 15 s (the default),
; which kept refusing the app for 15 s after PostgreSQL was back (the first run's 503s).
server_login_retry = 1
logfile = $WORK/pgbouncer/pgbouncer.log
pidfile = $WORK/pgbouncer/pgbouncer.pid
CONF
    as_pg pgbouncer -d -q "$WORK/pgbouncer/pgbouncer.ini"
    for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$PGB_PORT") 2>/dev/null && break; sleep 0.1; done
    # Only the app goes through PgBouncer; the checks read PostgreSQL directly.
    APP_ENV=(DATABASE_URL="postgres://postgres@127.0.0.1:$PGB_PORT/$DB"
             DISABLE_SERVER_SIDE_CURSORS=1)
fi
# One instance: `bash $WORK/start_app.sh PORT` (phase 6 starts a killed one again, --daemon).
cat >"$WORK/start_app.sh" <<SCRIPT
port=\$1; shift
exec env ${APP_ENV[*]} "$VENV/bin/gunicorn" -c deploy/gunicorn.conf.py --bind "127.0.0.1:\$port" \\
    --threads "$THREADS" --pid "$WORK/app\$port.pid" --access-logfile "$WORK/app\$port.log" \\
    --error-logfile "$WORK/app\$port.err" "\$@" survey.wsgi 2>>"$WORK/app\$port.stderr"
SCRIPT
for port in "${APPS[@]}"; do
    bash "$WORK/start_app.sh" "$port" &
    started+=($!)
done

# nginx with the compose configuration (deploy/nginx/nginx.conf and the rest), pointed at the
# instances and at $WORK; its error log through the redactor, as compose's proxy-log runs it.
mkdir -p "$WORK/nginx"
$PY deploy/nginx/error_log.py "$WORK/nginx/error.sock" >"$WORK/nginx/error-redacted.log" 2>/dev/null &
started+=($!)
UPSTREAMS=$(for port in "${APPS[@]}"; do printf 'server 127.0.0.1:%s max_fails=0; ' "$port"; done)
sed -e "s|server web:8000 max_fails=0;|$UPSTREAMS|" \
    -e "s|/var/log/nginx/access.log|$WORK/nginx/access.log|" \
    -e "s|/var/run/nginx-log/error.sock|$WORK/nginx/error.sock|" deploy/nginx/common.conf \
    >"$WORK/nginx/common.conf"
grep -q "server 127.0.0.1:$APP1 max_fails=0;" "$WORK/nginx/common.conf"  # the upstream matched
sed -e "s|/etc/nginx/errors/|$PWD/deploy/nginx/errors/|" deploy/nginx/errors.inc >"$WORK/nginx/errors.inc"
sed -e "s|/etc/nginx/snippets/errors.inc|$WORK/nginx/errors.inc|" deploy/nginx/proxy.inc >"$WORK/nginx/proxy.inc"
sed -e "s|listen 80 default_server;|listen 127.0.0.1:$PROXY default_server;|" \
    -e "s|/etc/nginx/snippets/proxy.inc|$WORK/nginx/proxy.inc|" deploy/nginx/http.conf \
    >"$WORK/nginx/site.conf"
# As root, nginx's workers run as nobody, who cannot read a checkout in a private directory.
NGINX_USER=$([ "$(id -u)" = 0 ] && echo "user root;" || true)
sed -e "s|^user nginx;|$NGINX_USER|" -e "s|/var/run/nginx.pid|$WORK/nginx.pid|" \
    -e "s|/var/log/nginx/error.log|$WORK/nginx/error.log|" \
    -e "s|include /etc/nginx/conf.d/\*.conf;|client_body_temp_path $WORK/nginx/body; proxy_temp_path $WORK/nginx/proxy; include $WORK/nginx/common.conf; include $WORK/nginx/site.conf;|" \
    deploy/nginx/nginx.conf >"$WORK/nginx/nginx.conf"
nginx -c "$WORK/nginx/nginx.conf"

for _ in $(seq 60); do
    curl -fsS -o /dev/null "http://127.0.0.1:$PROXY/health/" 2>/dev/null && break
    sleep 0.5
done

if [ "$PGBOUNCER" = 1 ]; then
    # PgBouncer's pools each second: clients (the app's connections) and the server
    # connections they share; read after the phases.
    ( while sleep 1; do
        psql -q --csv "postgres://postgres@127.0.0.1:$PGB_PORT/pgbouncer" -c "SHOW POOLS" 2>/dev/null |
            grep -v '^database,' | grep "^$DB," || true
      done >"$WORK/pgbouncer/pools.csv" ) &
    started+=($!)
    psql -q --csv "postgres://postgres@127.0.0.1:$PGB_PORT/pgbouncer" -c "SHOW POOLS" |
        head -n 1 >"$WORK/pgbouncer/pools.header"
fi

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
if want 6; then
    echo "== 6. faults under load, one window each: the fault at a third, recovery after ${FAULT_HOLD:-5} s"
    up() { echo "for _ in \$(seq 240); do curl -fsS -o /dev/null $1 && exit 0; sleep 0.25; done; exit 1"; }
    APP_UP=$(up "http://127.0.0.1:$APP1/health/")
    FAULTS=(
        --fault "a whole instance killed (kill -9 of its master and workers)" \
            "master=\$(cat $WORK/app$APP1.pid); kill -9 \$master \$(pgrep -P \$master)" \
            "bash $WORK/start_app.sh $APP1 --daemon; $APP_UP"
        --fault "PostgreSQL crash (pg_ctl stop -m immediate), started again" \
            "$PGCTL -m immediate stop" "$PGCTL -w start"
        --fault "Redis killed (kill -9), started again" \
            "kill -9 \$(cat $WORK/redis.pid)" "$START_REDIS"
        --fault "nginx reloaded 3 times (nginx -s reload, 2 s apart)" \
            "for n in 1 2 3; do nginx -c $WORK/nginx/nginx.conf -s reload; sleep 2; done" ""
    )
    [ "${FAULT_WEB:-1}" = 1 ] || FAULTS=()  # FAULT_WEB=0: only the task worker's fault
    if [ -n "$DISK" ] && [ "${FAULT_WEB:-1}" = 1 ]; then
        # Fill the cluster's own tmpfs to the last byte, hold, free it; PostgreSQL started
        # again only if it stopped (as compose's restart policy would).
        FAULTS+=(--fault "full disk under PostgreSQL (its own ${DISK_SIZE:-512m} tmpfs filled), then freed" \
            "dd if=/dev/zero of=$DISK/filler bs=1M 2>/dev/null; dd if=/dev/zero of=$DISK/filler2 bs=4k 2>/dev/null; df -h $DISK | tail -n 1 >$WORK/disk-full.txt; true" \
            "rm -f $DISK/filler $DISK/filler2; $PGCTL status >/dev/null || $PGCTL -w start; $(up "http://127.0.0.1:$PROXY/health/")")
    fi
    $PY bench/production_load.py faults --proxy "http://127.0.0.1:$PROXY" \
        --tokens "$WORK/fault-tokens.txt" --rate "${FAULT_RATE:-8}" --seconds "${FAULT_SECONDS:-24}" \
        --hold "${FAULT_HOLD:-5}" --invitations "${FAULT_INVITATIONS:-300}" --arrivals "$WORK/mail-arrivals.txt" --kill-when "${FAULT_MAIL_KILL:-random}" ${FAULTS[@]+"${FAULTS[@]}"} || failed+=(6)
    [ -f "$WORK/disk-full.txt" ] && echo "disk when full: $(cat "$WORK/disk-full.txt")"
    grep -h "No space left\|PANIC\|could not extend" "$PGDATA"/server.log 2>/dev/null | head -n 5 || true
    echo "Django's error log: $(cat "$WORK"/app*.stderr | grep -c '^Service Unavailable:') \"Service" \
        "Unavailable\", $(cat "$WORK"/app*.stderr | grep -c '^Internal Server Error:') \"Internal Server Error\""
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
if [ "$PGBOUNCER" = 1 ]; then
    echo "== PgBouncer (transaction mode, default_pool_size $PGB_POOL)"
    psql -q --csv "postgres://postgres@127.0.0.1:$PGB_PORT/pgbouncer" -c "SHOW STATS" >"$WORK/pgbouncer/stats.csv"
    $PY - "$WORK/pgbouncer" "$DB" <<'PYTHON'
import csv, sys
from pathlib import Path
work, db = Path(sys.argv[1]), sys.argv[2]
header = (work / "pools.header").read_text().strip().split(",")
pools = [dict(zip(header, row)) for row in csv.reader((work / "pools.csv").open()) if row]
servers = [sum(int(p.get(k) or 0) for k in ("sv_active", "sv_idle", "sv_used", "sv_tested", "sv_login")) for p in pools]
clients = [int(p["cl_active"]) + int(p["cl_waiting"]) for p in pools]
waiting = [int(p["cl_waiting"]) for p in pools]
stats = next(r for r in csv.DictReader((work / "stats.csv").open()) if r["database"] == db)
print(f"{len(pools)} samples: app connections to PgBouncer at most {max(clients, default=0)}, "
      f"server connections to PostgreSQL at most {max(servers, default=0)}, clients waiting "
      f"for one at most {max(waiting, default=0)}; {stats['total_xact_count']} transactions, "
      f"{stats['total_query_count']} queries; waiting for a server connection "
      f"{int(stats['total_wait_time']) / 1e6:.1f} s in all, "
      f"{int(stats['total_wait_time']) / 1000 / max(1, int(stats['total_xact_count'])):.1f} ms "
      f"a transaction on average (PostgreSQL's restart included)")
PYTHON
fi
if [ ${#failed[@]} -gt 0 ]; then echo "FAILED phases: ${failed[*]}"; exit 1; fi
