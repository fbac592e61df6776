#!/usr/bin/env bash
# Benchmark: a rehearsal through PITR Console on a pgBackRest stanza ('restore run --latest
# --archive pgbackrest://bench', which places the set with 'pgbackrest restore', then plans, checks,
# starts, waits, verifies and reports) against a bare 'pgbackrest restore' + start + replay until
# promoted of the same set to the same end of the archived WAL, in one run, rounds alternating the
# order. The difference is what the console adds (JVM, plan, pre-checks, settings, checks, report).
# Appends a section to bench/pgbackrest/RESULTS.md (RESULTS=... to write elsewhere).
#   usage: bench/pgbackrest/run.sh [ROUNDS] [PGBENCH_SCALE] [WAL_AFTER]   (default: 3 10 16)
#   BENCH_CACHE=DIR keeps the built database and repository in DIR/sSCALE (shared with bench/restore).
set -euo pipefail
ROUNDS=${1:-3}
SCALE=${2:-10}
WAL_AFTER=${3:-16}
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../lib.sh"
export PGUSER=postgres
OUT_MD=${RESULTS:-$HERE/RESULTS.md}
command -v pgbackrest >/dev/null 2>&1 || { echo "pgbackrest is not installed" >&2; exit 1; }

[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q package -DskipTests)
PITR=$ROOT/bin/pitr-console
WORKDIR=$(mktemp -d /tmp/pitr-bench-pgbr.XXXXXX)
chmod 755 "$WORKDIR"
SRC=${BENCH_CACHE:+$BENCH_CACHE/s$SCALE}
SRC=${SRC:-$WORKDIR/src}
cleanup() {
  local d=$WORKDIR/pgbr-restore
  [ -f "$d/postmaster.pid" ] && as_server "$PG_BIN/pg_ctl" -D "$d" -m immediate -w stop >/dev/null 2>&1
  rm -rf "$WORKDIR"
}
trap cleanup EXIT
"$HERE/../restore/build.sh" "$SRC" "$SCALE" "$WAL_AFTER"
PGBR_CONF=$SRC/pgbackrest.conf
[ "$(id -u)" = 0 ] && chown postgres "$WORKDIR"
export XDG_CACHE_HOME=$WORKDIR/cache
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }
step() { json "$1" "sum(s['seconds'] for s in d['steps'] if s['name']=='$2')"; }
steps_of() { json "$1" "' / '.join(f\"{s['name']} {s['seconds']:.2f}\" for s in d['steps']) + f\" (RTO {d['rtoSeconds']:.2f})\""; }
LABEL=$(as_server pgbackrest --config="$PGBR_CONF" --stanza=bench info --output=json | python3 -c "import json,sys; print(json.load(sys.stdin)[0]['backup'][-1]['label'])")

rehearsal() { "$PITR" restore run --latest --archive pgbackrest://bench --pgbackrest-config "$PGBR_CONF" -U postgres --json "$@"; }

pgbr_round() {
  local P=$WORKDIR/pgbr-restore PORT2 t0 t1
  rm -rf "$P"; mkdir -m 700 "$P"; [ "$(id -u)" = 0 ] && chown postgres "$P"
  PORT2=$(free_port)
  t0=$(now)
  as_server pgbackrest --config="$PGBR_CONF" --stanza=bench --set="$LABEL" --pg1-path="$P" --archive-mode=off \
    --tablespace-map-all="$WORKDIR/pgbr-tablespaces" restore
  as_server "$PG_BIN/pg_ctl" -D "$P" -l "$WORKDIR/pgbr-restore.log" -w -t 3600 \
    -o "-p $PORT2 -c unix_socket_directories=$WORKDIR -c archive_mode=off -c cluster_name=pgbr-bench" start >/dev/null
  until [ "$("$PG_BIN/psql" -h "$WORKDIR" -p "$PORT2" -U postgres -qAt -c 'SELECT pg_is_in_recovery()' postgres 2>/dev/null)" = f ]; do
    sleep 0.1
    [ "$(elapsed "$t0" "$(now)" | cut -d. -f1)" -lt 3600 ] || { echo "pgBackRest's restore did not end" >&2; exit 1; }
  done
  t1=$(now)
  pgbr+=("$(elapsed "$t0" "$t1")")
  as_server "$PG_BIN/pg_ctl" -D "$P" -m immediate -w stop >/dev/null
  rm -rf "$P" "$WORKDIR/pgbr-tablespaces"
}

ours_round() {
  local t0 t1
  t0=$(now); rehearsal > "$WORKDIR/r.json"; t1=$(now)
  [ "$(json "$WORKDIR/r.json" "d['status'].upper()")" = SUCCEEDED ] || { cat "$WORKDIR/r.json"; exit 1; }
  [ "$(json "$WORKDIR/r.json" "d['backup']")" = "$LABEL" ] || { echo "the console restored another set" >&2; exit 1; }
  ours+=("$(elapsed "$t0" "$t1")")
  rto+=("$(json "$WORKDIR/r.json" "d['rtoSeconds']")")
  place+=("$(step "$WORKDIR/r.json" 'extract backup')")
  STEPS+=("$(steps_of "$WORKDIR/r.json")")
}

# untimed warm-up: page cache, the console's WAL index of the stanza, the launcher's class archive
rehearsal > "$WORKDIR/warm.json" || { cat "$WORKDIR/warm.json"; exit 1; }

ours=(); rto=(); place=(); pgbr=(); STEPS=(); LOADS=()
for i in $(seq 1 "$ROUNDS"); do
  LOADS+=("$(cut -d' ' -f1-3 /proc/loadavg)")
  if [ $((i % 2)) = 1 ]; then ours_round; pgbr_round; else pgbr_round; ours_round; fi
  echo "  round $i (load ${LOADS[-1]}): console ${ours[-1]} s (RTO ${rto[-1]}, pgbackrest restore step ${place[-1]}), bare pgBackRest ${pgbr[-1]} s"
done

rmed() { python3 -c "import statistics,sys; a=sys.argv[1].split(); b=sys.argv[2].split(); print(f'{statistics.median(float(x)/float(y) for x,y in zip(a,b)):.3f}')" "$1" "$2"; }
dmed() { python3 -c "import statistics,sys; a=sys.argv[1].split(); b=sys.argv[2].split(); print(f'{statistics.median(float(x)-float(y) for x,y in zip(a,b)):.2f}')" "$1" "$2"; }
{
  echo
  echo "## $(date -u +%Y-%m-%dT%H:%MZ): \`bench/pgbackrest/run.sh $ROUNDS $SCALE $WAL_AFTER\`"
  echo
  echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB RAM, $("$PG_BIN/postgres" --version), pgBackRest $(pgbackrest version | awk '{print $2}'), $(java -version 2>&1 | head -1)."
  echo "Database: pgbench scale $SCALE ($(cat "$SRC/db-mb") MB), one full pgBackRest set ($LABEL, zst, process-max=2), then pgbench writes"
  echo "($WAL_AFTER+ WAL files). Both restore the same set to the end of the archived WAL and promote. $ROUNDS rounds, order alternating;"
  echo "load average (1, 5, 15 min) at each round's start: ${LOADS[*]// /\/}. The machine is shared: read the per-round differences and ratios."
  echo
  echo "| what | median s | median of per-round ratios to bare pgBackRest |"
  echo "|---|---|---|"
  echo "| bare \`pgbackrest restore\` + start + replay until promoted | $(median "${pgbr[@]}") | 1.000 |"
  echo "| console rehearsal RTO (pre-checks to verified, as its report measures it) | $(median "${rto[@]}") | **$(rmed "${rto[*]}" "${pgbr[*]}")** |"
  echo "| whole console command \`restore run --latest\` (JVM start, plan, report, sandbox removed) | $(median "${ours[@]}") | **$(rmed "${ours[*]}" "${pgbr[*]}")** |"
  echo "| of which the \`pgbackrest restore\` step | $(median "${place[@]}") | |"
  echo
  echo "Time the console adds, median of the per-round differences: whole command $(dmed "${ours[*]}" "${pgbr[*]}") s, RTO $(dmed "${rto[*]}" "${pgbr[*]}") s."
  echo
  echo "Console steps per round (seconds):"
  echo
  for s in "${STEPS[@]}"; do echo "- $s"; done
} >> "$OUT_MD"
tail -n 20 "$OUT_MD"
