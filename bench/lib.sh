# Shared helpers for the benchmarks: a throw-away PostgreSQL 15 cluster with WAL archiving on.
# Sourced by bench/*/run.sh. Runs the server as the postgres OS user when started as root.

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=$ROOT/target/pitr-console.jar

as_server() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# bench_cluster_start WORKDIR: initdb + start; sets PGPORT, DATA, ARCHIVE
bench_cluster_start() {
  WORK=$1
  mkdir -p "$WORK/archive/wal_archive"
  DATA=$WORK/data
  ARCHIVE=$WORK/archive
  PGPORT=$(free_port)
  [ "$(id -u)" = 0 ] && chown -R postgres "$WORK"
  as_server "$PG_BIN/initdb" -D "$DATA" -U postgres --auth=trust --no-sync >/dev/null
  cat >> "$DATA/postgresql.conf" <<CONF
port = $PGPORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$WORK'
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $ARCHIVE/wal_archive/%f && cp %p $ARCHIVE/wal_archive/%f.tmp && mv $ARCHIVE/wal_archive/%f.tmp $ARCHIVE/wal_archive/%f'
max_wal_senders = 10
shared_buffers = 256MB
max_wal_size = 4GB
log_timezone = 'UTC'
CONF
  as_server "$PG_BIN/pg_ctl" -D "$DATA" -l "$WORK/server.log" -w start >/dev/null
  export PGPORT PGHOST=127.0.0.1 PGUSER=postgres
}

bench_cluster_stop() {
  as_server "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
}

# seconds since epoch with nanoseconds
now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2 - $1:.3f}')"; }
median() { python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])):.3f}')" "$@"; }
ratio() { python3 -c "print(f'{$1 / $2:.3f}')"; }

# The bench cluster's archived WAL segments in order, and how many there are.
bench_segments() { ls "$ARCHIVE/wal_archive" | grep -E '^[0-9A-F]{24}$' | sort; }
bench_segment_count() { bench_segments | wc -l; }

# bench_grow_wal N: runs pgbench (already initialised) until N segments are archived. A checkpoint
# before each run makes pgbench's updates write full-page images, so the WAL grows fast.
bench_grow_wal() {
  while [ "$(bench_segment_count)" -lt "$1" ]; do
    "$PG_BIN/psql" -qAt -c "CHECKPOINT" postgres
    "$PG_BIN/pgbench" -n -c 4 -j 2 -T 15 postgres >/dev/null 2>&1
    echo "  $(bench_segment_count) segments archived"
  done
}

# bench_archive_current_segment: switches to a new segment and waits (up to a minute) until the
# archiver has taken the one it closed.
bench_archive_current_segment() {
  local last
  "$PG_BIN/psql" -qAt -c "SELECT pg_switch_wal()" postgres >/dev/null
  last=$("$PG_BIN/psql" -qAt -c "SELECT last_archived_wal FROM pg_stat_archiver" postgres)
  for _ in $(seq 1 600); do
    [ "$("$PG_BIN/psql" -qAt -c "SELECT last_archived_wal FROM pg_stat_archiver" postgres)" != "$last" ] && break
    sleep 0.1
  done
}

# timed CMD...: runs CMD with stdout to $OUT (default: discarded) and stderr added to
# $WORKDIR/stderr; sets WALL and CPU (user+sys seconds, all threads). Needs /usr/bin/time.
timed() {
  local t0 t1
  t0=$(now)
  /usr/bin/time -f "%U %S" -o "$WORKDIR/cpu" "$@" >"${OUT:-/dev/null}" 2>>"$WORKDIR/stderr" || true
  t1=$(now)
  WALL=$(elapsed "$t0" "$t1")
  CPU=$(python3 -c "import sys; u, s = open(sys.argv[1]).read().split()[-2:]; print(f'{float(u) + float(s):.2f}')" "$WORKDIR/cpu")
}
