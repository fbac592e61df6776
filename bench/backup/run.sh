#!/usr/bin/env bash
# Benchmark: 'backup create' against a plain pg_basebackup with the same settings, and
# 'backup verify' throughput against 'zstd -dc | tar -t' on the same file. One run, alternating
# the tools, on pgbench databases of at least 500 MB (one row per scale). Writes
# bench/backup/RESULTS.md.
#   usage: bench/backup/run.sh [ROUNDS] ["PGBENCH_SCALES"]    (default: 5 "40 200")
set -euo pipefail
ROUNDS=${1:-5}
SCALES=${2:-"40 200"}
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../lib.sh"

[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q package -DskipTests)
# the launcher users run (bin/pitr-console: the jar with a class-data-sharing archive)
PITR=$ROOT/bin/pitr-console
WORKDIR=$(mktemp -d /tmp/pitr-bench-backup.XXXXXX)
# a class archive of its own, recorded by the untimed first run below
export XDG_CACHE_HOME=$WORKDIR/cache
trap 'bench_cluster_stop; rm -rf "$WORKDIR"' EXIT
bench_cluster_start "$WORKDIR"

SETTINGS=(--format=tar --wal-method=stream --progress --no-password --manifest-checksums=CRC32C --checkpoint=fast --compress=client-zstd)
ROWS=(); RAW=()
for SCALE in $SCALES; do
  "$PG_BIN/pgbench" -i -q -s "$SCALE" postgres >/dev/null 2>&1
  "$PG_BIN/psql" -qAt -c "CHECKPOINT" postgres
  DB_MB=$(( $("$PG_BIN/psql" -qAt -c "SELECT sum(pg_database_size(oid)) FROM pg_database" postgres) / 1024 / 1024 ))
  echo "scale $SCALE: database size $DB_MB MB"
  # one untimed run of each first: warms the page cache for both and trains the launcher's class archive
  rm -rf "$WORKDIR/plain"; "$PG_BIN/pg_basebackup" -D "$WORKDIR/plain" "${SETTINGS[@]}" 2>/dev/null
  "$PITR" backup create --archive "$ARCHIVE" --compress zstd >/dev/null
  plain=(); ours=(); extra=()
  for i in $(seq 1 "$ROUNDS"); do
    # Each run starts with the page cache's dirty pages written out, so neither tool pays for the
    # other's write-back; the order alternates so neither always runs second.
    for tool in $( ((i % 2)) && echo "plain ours" || echo "ours plain"); do
      rm -rf "$WORKDIR/plain"; sync
      if [ "$tool" = plain ]; then
        t0=$(now); "$PG_BIN/pg_basebackup" -D "$WORKDIR/plain" "${SETTINGS[@]}" 2>/dev/null; t1=$(now)
        plain+=("$(elapsed "$t0" "$t1")")
      else
        t0=$(now); "$PITR" backup create --archive "$ARCHIVE" --compress zstd >/dev/null; t1=$(now)
        ours+=("$(elapsed "$t0" "$t1")")
      fi
    done
    extra+=("$(python3 -c "print(f'{${ours[-1]} - ${plain[-1]}:.3f}')")")
    echo "  round $i: pg_basebackup ${plain[-1]} s, backup create ${ours[-1]} s"
    # keep the disk from filling: only the newest of our backups is needed for the verify part
    ls -d "$ARCHIVE"/backup_2*/ | head -n -1 | xargs -r rm -rf
  done
  ID=$(basename "$(ls -d "$ARCHIVE"/backup_2*/ | tail -1)")
  TAR=$ARCHIVE/$ID/base.tar.zst
  ORIG=$(python3 -c "import json; print(json.load(open('$ARCHIVE/$ID/backup.json'))['originalSizeBytes'])")
  ver=(); ztar=()
  for i in $(seq 1 "$ROUNDS"); do
    t0=$(now); "$PITR" backup verify "$ID" --archive "$ARCHIVE" >/dev/null; t1=$(now)
    ver+=("$(elapsed "$t0" "$t1")")
    t0=$(now); zstd -dc "$TAR" | tar -t >/dev/null; t1=$(now)
    ztar+=("$(elapsed "$t0" "$t1")")
    echo "  round $i: backup verify ${ver[-1]} s, zstd -dc | tar -t ${ztar[-1]} s"
  done
  MP=$(median "${plain[@]}"); MO=$(median "${ours[@]}"); MX=$(median "${extra[@]}")
  MV=$(median "${ver[@]}"); MZ=$(median "${ztar[@]}")
  MBPS_V=$(python3 -c "print(f'{$ORIG / 1e6 / $MV:.0f}')")
  MBPS_Z=$(python3 -c "print(f'{$ORIG / 1e6 / $MZ:.0f}')")
  ROWS+=("| $SCALE | $DB_MB MB | $MP s | $MO s | $MX s | **$(ratio "$MO" "$MP")** | $MZ s ($MBPS_Z MB/s) | $MV s ($MBPS_V MB/s) | $(ratio "$MV" "$MZ") |")
  RAW+=("- scale $SCALE: pg_basebackup ${plain[*]}; backup create ${ours[*]}; zstd -dc | tar -t ${ztar[*]}; backup verify ${ver[*]}")
  rm -rf "$ARCHIVE"/backup_2*/
done

{
  echo "# Backup benchmark results"
  echo
  echo "Recorded $(date -u +%Y-%m-%dT%H:%MZ) by \`bench/backup/run.sh $ROUNDS \"$SCALES\"\` on $(nproc) cores,"
  echo "$(free -g | awk '/Mem:/{print $2}') GB RAM, $("$PG_BIN/postgres" --version), $(java -version 2>&1 | head -1)."
  echo "Databases: pgbench at each scale; compression client-side zstd, fast checkpoint, streamed WAL, CRC32C"
  echo "manifest; both tools write to the same disk, each run starts after a sync, and the rounds alternate"
  echo "which tool goes first. Times for"
  echo "pitr-console are whole commands through its launcher bin/pitr-console, JVM start included. Medians of $ROUNDS rounds; the machine is shared"
  echo "and noisy, so read the ratios, not the seconds."
  echo
  echo "| scale | database | pg_basebackup | backup create | extra time | create ratio | zstd -dc \\| tar -t | backup verify | verify ratio |"
  echo "|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "Extra time is the median over rounds of (backup create - pg_basebackup) in the same round."
  echo "Throughput is uncompressed database bytes per second. backup verify does more than tar -t: it"
  echo "checksums every file (CRC32C), compares it with the manifest and checks the WAL range."
  echo
  echo "Raw seconds per round:"
  echo
  printf '%s\n' "${RAW[@]}"
} > "$HERE/RESULTS.md"
cat "$HERE/RESULTS.md"
