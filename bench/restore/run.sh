#!/usr/bin/env bash
# Benchmark: the extract step of 'restore run' against 'zstd -dc | tar -x' of the same tars (both
# tars at once, as restore run does), and a full rehearsal's wall time broken into its steps; with
# pgBackRest installed, its full restore of the same database (restore, start, replay to the end of
# the archive, promoted) in the same table. One run, rounds alternating the tools. Writes
# bench/restore/RESULTS.md.
#   usage: bench/restore/run.sh [ROUNDS] [PGBENCH_SCALE]    (default: 3 40, about 600 MB)
set -euo pipefail
ROUNDS=${1:-3}
SCALE=${2:-40}
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../lib.sh"

[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q package -DskipTests)
PITR=$ROOT/bin/pitr-console
WORKDIR=$(mktemp -d /tmp/pitr-bench-restore.XXXXXX)
chmod 755 "$WORKDIR"
trap 'bench_cluster_stop; rm -rf "$WORKDIR"' EXIT
bench_cluster_start "$WORKDIR"
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }

HAVE_PGBR=0
if command -v pgbackrest >/dev/null 2>&1; then
  HAVE_PGBR=1
  PGBR_CONF=$WORKDIR/pgbackrest.conf
  mkdir -p "$WORKDIR/pgbr-repo" "$WORKDIR/pgbr-log" "$WORKDIR/pgbr-lock" "$WORKDIR/pgbr-spool"
  cat > "$PGBR_CONF" <<CONF
[global]
repo1-path=$WORKDIR/pgbr-repo
log-path=$WORKDIR/pgbr-log
lock-path=$WORKDIR/pgbr-lock
spool-path=$WORKDIR/pgbr-spool
compress-type=zst
process-max=2
start-fast=y
log-level-console=warn
repo1-retention-full=9

[bench]
pg1-path=$DATA
pg1-port=$PGPORT
pg1-socket-path=$WORKDIR
pg1-user=postgres
CONF
  [ "$(id -u)" = 0 ] && chown -R postgres "$WORKDIR"
  # both archives get every segment: ours by cp, pgBackRest's by archive-push
  "$PG_BIN/psql" -qAt -c "ALTER SYSTEM SET archive_command = '{ test -f $ARCHIVE/wal_archive/%f || { cp %p $ARCHIVE/wal_archive/%f.tmp && mv $ARCHIVE/wal_archive/%f.tmp $ARCHIVE/wal_archive/%f; }; } && pgbackrest --config=$PGBR_CONF --stanza=bench archive-push %p'" postgres
  "$PG_BIN/psql" -qAt -c "SELECT pg_reload_conf()" postgres >/dev/null
  as_server pgbackrest --config="$PGBR_CONF" --stanza=bench stanza-create
fi

"$PG_BIN/pgbench" -i -q -s "$SCALE" postgres >/dev/null 2>&1
"$PG_BIN/psql" -qAt -c "CHECKPOINT" postgres
DB_MB=$(( $("$PG_BIN/psql" -qAt -c "SELECT sum(pg_database_size(oid)) FROM pg_database" postgres) / 1024 / 1024 ))
echo "scale $SCALE: database size $DB_MB MB"
"$PITR" backup create --archive "$ARCHIVE" --compress zstd >/dev/null
if [ $HAVE_PGBR = 1 ]; then
  as_server pgbackrest --config="$PGBR_CONF" --stanza=bench --type=full backup
fi
# some WAL after the backups for recovery to replay
"$PG_BIN/pgbench" -n -T 20 -c 2 postgres >/dev/null 2>&1
"$PG_BIN/psql" -qAt -c "SELECT pg_switch_wal()" postgres >/dev/null
sleep 3
WAL_FILES=$(ls "$ARCHIVE/wal_archive" | grep -c '^[0-9A-F]\{24\}$')
ID=$(basename "$(ls -d "$ARCHIVE"/backup_2*/ | tail -1)")
ORIG=$(json "$ARCHIVE/$ID/backup.json" "d['originalSizeBytes']")

# untimed warm-up of both: page cache and the launcher's class archive
"$PITR" restore run --latest --archive "$ARCHIVE" --json > "$WORKDIR/warm.json" || { cat "$WORKDIR/warm.json"; exit 1; }

ours=(); ext=(); ztar=(); pgbr=(); STEPS=(); plans=()
for i in $(seq 1 "$ROUNDS"); do
  t0=$(now); "$PITR" restore plan --latest --archive "$ARCHIVE" >/dev/null; t1=$(now)
  plans+=("$(elapsed "$t0" "$t1")")
  t0=$(now); "$PITR" restore run --latest --archive "$ARCHIVE" --json > "$WORKDIR/r.json"; t1=$(now)
  ours+=("$(elapsed "$t0" "$t1")")
  ext+=("$(json "$WORKDIR/r.json" "[s['seconds'] for s in d['steps'] if s['name']=='extract backup'][0]")")
  STEPS+=("$(json "$WORKDIR/r.json" "' / '.join(f\"{s['name']} {s['seconds']:.2f}\" for s in d['steps']) + f\" (RTO {d['rtoSeconds']:.2f})\"")")

  D=$WORKDIR/ref; rm -rf "$D"; mkdir -p "$D/pg_wal"
  t0=$(now)
  zstd -dc "$ARCHIVE/$ID/base.tar.zst" | tar -x -C "$D" &
  if [ -f "$ARCHIVE/$ID/pg_wal.tar.zst" ]; then zstd -dc "$ARCHIVE/$ID/pg_wal.tar.zst" | tar -x -C "$D/pg_wal" &
  else tar -x -C "$D/pg_wal" -f "$ARCHIVE/$ID/pg_wal.tar" & fi
  wait
  t1=$(now); ztar+=("$(elapsed "$t0" "$t1")")
  rm -rf "$D"

  if [ $HAVE_PGBR = 1 ]; then
    P=$WORKDIR/pgbr-restore; rm -rf "$P"; mkdir -m 700 "$P"; [ "$(id -u)" = 0 ] && chown postgres "$P"
    PORT2=$(free_port)
    t0=$(now)
    as_server pgbackrest --config="$PGBR_CONF" --stanza=bench --pg1-path="$P" --archive-mode=off restore
    as_server "$PG_BIN/pg_ctl" -D "$P" -l "$WORKDIR/pgbr-restore.log" -w -t 600 \
      -o "-p $PORT2 -c unix_socket_directories=$WORKDIR -c archive_mode=off -c cluster_name=pgbr-bench" start >/dev/null
    until [ "$("$PG_BIN/psql" -h "$WORKDIR" -p "$PORT2" -qAt -c 'SELECT pg_is_in_recovery()' postgres 2>/dev/null)" = f ]; do sleep 0.1; done
    t1=$(now); pgbr+=("$(elapsed "$t0" "$t1")")
    as_server "$PG_BIN/pg_ctl" -D "$P" -m immediate -w stop >/dev/null
    rm -rf "$P"
  fi
  echo "  round $i: restore run ${ours[-1]} s (extract ${ext[-1]} s), zstd -dc | tar -x ${ztar[-1]} s${pgbr:+, pgbackrest ${pgbr[-1]} s}"
done

ME=$(median "${ext[@]}"); MZ=$(median "${ztar[@]}"); MO=$(median "${ours[@]}")
MBPS_E=$(python3 -c "print(f'{$ORIG / 1e6 / $ME:.0f}')"); MBPS_Z=$(python3 -c "print(f'{$ORIG / 1e6 / $MZ:.0f}')")
{
  echo "# Restore benchmark results"
  echo
  echo "Recorded $(date -u +%Y-%m-%dT%H:%MZ) by \`bench/restore/run.sh $ROUNDS $SCALE\` on $(nproc) cores,"
  echo "$(free -g | awk '/Mem:/{print $2}') GB RAM, $("$PG_BIN/postgres" --version), $(java -version 2>&1 | head -1)."
  echo "Database: pgbench scale $SCALE ($DB_MB MB, $((ORIG / 1000000)) MB in the backup), backup with client-side zstd,"
  echo "then 20 s of pgbench writes: $WAL_FILES WAL files in the archive. Every restore goes to the end of the archived WAL"
  echo "(--latest) and is promoted. Medians of $ROUNDS rounds, rounds alternate the tools; the machine is shared and noisy,"
  echo "so read the ratios, not the seconds."
  echo
  echo "| what | median | ratio |"
  echo "|---|---|---|"
  echo "| \`zstd -dc base.tar.zst \\| tar -x\` and \`tar -x\` of pg_wal.tar (plain: pg_basebackup does not compress it), both at once | $MZ s ($MBPS_Z MB/s) | 1.000 |"
  echo "| extract step of \`restore run\` (same tars, streamed, in parallel) | $ME s ($MBPS_E MB/s) | **$(ratio "$ME" "$MZ")** |"
  echo "| full rehearsal \`restore run --latest\` (whole command, JVM start, sandbox removed) | $MO s | |"
  echo "| of which the plan (JVM start, WAL index update, windows, checks): \`restore plan --latest\` alone | $(median "${plans[@]}") s | |"
  if [ $HAVE_PGBR = 1 ]; then
    MP=$(median "${pgbr[@]}")
    echo "| pgBackRest $(pgbackrest version | awk '{print $2}') restore + start + replay until promoted (process-max=2) | $MP s | rehearsal / pgBackRest **$(ratio "$MO" "$MP")** |"
  fi
  echo
  echo "The rehearsal does more than pgBackRest's row: it also checks the restored cluster (databases,"
  echo "row count of every table in public, timeline), writes its report and removes the sandbox."
  echo
  echo "Rehearsal steps per round (seconds):"
  echo
  for s in "${STEPS[@]}"; do echo "- $s"; done
  echo
  echo "Raw seconds per round: restore run ${ours[*]}; restore plan ${plans[*]}; extract step ${ext[*]}; zstd -dc | tar -x ${ztar[*]}${pgbr:+; pgBackRest ${pgbr[*]}}"
} > "$HERE/RESULTS.md"
cat "$HERE/RESULTS.md"
