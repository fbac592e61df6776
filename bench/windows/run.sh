#!/usr/bin/env bash
# Benchmark: the 'windows' command on an archive of pgbench WAL, against pg_waldump listing the
# transaction records of the same segments, side by side in one run (alternating; page cache warm
# for both). Cold = the WAL index built from nothing (.pitr/ removed), JVM start included, through
# the launcher users run. Warm = the same command with the index cache in place. The window
# computation itself is taken from the command's --verbose timing line. 'wal status --verify'
# (every record's CRC, every byte read) is timed too, for what a full check costs. Each command's
# CPU time (user+sys, all threads) is recorded beside its wall time, and the load average before
# and after the rounds, since the machine may be shared. Writes bench/windows/RESULTS.md.
#   usage: bench/windows/run.sh [SEGMENTS] [ROUNDS] [PGBENCH_SCALE]     (default: 256 5 50)
set -euo pipefail
SEGMENTS=${1:-256}
ROUNDS=${2:-5}
SCALE=${3:-50}
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../lib.sh"

[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q package -DskipTests)
PITR=$ROOT/bin/pitr-console
WORKDIR=$(mktemp -d /tmp/pitr-bench-windows.XXXXXX)
trap 'bench_cluster_stop; rm -rf "$WORKDIR"' EXIT
bench_cluster_start "$WORKDIR"
WAL=$ARCHIVE/wal_archive

# the backup first, so that every archived segment after it lies in its window
"$PITR" backup create --archive "$ARCHIVE" --compress none --checkpoint fast >/dev/null
"$PG_BIN/pgbench" -i -q -s "$SCALE" postgres >/dev/null 2>&1
bench_grow_wal "$SEGMENTS"
bench_archive_current_segment
bench_cluster_stop

N=$(bench_segment_count)
# sed, not head: head exiting early would kill the pipeline with SIGPIPE under pipefail
FIRST=$(bench_segments | sed -n 1p)
LAST=$(bench_segments | tail -1)
MB=$(du -sm "$WAL" | cut -f1)
echo "$N segments ($MB MB), $FIRST .. $LAST"
cat "$WAL"/* >/dev/null

waldump_xacts() { "$PG_BIN/pg_waldump" -p "$WAL" -r Transaction "$FIRST" "$LAST" 2>/dev/null || true; }
[ -x /usr/bin/time ] || { echo "bench/windows needs /usr/bin/time (Debian: apt-get install time)" >&2; exit 1; }
# untimed: trains the launcher's class archive and warms the page cache for both tools
rm -rf "$ARCHIVE/.pitr"; "$PITR" windows --archive "$ARCHIVE" >/dev/null
waldump_xacts >/dev/null

COLD=(); DUMP=(); WARM=(); COMPUTE=(); LOADW=(); VERIFY=(); RATIO=()
COLDC=(); DUMPC=(); WARMC=(); VERIFYC=()
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for i in $(seq 1 "$ROUNDS"); do
  rm -rf "$ARCHIVE/.pitr"
  OUT=/dev/null timed "$PITR" windows --archive "$ARCHIVE"
  COLD+=("$WALL"); COLDC+=("$CPU")
  OUT="$WORKDIR/xacts.txt" timed "$PG_BIN/pg_waldump" -p "$WAL" -r Transaction "$FIRST" "$LAST"
  DUMP+=("$WALL"); DUMPC+=("$CPU")
  RATIO+=("$(ratio "${DUMP[-1]}" "${COLD[-1]}")")
  OUT=/dev/null timed "$PITR" windows --archive "$ARCHIVE"
  WARM+=("$WALL"); WARMC+=("$CPU")
  LINE=$("$PITR" windows --archive "$ARCHIVE" --verbose 2>&1 >/dev/null | grep 'windows of' | tail -1)
  COMPUTE+=("$(sed -E 's/.*computed in ([0-9.]+) ms.*/\1/' <<<"$LINE")")
  LOADW+=("$(sed -E 's/.*loaded in ([0-9.]+) ms.*/\1/' <<<"$LINE")")
  OUT="$WORKDIR/verify.txt" timed "$PITR" wal status --verify --archive "$ARCHIVE"
  VERIFY+=("$WALL"); VERIFYC+=("$CPU")
  echo "  round $i: windows cold ${COLD[-1]} s (cpu ${COLDC[-1]}), pg_waldump -r Transaction ${DUMP[-1]} s (cpu ${DUMPC[-1]}), windows warm ${WARM[-1]} s (cpu ${WARMC[-1]}; index ${LOADW[-1]} ms, windows ${COMPUTE[-1]} ms), wal status --verify ${VERIFY[-1]} s (cpu ${VERIFYC[-1]})"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
MC=$(median "${COLD[@]}"); MD=$(median "${DUMP[@]}"); MW=$(median "${WARM[@]}"); MCOMP=$(median "${COMPUTE[@]}"); MLOAD=$(median "${LOADW[@]}")
MV=$(median "${VERIFY[@]}"); MRATIO=$(median "${RATIO[@]}")
MCC=$(median "${COLDC[@]}"); MDC=$(median "${DUMPC[@]}"); MWC=$(median "${WARMC[@]}"); MVC=$(median "${VERIFYC[@]}")
DAMAGED=$(grep -c '^damaged: ' "$WORKDIR/verify.txt" || true)

# the window's end must be pg_waldump's last commit/abort time, to the microsecond
"$PITR" windows --archive "$ARCHIVE" --json >"$WORKDIR/windows.json"
CHECK=$(python3 - "$WORKDIR/windows.json" "$WORKDIR/xacts.txt" <<'PY'
import json, re, sys, datetime
w = json.load(open(sys.argv[1]))["windows"][0]
times = re.findall(r"desc: (?:COMMIT|ABORT)[A-Z_]* (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?) UTC", open(sys.argv[2]).read())
last = datetime.datetime.fromisoformat(times[-1]).replace(tzinfo=datetime.timezone.utc)
to = datetime.datetime.fromisoformat(w["to"].replace("Z", "+00:00"))
print(f"{len(times)} transaction ends; window to {w['to']}, pg_waldump's last {times[-1]} UTC: {'equal' if to == last else 'DIFFERENT'}")
PY
)
echo "$CHECK"

cat > "$HERE/RESULTS.md" <<MD
# 'windows' against pg_waldump

\`bench/windows/run.sh $SEGMENTS $ROUNDS\`, $(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1), $("$PG_BIN/pg_waldump" --version).
Medians of $ROUNDS alternating rounds. The machine was shared with other work: load average
(1, 5, 15 min) $LOAD_BEFORE before the rounds and $LOAD_AFTER after them, on $(nproc) cores, so wall
times carry waiting for a CPU; the CPU times (user+sys, all threads) do not.
Archive: one base backup, then $N WAL segments ($MB MB, plain files) of \`pgbench -i -s $SCALE\` and
\`pgbench -c 4\` runs (a checkpoint before each run), $FIRST .. $LAST.

| measurement | wall | CPU | |
|---|---|---|---|
| \`pg_waldump -r Transaction $FIRST $LAST\` | $MD s | $MDC s | reference |
| \`pitr-console windows\`, cold (no index cache, JVM start included) | $MC s | $MCC s | **$(ratio "$MD" "$MC")x faster** than pg_waldump (median of the per-round ratios: ${MRATIO}x; CPU: $(ratio "$MDC" "$MCC")x less) |
| \`pitr-console windows\`, warm (index cache in place, whole command) | $MW s | $MWC s | target < 1 s |
| of which: loading the warm index | $MLOAD ms | | |
| of which: computing the windows | $MCOMP ms | | target < 50 ms |
| \`pitr-console wal status --verify\` (every record's CRC, no cache) | $MV s | $MVC s | $(ratio "$MD" "$MV")x faster than pg_waldump; $DAMAGED damaged segments |

The index (cold and warm \`windows\`) checks every page header and every record's header, length
and back link, and the CRC of each record it takes a value from (commits, aborts, restore points,
checkpoints, switches, end of recovery); the bodies of other records, mostly full-page images, are
stepped over by their length. \`wal status --verify\` reads every byte and checks every CRC.

Check: $CHECK.

Raw (seconds, wall): cold ${COLD[*]}; pg_waldump ${DUMP[*]}; warm ${WARM[*]}; wal status --verify ${VERIFY[*]}; window computation (ms) ${COMPUTE[*]}.
Raw (seconds, CPU): cold ${COLDC[*]}; pg_waldump ${DUMPC[*]}; warm ${WARMC[*]}; wal status --verify ${VERIFYC[*]}.
MD
cat "$HERE/RESULTS.md"
