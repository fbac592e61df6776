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
