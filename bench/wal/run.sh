#!/usr/bin/env bash
# Benchmark: the native WAL reader against pg_waldump on the same archived pgbench segments, side
# by side in one run (alternating, page cache warm for both). Our time includes JVM start; the
# reader's own in-process time is recorded too. pg_waldump runs twice: all records, and only the
# Transaction records (-r Transaction). Writes bench/wal/RESULTS.md.
#   usage: bench/wal/run.sh [SEGMENTS] [ROUNDS]      (default: 64 5)
set -euo pipefail
SEGMENTS=${1:-64}
ROUNDS=${2:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../lib.sh"

[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q package -DskipTests)
WORKDIR=$(mktemp -d /tmp/pitr-bench-wal.XXXXXX)
trap 'bench_cluster_stop; rm -rf "$WORKDIR"' EXIT
bench_cluster_start "$WORKDIR"
WAL=$ARCHIVE/wal_archive
count() { find "$WAL" -maxdepth 1 -regex '.*/[0-9A-F]\{24\}' | wc -l; }

# pgbench WAL of both kinds: bulk loads (big records, full-page images) and short transactions
# (many small records and commits); synchronous_commit off so the 2 cores make WAL quickly
export PGOPTIONS="-c synchronous_commit=off"
while [ "$(count)" -lt $((SEGMENTS + 1)) ]; do
  "$PG_BIN/pgbench" -i -q -s 5 postgres >/dev/null 2>&1
  "$PG_BIN/pgbench" -n -c 4 -j 2 -T 15 postgres >/dev/null 2>&1
done
"$PG_BIN/psql" -qAt -c "SELECT pg_switch_wal()" postgres >/dev/null
sleep 2
bench_cluster_stop

SET=$WORKDIR/set
mkdir -p "$SET"
find "$WAL" -maxdepth 1 -regex '.*/[0-9A-F]\{24\}' | sort | head -n "$SEGMENTS" | xargs -I{} cp {} "$SET/"
FIRST=$(ls "$SET" | head -1); LAST=$(ls "$SET" | tail -1)
MB=$(du -sm "$SET" | cut -f1)
echo "$SEGMENTS segments ($MB MB), $FIRST .. $LAST"
mkdir -p "$WORKDIR/classes"
javac -d "$WORKDIR/classes" -cp "$JAR" "$HERE/ReadSegments.java"
ours() { java -cp "$JAR:$WORKDIR/classes" ReadSegments "$SET"; }
cat "$SET"/* >/dev/null
# one untimed run of each: warms the page cache and the JVM's class files
ours >/dev/null; "$PG_BIN/pg_waldump" -p "$SET" "$FIRST" "$LAST" >/dev/null 2>&1 || true

OURS=(); INPROC=(); ALL=(); XACT=()
for i in $(seq 1 "$ROUNDS"); do
  t0=$(now); LINE=$(ours); t1=$(now)
  OURS+=("$(elapsed "$t0" "$t1")")
  INPROC+=("$(sed -E 's/.*seconds=([0-9.]+).*/\1/' <<<"$LINE")")
  t0=$(now); "$PG_BIN/pg_waldump" -p "$SET" "$FIRST" "$LAST" >/dev/null 2>&1 || true; t1=$(now)
  ALL+=("$(elapsed "$t0" "$t1")")
  t0=$(now); N_XACT=$("$PG_BIN/pg_waldump" -p "$SET" -r Transaction "$FIRST" "$LAST" 2>/dev/null | grep -cE 'desc: (COMMIT|ABORT)' || true); t1=$(now)
  XACT+=("$(elapsed "$t0" "$t1")")
  echo "  round $i: reader ${OURS[-1]} s (in-process ${INPROC[-1]} s), pg_waldump ${ALL[-1]} s, pg_waldump -r Transaction ${XACT[-1]} s"
done
OUR_XACTS=$(sed -E 's/.*xacts=([0-9]+).*/\1/' <<<"$LINE")
MO=$(median "${OURS[@]}"); MI=$(median "${INPROC[@]}"); MA=$(median "${ALL[@]}"); MX=$(median "${XACT[@]}")
sps() { python3 -c "print(f'{$SEGMENTS / $1:.1f}')"; }

cat > "$HERE/RESULTS.md" <<MD
# Native WAL reader against pg_waldump

\`bench/wal/run.sh $SEGMENTS $ROUNDS\`, $(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1), $("$PG_BIN/pg_waldump" --version).
$SEGMENTS archived pgbench segments ($MB MB, plain files, page cache warm), read one after the other
on one thread. Medians of $ROUNDS alternating rounds. The reader checks every page header and the
CRC of every record, and decodes commit/abort, restore point, checkpoint and end-of-recovery records.

| tool | time | segments/s | pg_waldump time / reader time |
|---|---|---|---|
| reader, JVM start included | $MO s | $(sps "$MO") | |
| reader, in-process | $MI s | $(sps "$MI") | |
| pg_waldump (all records) | $MA s | $(sps "$MA") | **$(ratio "$MA" "$MO")** |
| pg_waldump -r Transaction | $MX s | $(sps "$MX") | **$(ratio "$MX" "$MO")** |

Transaction ends found: reader $OUR_XACTS, pg_waldump $N_XACT.

Raw (seconds): reader ${OURS[*]}; in-process ${INPROC[*]}; pg_waldump ${ALL[*]}; pg_waldump -r Transaction ${XACT[*]}.
The machine is shared and noisy; compare the ratios, not the absolute times.
MD
cat "$HERE/RESULTS.md"
