#!/usr/bin/env bash
# Builds (once) what bench/restore/run.sh restores: a pgbench database of the given scale with
# both archives (ours, and pgBackRest's when installed), a client-side zstd backup by each tool,
# then pgbench writes until at least WAL_AFTER segments are archived after the backups. The
# cluster is stopped at the end and archiving into the bench archives is switched off (the
# in-place round's restored server would otherwise archive a new timeline into them).
#   usage: bench/restore/build.sh DIR SCALE WAL_AFTER
# DIR/ready marks a finished build; run.sh reuses it (delete DIR to build afresh).
set -euo pipefail
DIR=$1
SCALE=$2
WAL_AFTER=$3
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../lib.sh"

[ -f "$DIR/ready" ] && exit 0
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q package -DskipTests)
PITR=$ROOT/bin/pitr-console
rm -rf "$DIR"
mkdir -p "$DIR"
chmod 755 "$DIR"
trap 'bench_cluster_stop' EXIT
bench_cluster_start "$DIR"
OFF=$DIR/archiving-off
# archiving into the bench archives stops for good once OFF exists (written at the end of the build)
ARCHIVE_CMD="test -f $OFF || { test -f $ARCHIVE/wal_archive/%f || { cp %p $ARCHIVE/wal_archive/%f.tmp && mv $ARCHIVE/wal_archive/%f.tmp $ARCHIVE/wal_archive/%f; }; }"

if command -v pgbackrest >/dev/null 2>&1; then
  PGBR_CONF=$DIR/pgbackrest.conf
  mkdir -p "$DIR/pgbr-repo" "$DIR/pgbr-log" "$DIR/pgbr-lock" "$DIR/pgbr-spool"
  cat > "$PGBR_CONF" <<CONF
[global]
repo1-path=$DIR/pgbr-repo
log-path=$DIR/pgbr-log
lock-path=$DIR/pgbr-lock
spool-path=$DIR/pgbr-spool
compress-type=zst
process-max=2
start-fast=y
log-level-console=warn
repo1-retention-full=9

[bench]
pg1-path=$DATA
pg1-port=$PGPORT
pg1-socket-path=$DIR
pg1-user=postgres
CONF
  [ "$(id -u)" = 0 ] && chown -R postgres "$DIR"
  ARCHIVE_CMD="test -f $OFF || { { test -f $ARCHIVE/wal_archive/%f || { cp %p $ARCHIVE/wal_archive/%f.tmp && mv $ARCHIVE/wal_archive/%f.tmp $ARCHIVE/wal_archive/%f; }; } && pgbackrest --config=$PGBR_CONF --stanza=bench archive-push %p; }"
  as_server pgbackrest --config="$PGBR_CONF" --stanza=bench stanza-create
fi
"$PG_BIN/psql" -qAt -c "ALTER SYSTEM SET archive_command = '$ARCHIVE_CMD'" postgres
"$PG_BIN/psql" -qAt -c "SELECT pg_reload_conf()" postgres >/dev/null

"$PG_BIN/pgbench" -i -q -s "$SCALE" postgres >/dev/null 2>&1
"$PG_BIN/psql" -qAt -c "CHECKPOINT" postgres
echo "$(( $("$PG_BIN/psql" -qAt -c "SELECT sum(pg_database_size(oid)) FROM pg_database" postgres) / 1024 / 1024 ))" > "$DIR/db-mb"
echo "scale $SCALE: database size $(cat "$DIR/db-mb") MB"
"$PITR" backup create --archive "$ARCHIVE" --compress zstd >/dev/null
if [ -n "${PGBR_CONF:-}" ]; then
  as_server pgbackrest --config="$PGBR_CONF" --stanza=bench --type=full backup
fi
# WAL after the backups for recovery to replay
bench_grow_wal $(( $(bench_segment_count) + WAL_AFTER ))
bench_archive_current_segment
if [ -n "${PGBR_CONF:-}" ]; then
  # archive-push has taken every segment ours has: wait until pgBackRest's archive is as far
  last=$(bench_segments | tail -1)
  for _ in $(seq 1 600); do
    ls -R "$DIR/pgbr-repo/archive" | grep -q "^$last-" && break
    sleep 0.2
  done
fi
echo "$PGPORT" > "$DIR/port"
touch "$OFF"
"$PG_BIN/psql" -qAt -c "SELECT pg_reload_conf()" postgres >/dev/null
bench_cluster_stop
[ "$(id -u)" = 0 ] && chown -R postgres "$DIR"
touch "$DIR/ready"
echo "built $DIR: $(bench_segment_count) WAL files archived"
