#!/usr/bin/env bash
# Benchmark: what checking a transaction id target against the WAL costs, and what 'restore check'
# (every record's CRC of the WAL a restore replays) costs, on an archive of pgbench WAL. The index
# cache keeps each segment's first and last transaction time, not every xid; an xid target reads
# the window's segments on demand instead. This measures that read against a plan with the cache
# alone, and what keeping every transaction end in the cache would cost everyone instead.
# Every command is timed whole (JVM start included) through the launcher users run, with its CPU
# time (user+sys, all threads); the index cache is warm throughout. Writes bench/xid/RESULTS.md.
#   usage: bench/xid/run.sh [SEGMENTS] [ROUNDS] [PGBENCH_SCALE]     (default: 128 3 50)
set -euo pipefail
SEGMENTS=${1:-128}
ROUNDS=${2:-3}
SCALE=${3:-50}
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../lib.sh"

[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q package -DskipTests)
[ -x /usr/bin/time ] || { echo "bench/xid needs /usr/bin/time (Debian: apt-get install time)" >&2; exit 1; }
PITR=$ROOT/bin/pitr-console
WORKDIR=$(mktemp -d /tmp/pitr-bench-xid.XXXXXX)
trap 'bench_cluster_stop; rm -rf "$WORKDIR"' EXIT
bench_cluster_start "$WORKDIR"
WAL=$ARCHIVE/wal_archive
q() { "$PG_BIN/psql" -qAt -c "$1" postgres; }

"$PITR" backup create --archive "$ARCHIVE" --compress none --checkpoint fast >/dev/null
EARLY=$(q "SELECT txid_current()")
"$PG_BIN/pgbench" -i -q -s "$SCALE" postgres >/dev/null 2>&1
bench_grow_wal "$SEGMENTS"
LATE=$(q "SELECT txid_current()")
NEVER=$((LATE + 1000000))
bench_archive_current_segment
bench_cluster_stop

N=$(bench_segment_count)
FIRST=$(bench_segments | sed -n 1p)
LAST=$(bench_segments | tail -1)
MB=$(du -sm "$WAL" | cut -f1)
echo "$N segments ($MB MB), $FIRST .. $LAST; xids: early $EARLY, late $LATE, never $NEVER"
cat "$WAL"/* >/dev/null
XACTS=$("$PG_BIN/pg_waldump" -p "$WAL" -r Transaction "$FIRST" "$LAST" 2>/dev/null | grep -cE 'desc: (COMMIT|ABORT)' || true)

A=(--archive "$ARCHIVE")
# untimed: builds the index cache and trains the launcher's class archive
"$PITR" windows "${A[@]}" >/dev/null
CACHE=$(du -b "$ARCHIVE/.pitr" --max-depth=0 | cut -f1)
"$PITR" restore plan --to-xid "$LATE" "${A[@]}" >"$WORKDIR/plan-late.txt"
"$PITR" restore plan --to-xid "$NEVER" "${A[@]}" >/dev/null 2>"$WORKDIR/plan-never.txt" || true
"$PITR" restore check "${A[@]}" >"$WORKDIR/check.txt" || true

declare -A W C
NAMES=(latest early late never check)
for i in $(seq 1 "$ROUNDS"); do
  timed "$PITR" restore plan --latest "${A[@]}"; W[latest]+="$WALL "; C[latest]+="$CPU "
  timed "$PITR" restore plan --to-xid "$EARLY" "${A[@]}"; W[early]+="$WALL "; C[early]+="$CPU "
  timed "$PITR" restore plan --to-xid "$LATE" "${A[@]}"; W[late]+="$WALL "; C[late]+="$CPU "
  timed "$PITR" restore plan --to-xid "$NEVER" "${A[@]}"; W[never]+="$WALL "; C[never]+="$CPU "
  timed "$PITR" restore check "${A[@]}"; W[check]+="$WALL "; C[check]+="$CPU "
  echo "  round $i (wall, so far): latest ${W[latest]}; early ${W[early]}; late ${W[late]}; never ${W[never]}; check ${W[check]}"
done
med() { median $1; }
# shellcheck disable=SC2086
row() { echo "| $1 | $(med "${W[$2]}") s | $(med "${C[$2]}") s | $3 |"; }
PER_SEG=$((XACTS / N))
# an entry per transaction end: xid (4 bytes), LSN (8), time (8 + 4), kind (1) in the cache's binary format
GROWN=$((CACHE + XACTS * 25))

cat > "$HERE/RESULTS.md" <<MD
# Transaction id targets and 'restore check' on pgbench WAL

\`bench/xid/run.sh $SEGMENTS $ROUNDS $SCALE\`, $(date -u +%Y-%m-%d), $(nproc) cores (shared with other work; load average
$(cut -d' ' -f1-3 /proc/loadavg) at the end), $(java -version 2>&1 | head -1). Medians of $ROUNDS rounds, whole commands
through bin/pitr-console (JVM start included), index cache warm.
Archive: one base backup, then $N WAL segments ($MB MB) of \`pgbench -i -s $SCALE\` and \`pgbench -c 4\` runs,
$FIRST .. $LAST: $XACTS transaction ends (pg_waldump), about $PER_SEG per segment.

| command | wall | CPU | what it reads |
|---|---|---|---|
$(row "\`restore plan --latest\`" latest "the index cache only (baseline)")
$(row "\`restore plan --to-xid $EARLY\` (right after the backup)" early "the first segments of the window, until the commit")
$(row "\`restore plan --to-xid $LATE\` (the last transaction)" late "every segment of the window (index checks)")
$(row "\`restore plan --to-xid $NEVER\` (never existed: refused)" never "every segment of the window (index checks)")
$(row "\`restore check\`" check "every segment the latest plan replays, every record's CRC")

Keeping every transaction end in the index cache instead: the cache is now $CACHE bytes for $N
segments; $XACTS entries of about 25 bytes would make it about $GROWN bytes
($(python3 -c "print(f'{$GROWN / $CACHE:.0f}')")x), read by every \`windows\`, \`wal status\`, plan and health check, to serve
only xid targets.

Plan of the last xid: $(grep -E 'transaction .* (committed|aborted) at|ends in the archived WAL' "$WORKDIR/plan-late.txt" | sed 's/^ *//' | tr '\n' ' ')
Refusal: $(tr '\n' ' ' <"$WORKDIR/plan-never.txt")
restore check: $(grep 'WAL records' "$WORKDIR/check.txt" | sed 's/^ *//')

Raw (seconds, wall / CPU): $(for n in "${NAMES[@]}"; do echo -n "$n ${W[$n]}/ ${C[$n]}; "; done)
MD
cat "$HERE/RESULTS.md"
