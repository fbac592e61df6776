#!/usr/bin/env bash
# Benchmark: the 'windows' command against pg_waldump listing the transaction records of the same
# segments, on three kinds of WAL, side by side in one run (alternating; page cache warm for both):
#   pgbench  pgbench -i and pgbench runs after checkpoints: mostly full-page images
#   bulk     one narrow table loaded by INSERT ... SELECT: millions of small heap-insert records
#   tiny     many tiny transactions (one narrow-row insert and its commit), from three sessions
# Cold = the WAL index built from nothing (.pitr/ removed), JVM start included, through the
# launcher users run. Warm = the same command with the index cache in place. The window
# computation itself is taken from the command's --verbose timing line. 'wal status --verify'
# (every record's CRC, every byte read) is timed too, for what a full check costs. Each command's
# CPU time (user+sys, all threads) is recorded beside its wall time, and the load average before
# and after the rounds, since the machine may be shared. Writes bench/windows/RESULTS.md (keeping
# its hand-written "Where the time goes" section).
#   usage: bench/windows/run.sh [SEGMENTS] [ROUNDS] [KINDS]     (default: 256 5 "pgbench bulk tiny")
#   BENCH_DATA=DIR keeps each kind's archive in DIR/<kind> and reuses it in later runs (building
#   one takes minutes); without it they are built in a temporary directory and removed.
set -euo pipefail
SEGMENTS=${1:-256}
ROUNDS=${2:-5}
KINDS=(${3:-pgbench bulk tiny})
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../lib.sh"

[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q package -DskipTests)
[ -x /usr/bin/time ] || { echo "bench/windows needs /usr/bin/time (Debian: apt-get install time)" >&2; exit 1; }
PITR=$ROOT/bin/pitr-console
WORKDIR=$(mktemp -d /tmp/pitr-bench-windows.XXXXXX)
DATA_ROOT=${BENCH_DATA:-$WORKDIR/data}
DATA=
trap 'bench_cluster_stop; rm -rf "$WORKDIR"' EXIT

# The WAL of each kind. Each starts after the backup, so every archived segment lies in its window.
grow_pgbench() {
  "$PG_BIN/pgbench" -i -q -s 50 postgres >/dev/null 2>&1
  bench_grow_wal "$SEGMENTS"
}
grow_bulk() {
  "$PG_BIN/psql" -qAt -c "CREATE TABLE narrow (id int)" postgres
  # INSERT ... SELECT writes one heap-insert record per row (COPY would batch them per page)
  while [ "$(bench_segment_count)" -lt "$SEGMENTS" ]; do
    "$PG_BIN/psql" -qAt -c "INSERT INTO narrow SELECT generate_series(1, 5000000)" postgres
    echo "  $(bench_segment_count) segments archived"
  done
}
grow_tiny() {
  # A loop of COMMITs inside a procedure makes the same commit records as clients committing one
  # by one, but without a round trip each: 2 cores write tiny-transaction WAL about six times
  # faster than pgbench with a one-insert script (measured 230,000 against 37,000 per second).
  "$PG_BIN/psql" -qAt postgres <<'SQL'
CREATE TABLE tiny (id int);
CREATE PROCEDURE tiny_transactions(n int) LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1..n LOOP
    INSERT INTO tiny VALUES (i);
    COMMIT;
  END LOOP;
END $$;
SQL
  while [ "$(bench_segment_count)" -lt "$SEGMENTS" ]; do
    for _ in 1 2 3; do
      PGOPTIONS="-c synchronous_commit=off" "$PG_BIN/psql" -qAt -c "CALL tiny_transactions(300000)" postgres &
    done
    wait
    echo "  $(bench_segment_count) segments archived"
  done
}

# build KIND: the kind's archive (one base backup, then its WAL), unless a complete one is kept
build() {
  local kind=$1 dir=$DATA_ROOT/$1
  ARCHIVE=$dir/archive
  if [ -f "$dir/complete" ] && [ "$(bench_segment_count)" -ge "$SEGMENTS" ]; then
    echo "$kind: reusing $ARCHIVE"
    return
  fi
  echo "$kind: building $ARCHIVE"
  rm -rf "$dir"
  bench_cluster_start "$dir"
  "$PITR" backup create --archive "$ARCHIVE" --compress none --checkpoint fast >/dev/null
  "grow_$kind"
  bench_archive_current_segment
  bench_cluster_stop
  # only the archive is measured: the cluster's own files would just take disk space
  rm -rf "$DATA" "$dir/server.log"
  touch "$dir/complete"
}

# pg_waldump prints each commit's time with localtime(), and without TZ in the environment glibc
# checks /etc/localtime with a stat() call every time: on tiny-transaction WAL that is most of
# pg_waldump's time. The rounds give it TZ=UTC (the same output here), the faster and so the
# stricter reference; one run without TZ, as it is usually started, is reported beside it.
use() {
  ARCHIVE=$DATA_ROOT/$1/archive
  FIRST=$(bench_segments | sed -n 1p)   # sed, not head: an early exit would kill the pipeline (pipefail)
  LAST=$(bench_segments | tail -1)
}

for k in "${KINDS[@]}"; do build "$k"; done
[ "$ROUNDS" -gt 0 ] || exit 0   # 0 rounds: only build the archives

declare -A N MB SPAN RECORDS NOTZ CHECK COLD DUMP WARM COMPUTE LOADW VERIFY RATIO COLDC DUMPC WARMC VERIFYC DAMAGED
for k in "${KINDS[@]}"; do
  use "$k"
  N[$k]=$(bench_segment_count)
  MB[$k]=$(du -sm "$ARCHIVE/wal_archive" | cut -f1)
  SPAN[$k]="$FIRST .. $LAST"
  echo "$k: ${N[$k]} segments (${MB[$k]} MB), ${SPAN[$k]}"
  cat "$ARCHIVE/wal_archive"/* >/dev/null
  # untimed: trains the launcher's class archive, warms the page cache for both tools, and takes
  # the last transaction end for the check below
  rm -rf "$ARCHIVE/.pitr"; "$PITR" windows --archive "$ARCHIVE" >/dev/null
  { /usr/bin/time -f "%e %U %S" -o "$WORKDIR/$k.notz" env -u TZ "$PG_BIN/pg_waldump" -p "$ARCHIVE/wal_archive" -r Transaction \
    "$FIRST" "$LAST" 2>/dev/null || true; } | awk '/desc: (COMMIT|ABORT)/ { n++; last = $0 } END { print n; print last }' >"$WORKDIR/$k.last"
  NOTZ[$k]=$(python3 -c "import sys; e, u, s = open(sys.argv[1]).read().split()[-3:]; print(f'{float(e):.2f} s (CPU {float(u) + float(s):.2f} s)')" "$WORKDIR/$k.notz")
  RECORDS[$k]=$("$PG_BIN/pg_waldump" -p "$ARCHIVE/wal_archive" --stats "$FIRST" "$LAST" 2>/dev/null \
    | awk '$1 == "Total" { print $2 }' || true)
done

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for i in $(seq 1 "$ROUNDS"); do
  for k in "${KINDS[@]}"; do
    use "$k"
    # the three archives and other work on the machine may not all fit in the page cache: read
    # this one back in first, so that both tools start warm
    cat "$ARCHIVE/wal_archive"/* >/dev/null
    rm -rf "$ARCHIVE/.pitr"
    timed "$PITR" windows --archive "$ARCHIVE"
    COLD[$k]+="$WALL "; COLDC[$k]+="$CPU "; c=$WALL; cc=$CPU
    # output discarded as for ours: pg_waldump still formats every line it prints
    timed env TZ=UTC "$PG_BIN/pg_waldump" -p "$ARCHIVE/wal_archive" -r Transaction "$FIRST" "$LAST"
    DUMP[$k]+="$WALL "; DUMPC[$k]+="$CPU "; d=$WALL; dc=$CPU
    RATIO[$k]+="$(ratio "$d" "$c") "
    timed "$PITR" windows --archive "$ARCHIVE"
    WARM[$k]+="$WALL "; WARMC[$k]+="$CPU "; w=$WALL
    LINE=$("$PITR" windows --archive "$ARCHIVE" --verbose 2>&1 >/dev/null | grep 'windows of' | tail -1)
    COMPUTE[$k]+="$(sed -E 's/.*computed in ([0-9.]+) ms.*/\1/' <<<"$LINE") "
    LOADW[$k]+="$(sed -E 's/.*loaded in ([0-9.]+) ms.*/\1/' <<<"$LINE") "
    OUT="$WORKDIR/verify.txt" timed "$PITR" wal status --verify --archive "$ARCHIVE"
    VERIFY[$k]+="$WALL "; VERIFYC[$k]+="$CPU "
    DAMAGED[$k]=$(grep -c '^damaged: ' "$WORKDIR/verify.txt" || true)
    echo "  round $i $k: windows cold $c s (cpu $cc), pg_waldump -r Transaction $d s (cpu $dc), windows warm $w s," \
      "wal status --verify $WALL s (cpu $CPU)"
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# the window's end must be pg_waldump's last commit/abort time, to the microsecond
for k in "${KINDS[@]}"; do
  use "$k"
  "$PITR" windows --archive "$ARCHIVE" --json >"$WORKDIR/windows.json"
  CHECK[$k]=$(python3 - "$WORKDIR/windows.json" "$WORKDIR/$k.last" <<'PY'
import json, re, sys, datetime
w = json.load(open(sys.argv[1]))["windows"][0]
count, line = open(sys.argv[2]).read().split("\n")[:2]
last = re.search(r"desc: (?:COMMIT|ABORT)[A-Z_]* (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?) UTC", line).group(1)
t = datetime.datetime.fromisoformat(last).replace(tzinfo=datetime.timezone.utc)
to = datetime.datetime.fromisoformat(w["to"].replace("Z", "+00:00"))
print(f"{int(count):,} transaction ends; window to {w['to']}, pg_waldump's last {last} UTC: {'equal' if to == t else 'DIFFERENT'}")
PY
)
  echo "$k: ${CHECK[$k]}"
done

m() { median $1; }
describe() {
  case $1 in
    pgbench) echo "\`pgbench -i -s 50\`, then \`pgbench -c 4\` runs with a checkpoint before each: mostly full-page images" ;;
    bulk) echo "\`INSERT INTO narrow SELECT generate_series(1, 5000000)\` repeated, one int column: one small heap-insert record per row" ;;
    tiny) echo "three sessions each committing one-row inserts into a one-int table, one transaction per insert (\`synchronous_commit = off\`): an insert and a commit record per transaction" ;;
  esac
}
KEEP=$(sed -n '/^## Where the time goes/,$p' "$HERE/RESULTS.md" 2>/dev/null || true)
{
  cat <<MD
# 'windows' against pg_waldump, on three kinds of WAL

\`bench/windows/run.sh $SEGMENTS $ROUNDS\`, $(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1), $("$PG_BIN/pg_waldump" --version).
Medians of $ROUNDS rounds; in each round every kind is measured in turn, our command and
pg_waldump alternating. The machine was shared with other work: load average (1, 5, 15 min)
$LOAD_BEFORE before the rounds and $LOAD_AFTER after them, on $(nproc) cores, so wall times carry
waiting for a CPU; the CPU times (user+sys, all threads) do not. Each archive holds one base
backup, then the segments of one kind of WAL (plain files, 16 MiB, page cache warm for both tools).
pg_waldump's output goes to /dev/null, as ours does, and it runs with TZ=UTC: without TZ, glibc
checks /etc/localtime with a stat() call for every commit time printed, which makes pg_waldump
much slower on WAL with many commits (one such run of each kind is listed below the table).

| WAL | segments | records | \`pg_waldump -r Transaction\` (TZ=UTC) | \`windows\` cold (no index cache, JVM start included) | cold: times faster (median of per-round ratios; CPU) | \`windows\` warm | warm index load; windows computed | \`wal status --verify\` (every CRC) |
|---|---|---|---|---|---|---|---|---|
MD
  for k in "${KINDS[@]}"; do
    MC=$(m "${COLD[$k]}"); MD=$(m "${DUMP[$k]}"); MCC=$(m "${COLDC[$k]}"); MDC=$(m "${DUMPC[$k]}")
    echo "| $k | ${N[$k]} (${MB[$k]} MB) | ${RECORDS[$k]} | $MD s (CPU $MDC s) | $MC s (CPU $MCC s) | **$(m "${RATIO[$k]}")x** (CPU $(ratio "$MDC" "$MCC")x) | $(m "${WARM[$k]}") s (CPU $(m "${WARMC[$k]}") s) | $(m "${LOADW[$k]}") ms; $(m "${COMPUTE[$k]}") ms | $(m "${VERIFY[$k]}") s (CPU $(m "${VERIFYC[$k]}") s), ${DAMAGED[$k]} damaged |"
  done
  cat <<MD

Targets: cold at least 3x faster than pg_waldump, warm under 1 s, on each kind.

The index (cold and warm \`windows\`) checks every page header and every record's header, length
and back link, and the CRC of each record it takes a value from (commits, aborts, restore points,
checkpoints, switches, end of recovery); the bodies of other records are stepped over by their
length. \`wal status --verify\` reads every byte and checks every CRC.

MD
  for k in "${KINDS[@]}"; do
    echo "- **$k**: $(describe "$k"); ${SPAN[$k]}. Check: ${CHECK[$k]}. pg_waldump without TZ (one run, before the rounds): ${NOTZ[$k]}."
    echo "  Raw wall (s): cold ${COLD[$k]}; pg_waldump ${DUMP[$k]}; warm ${WARM[$k]}; verify ${VERIFY[$k]}; per-round ratios ${RATIO[$k]}."
    echo "  Raw CPU (s): cold ${COLDC[$k]}; pg_waldump ${DUMPC[$k]}; warm ${WARMC[$k]}; verify ${VERIFYC[$k]}."
  done
  if [ -n "$KEEP" ]; then echo; echo "$KEEP"; fi
} >"$HERE/RESULTS.md"
cat "$HERE/RESULTS.md"
