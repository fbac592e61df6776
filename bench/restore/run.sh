#!/usr/bin/env bash
# Benchmark: a rehearsal ('restore run --latest') and an in-place restore against pgBackRest's
# restore + start + replay of the same database to the same end of the archived WAL (promoted),
# in one run, rounds alternating the tools; plus the extract step against 'zstd -dc | tar -x' of
# the same tars. Appends a section to bench/restore/RESULTS.md (RESULTS=... to write elsewhere).
#   usage: bench/restore/run.sh [ROUNDS] [PGBENCH_SCALE] [WAL_AFTER]   (default: 3 40 48)
#   BENCH_CACHE=DIR keeps the built database, archives and backups in DIR/sSCALE and reuses them
#   (default: a temp directory removed at the end); REF_EXTRACT=0 leaves out 'zstd -dc | tar -x';
#   BEFORE_JAR=JAR also runs the rehearsal and the in-place restore of another build (an earlier
#   commit's target/pitr-console.jar) in every round, to compare before and after in one run;
#   AFTER_JAR=JAR runs that build instead of the source tree's.
set -euo pipefail
ROUNDS=${1:-3}
SCALE=${2:-40}
WAL_AFTER=${3:-48}
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../lib.sh"
export PGUSER=postgres
OUT=${RESULTS:-$HERE/RESULTS.md}

[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q package -DskipTests)
PITR=$ROOT/bin/pitr-console
WORKDIR=$(mktemp -d /tmp/pitr-bench-restore.XXXXXX)
chmod 755 "$WORKDIR"
SRC=${BENCH_CACHE:+$BENCH_CACHE/s$SCALE}
SRC=${SRC:-$WORKDIR/src}
cleanup() {
  for d in "$WORKDIR/pgbr-restore" "$WORKDIR/inplace"; do
    [ -f "$d/postmaster.pid" ] && as_server "$PG_BIN/pg_ctl" -D "$d" -m immediate -w stop >/dev/null 2>&1
  done
  rm -rf "$WORKDIR"
}
trap cleanup EXIT
"$HERE/build.sh" "$SRC" "$SCALE" "$WAL_AFTER"
ARCHIVE=$SRC/archive
SRCPORT=$(cat "$SRC/port")
PGBR_CONF=$SRC/pgbackrest.conf
HAVE_PGBR=0; [ -f "$PGBR_CONF" ] && command -v pgbackrest >/dev/null 2>&1 && HAVE_PGBR=1
[ "$(id -u)" = 0 ] && chown postgres "$WORKDIR"
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }
step() { json "$1" "sum(s['seconds'] for s in d['steps'] if s['name']=='$2')"; }

WAL_FILES=$(ls "$ARCHIVE/wal_archive" | grep -c '^[0-9A-F]\{24\}$')
ID=$(basename "$(ls -d "$ARCHIVE"/backup_2*/ | tail -1)")
ORIG=$(json "$ARCHIVE/$ID/backup.json" "d['originalSizeBytes']")

# The in-place restore goes over a directory that only looks like a stopped cluster's: the bench's
# own cluster stays as it is. The restored server listens where the backed-up one did.
INPLACE=$WORKDIR/inplace
inplace_prepare() { rm -rf "$INPLACE" "$INPLACE".pitr-*; mkdir -m 700 "$INPLACE"; echo 15 > "$INPLACE/PG_VERSION"; [ "$(id -u)" = 0 ] && chown -R postgres "$INPLACE"; return 0; }
inplace_clean() {
  as_server "$PG_BIN/pg_ctl" -D "$INPLACE" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$INPLACE" "$INPLACE".pitr-*
}

# JAR= runs another build (the launcher takes PITR_CONSOLE_JAR)
rehearsal() { PITR_CONSOLE_JAR=${JAR:-} "$PITR" restore run --latest --archive "$ARCHIVE" -U postgres --json "$@"; }
in_place() {
  PITR_CONSOLE_JAR=${JAR:-} "$PITR" restore run --latest --in-place --data-dir "$INPLACE" --yes --archive "$ARCHIVE" --json \
    -h 127.0.0.1 -p "$SRCPORT" -U postgres "$@"
}

# untimed warm-up of everything: page cache, the WAL index, the launcher's class archive
for JAR in ${BEFORE_JAR:-} "${AFTER_JAR:-}"; do
  rehearsal > "$WORKDIR/warm.json" || { cat "$WORKDIR/warm.json"; exit 1; }
  inplace_prepare; in_place > "$WORKDIR/warm.json" || { cat "$WORKDIR/warm.json"; exit 1; }; inplace_clean
done
JAR=

pgbr_round() {
  local P=$WORKDIR/pgbr-restore PORT2 t0 t1
  rm -rf "$P"; mkdir -m 700 "$P"; [ "$(id -u)" = 0 ] && chown postgres "$P"
  PORT2=$(free_port)
  t0=$(now)
  as_server pgbackrest --config="$PGBR_CONF" --stanza=bench --pg1-path="$P" --archive-mode=off restore
  as_server "$PG_BIN/pg_ctl" -D "$P" -l "$WORKDIR/pgbr-restore.log" -w -t 3600 \
    -o "-p $PORT2 -c unix_socket_directories=$WORKDIR -c archive_mode=off -c cluster_name=pgbr-bench" start >/dev/null
  until [ "$("$PG_BIN/psql" -h "$WORKDIR" -p "$PORT2" -U postgres -qAt -c 'SELECT pg_is_in_recovery()' postgres 2>/dev/null)" = f ]; do
    sleep 0.1
    [ "$(elapsed "$t0" "$(now)" | cut -d. -f1)" -lt 7200 ] || { echo "pgBackRest's restore did not end" >&2; exit 1; }
  done
  t1=$(now)
  pgbr+=("$(elapsed "$t0" "$t1")")
  as_server "$PG_BIN/pg_ctl" -D "$P" -m immediate -w stop >/dev/null
  rm -rf "$P"
}

steps_of() { json "$1" "' / '.join(f\"{s['name']} {s['seconds']:.2f}\" for s in d['steps']) + f\" (RTO {d['rtoSeconds']:.2f})\""; }

ours_round() {
  local t0 t1
  t0=$(now); rehearsal > "$WORKDIR/r.json"; t1=$(now)
  [ "$(json "$WORKDIR/r.json" "d['status'].upper()")" = SUCCEEDED ] || { cat "$WORKDIR/r.json"; exit 1; }
  if [ "$JAR" = "${BEFORE_JAR:-none}" ]; then
    b_ours+=("$(elapsed "$t0" "$t1")"); b_rto+=("$(json "$WORKDIR/r.json" "d['rtoSeconds']")"); B_STEPS+=("$(steps_of "$WORKDIR/r.json")")
    return
  fi
  ours+=("$(elapsed "$t0" "$t1")")
  rto+=("$(json "$WORKDIR/r.json" "d['rtoSeconds']")")
  ext+=("$(step "$WORKDIR/r.json" 'extract backup')")
  STEPS+=("$(steps_of "$WORKDIR/r.json")")
}

inplace_round() {
  local t0 t1
  inplace_prepare
  t0=$(now); in_place > "$WORKDIR/i.json"; t1=$(now)
  [ "$(json "$WORKDIR/i.json" "d['status'].upper()")" = SUCCEEDED ] || { cat "$WORKDIR/i.json"; exit 1; }
  if [ "$JAR" = "${BEFORE_JAR:-none}" ]; then
    b_inpl+=("$(elapsed "$t0" "$t1")"); b_irto+=("$(json "$WORKDIR/i.json" "d['rtoSeconds']")"); B_ISTEPS+=("$(steps_of "$WORKDIR/i.json")")
  else
    inpl+=("$(elapsed "$t0" "$t1")"); irto+=("$(json "$WORKDIR/i.json" "d['rtoSeconds']")"); ISTEPS+=("$(steps_of "$WORKDIR/i.json")")
  fi
  inplace_clean
}

# every tool of a round: ours (and the earlier build's) and pgBackRest, in an order that alternates
round_tools() {
  local i=$1 list
  list=(ours pgbr inplace)
  [ -n "${BEFORE_JAR:-}" ] && list=(before_ours ours pgbr before_inplace inplace)
  [ $HAVE_PGBR = 1 ] || list=("${list[@]/pgbr}")
  if [ $((i % 2)) = 0 ]; then
    local rev=(); for ((k=${#list[@]}-1; k>=0; k--)); do rev+=("${list[k]}"); done; list=("${rev[@]}")
  fi
  for t in "${list[@]}"; do
    case $t in
      ours) JAR=${AFTER_JAR:-}; ours_round ;;
      before_ours) JAR=$BEFORE_JAR; ours_round ;;
      inplace) JAR=${AFTER_JAR:-}; inplace_round ;;
      before_inplace) JAR=$BEFORE_JAR; inplace_round ;;
      pgbr) pgbr_round ;;
    esac
  done
}

ztar_round() {
  local D=$WORKDIR/ref t0 t1
  rm -rf "$D"; mkdir -p "$D/pg_wal"
  t0=$(now)
  zstd -dc "$ARCHIVE/$ID/base.tar.zst" | tar -x -C "$D" &
  if [ -f "$ARCHIVE/$ID/pg_wal.tar.zst" ]; then zstd -dc "$ARCHIVE/$ID/pg_wal.tar.zst" | tar -x -C "$D/pg_wal" &
  else tar -x -C "$D/pg_wal" -f "$ARCHIVE/$ID/pg_wal.tar" & fi
  wait
  t1=$(now); ztar+=("$(elapsed "$t0" "$t1")")
  rm -rf "$D"
}

ours=(); rto=(); ext=(); ztar=(); pgbr=(); inpl=(); irto=(); STEPS=(); ISTEPS=(); LOADS=()
b_ours=(); b_rto=(); b_inpl=(); b_irto=(); B_STEPS=(); B_ISTEPS=()
for i in $(seq 1 "$ROUNDS"); do
  LOADS+=("$(cut -d' ' -f1-3 /proc/loadavg)")
  round_tools "$i"
  if [ "${REF_EXTRACT:-1}" = 1 ]; then ztar_round; fi
  echo "  round $i (load ${LOADS[-1]}): rehearsal ${ours[-1]} s (RTO ${rto[-1]}, extract ${ext[-1]}), in place ${inpl[-1]} s (RTO ${irto[-1]})${pgbr:+, pgBackRest ${pgbr[-1]} s}${ztar:+, zstd -dc | tar -x ${ztar[-1]} s}${b_ours:+; before: rehearsal ${b_ours[-1]} s (RTO ${b_rto[-1]}), in place ${b_inpl[-1]} s (RTO ${b_irto[-1]})}"
done

# medians of the per-round ratios: each round's tools ran side by side under the same load
rmed() { python3 -c "import statistics,sys; a=sys.argv[1].split(); b=sys.argv[2].split(); print(f'{statistics.median(float(x)/float(y) for x,y in zip(a,b)):.3f}')" "$1" "$2"; }
{
  echo
  echo "## $(date -u +%Y-%m-%dT%H:%MZ): \`bench/restore/run.sh $ROUNDS $SCALE $WAL_AFTER\`"
  echo
  echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB RAM, $("$PG_BIN/postgres" --version), $(java -version 2>&1 | head -1)."
  echo "Database: pgbench scale $SCALE ($(cat "$SRC/db-mb") MB, $((ORIG / 1000000)) MB in the backup), backup with client-side zstd by each tool,"
  echo "then pgbench writes: $WAL_FILES WAL files in the archive. Every restore goes to the end of the archived WAL (--latest) and is"
  echo "promoted. $ROUNDS rounds, the order of the tools alternating; load average (1, 5, 15 min) at each round's start: ${LOADS[*]// /\/}."
  echo "The machine is shared and noisy: read the medians of the per-round ratios, not the seconds."
  echo
  echo "| what | median s | median of per-round ratios to pgBackRest |"
  echo "|---|---|---|"
  if [ $HAVE_PGBR = 1 ]; then
    echo "| pgBackRest $(pgbackrest version | awk '{print $2}') restore + start + replay until promoted (process-max=2) | $(median "${pgbr[@]}") | 1.000 |"
    echo "| rehearsal RTO (pre-checks to verified, as its report measures it) | $(median "${rto[@]}") | **$(rmed "${rto[*]}" "${pgbr[*]}")** |"
    echo "| whole rehearsal command \`restore run --latest\` (JVM start, plan, sandbox removed) | $(median "${ours[@]}") | **$(rmed "${ours[*]}" "${pgbr[*]}")** |"
    echo "| in-place RTO (durable) | $(median "${irto[@]}") | **$(rmed "${irto[*]}" "${pgbr[*]}")** |"
    echo "| whole in-place command \`restore run --latest --in-place\` | $(median "${inpl[@]}") | **$(rmed "${inpl[*]}" "${pgbr[*]}")** |"
    if [ ${#b_ours[@]} -gt 0 ]; then
      echo "| before (${BEFORE_LABEL:-$BEFORE_JAR}): rehearsal RTO | $(median "${b_rto[@]}") | $(rmed "${b_rto[*]}" "${pgbr[*]}") |"
      echo "| before: whole rehearsal command | $(median "${b_ours[@]}") | $(rmed "${b_ours[*]}" "${pgbr[*]}") |"
      echo "| before: in-place RTO | $(median "${b_irto[@]}") | $(rmed "${b_irto[*]}" "${pgbr[*]}") |"
      echo "| before: whole in-place command | $(median "${b_inpl[@]}") | $(rmed "${b_inpl[*]}" "${pgbr[*]}") |"
    fi
  fi
  if [ ${#ztar[@]} -gt 0 ]; then
    echo "| extract step of the rehearsal, against \`zstd -dc \\| tar -x\` of the same tars (both at once) | $(median "${ext[@]}") vs $(median "${ztar[@]}") | extract / zstd+tar $(rmed "${ext[*]}" "${ztar[*]}") |"
  fi
  echo
  echo "Rehearsal steps per round (seconds):"
  echo
  for s in "${STEPS[@]}"; do echo "- $s"; done
  echo
  echo "In-place steps per round (seconds):"
  echo
  for s in "${ISTEPS[@]}"; do echo "- $s"; done
  echo
  if [ ${#b_ours[@]} -gt 0 ]; then
    echo "Before: rehearsal steps per round (seconds):"
    echo
    for s in "${B_STEPS[@]}"; do echo "- $s"; done
    echo
    echo "Before: in-place steps per round (seconds):"
    echo
    for s in "${B_ISTEPS[@]}"; do echo "- $s"; done
    echo
    echo "Before, raw seconds per round: rehearsal ${b_ours[*]}; rehearsal RTO ${b_rto[*]}; in place ${b_inpl[*]}; in-place RTO ${b_irto[*]}"
    echo
  fi
  echo "Raw seconds per round: rehearsal ${ours[*]}; rehearsal RTO ${rto[*]}; in place ${inpl[*]}; in-place RTO ${irto[*]}${pgbr:+; pgBackRest ${pgbr[*]}}${ztar:+; zstd -dc | tar -x ${ztar[*]}}"
} >> "$OUT"
tail -n 40 "$OUT"
