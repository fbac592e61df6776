#!/usr/bin/env bash
# Benchmark: 'backup create' against a plain pg_basebackup with the same settings, and
# 'backup verify' throughput against 'zstd -dc | tar -t' on the same file. One run, alternating,
# on a pgbench database of at least 500 MB. Writes bench/backup/RESULTS.md.
#   usage: bench/backup/run.sh [ROUNDS] [PGBENCH_SCALE]
set -euo pipefail
ROUNDS=${1:-5}
SCALE=${2:-40}
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../lib.sh"

[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q package -DskipTests)
WORKDIR=$(mktemp -d /tmp/pitr-bench-backup.XXXXXX)
trap 'bench_cluster_stop; rm -rf "$WORKDIR"' EXIT
bench_cluster_start "$WORKDIR"

"$PG_BIN/pgbench" -i -q -s "$SCALE" postgres >/dev/null 2>&1
"$PG_BIN/psql" -qAt -c "CHECKPOINT" postgres
DB_BYTES=$("$PG_BIN/psql" -qAt -c "SELECT sum(pg_database_size(oid)) FROM pg_database" postgres)
echo "database size: $((DB_BYTES / 1024 / 1024)) MB"

SETTINGS=(--format=tar --wal-method=stream --progress --no-password --manifest-checksums=CRC32C --checkpoint=fast --compress=client-zstd)
plain=(); ours=()
for i in $(seq 1 "$ROUNDS"); do
  rm -rf "$WORKDIR/plain"
  t0=$(now); "$PG_BIN/pg_basebackup" -D "$WORKDIR/plain" "${SETTINGS[@]}" 2>/dev/null; t1=$(now)
  plain+=("$(elapsed "$t0" "$t1")")
  t0=$(now); java -jar "$JAR" backup create --archive "$ARCHIVE" --compress zstd >/dev/null; t1=$(now)
  ours+=("$(elapsed "$t0" "$t1")")
  echo "round $i: pg_basebackup ${plain[-1]} s, backup create ${ours[-1]} s"
  # keep the disk from filling: only the newest of our backups is needed for the verify part
  ls -d "$ARCHIVE"/backup_2*/ | head -n -1 | xargs -r rm -rf
done

ID=$(basename "$(ls -d "$ARCHIVE"/backup_2*/ | tail -1)")
TAR=$ARCHIVE/$ID/base.tar.zst
ORIG=$(python3 -c "import json; print(json.load(open('$ARCHIVE/$ID/backup.json'))['originalSizeBytes'])")
ver=(); ztar=()
for i in $(seq 1 "$ROUNDS"); do
  t0=$(now); java -jar "$JAR" backup verify "$ID" --archive "$ARCHIVE" >/dev/null; t1=$(now)
  ver+=("$(elapsed "$t0" "$t1")")
  t0=$(now); zstd -dc "$TAR" | tar -t >/dev/null; t1=$(now)
  ztar+=("$(elapsed "$t0" "$t1")")
  echo "round $i: backup verify ${ver[-1]} s, zstd -dc | tar -t ${ztar[-1]} s"
done

MP=$(median "${plain[@]}"); MO=$(median "${ours[@]}")
MV=$(median "${ver[@]}"); MZ=$(median "${ztar[@]}")
MBPS_V=$(python3 -c "print(f'{$ORIG / 1e6 / $MV:.0f}')")
MBPS_Z=$(python3 -c "print(f'{$ORIG / 1e6 / $MZ:.0f}')")
{
  echo "# Backup benchmark results"
  echo
  echo "Recorded $(date -u +%Y-%m-%dT%H:%MZ) by \`bench/backup/run.sh $ROUNDS $SCALE\` on $(nproc) cores,"
  echo "$(free -g | awk '/Mem:/{print $2}') GB RAM, $("$PG_BIN/postgres" --version), $(java -version 2>&1 | head -1)."
  echo "Database: pgbench scale $SCALE, $((DB_BYTES / 1024 / 1024)) MB in all databases; compression client-side zstd,"
  echo "fast checkpoint, streamed WAL, CRC32C manifest; both tools write to the same disk. Rounds alternate the tools."
  echo "Times include JVM start for pitr-console. Medians of $ROUNDS rounds; the machine is shared and noisy, so"
  echo "read the ratios, not the seconds."
  echo
  echo "| measurement | reference | pitr-console | ratio (ours / reference) |"
  echo "|---|---|---|---|"
  echo "| base backup, wall time | pg_basebackup: $MP s | backup create: $MO s | $(ratio "$MO" "$MP") |"
  echo "| read through base.tar.zst | zstd -dc \\| tar -t: $MZ s ($MBPS_Z MB/s) | backup verify: $MV s ($MBPS_V MB/s) | $(ratio "$MV" "$MZ") |"
  echo
  echo "Throughput is uncompressed database bytes per second ($((ORIG / 1024 / 1024)) MB). backup verify does more than"
  echo "tar -t: it checksums every file (CRC32C), compares it with the manifest and checks the WAL range."
  echo
  echo "Raw seconds per round:"
  echo
  echo "- pg_basebackup: ${plain[*]}"
  echo "- backup create: ${ours[*]}"
  echo "- zstd -dc | tar -t: ${ztar[*]}"
  echo "- backup verify: ${ver[*]}"
} > "$HERE/RESULTS.md"
cat "$HERE/RESULTS.md"
