#!/usr/bin/env bash
# WAL replay from an s3:// repository: segments per second a PostgreSQL 15 restore replays from a
# bucket of s3proxy on 127.0.0.1, in one run:
#   console   'restore run --latest --rehearsal': its WAL is fetched from the bucket ahead of the
#             server, in parallel, into the restore's own directory (restore_command only renames)
#   server    the same backup, extracted by hand, recovering with restore_command = the console's
#             script alone ('archive-wal fetch %f %p': one GET per segment, as the server asks)
#   before    (BEFORE_JAR=JAR) 'restore run' of another build, e.g. an earlier commit's jar
# Rounds alternate. Reported: the seconds of the recovery step (server start to end of recovery),
# segments restored, segments/s, the console's pre-check (which reads and CRC-checks the plan's WAL
# too) and its whole restore (pre-checks to the sandbox removed).
#   usage: bench/s3restore/run.sh [ROUNDS] [SEGMENTS]   (default 3 48; needs target/pitr-console.jar
#          and target/s3proxy/s3proxy.jar: mvn package -DskipTests)
set -euo pipefail
ROUNDS=${1:-3}
N=${2:-48}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib.sh"
PITR=$ROOT/bin/pitr-console
WORKDIR=$(mktemp -d /var/tmp/pitr-bench-s3restore.XXXXXX)
chmod 755 "$WORKDIR"
mkdir -p "$WORKDIR/s3/data/bench"   # the filesystem backend's bucket 'bench'

S3PORT=$(free_port)
KEY=bench-$RANDOM
SECRET=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
cat > "$WORKDIR/s3/s3proxy.properties" <<P
s3proxy.endpoint=http://127.0.0.1:$S3PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$KEY
s3proxy.credential=$SECRET
jclouds.provider=filesystem
jclouds.filesystem.basedir=$WORKDIR/s3/data
P
java -Xmx512m -jar "$ROOT/target/s3proxy/s3proxy.jar" --properties "$WORKDIR/s3/s3proxy.properties" >"$WORKDIR/s3/log" 2>&1 &
S3PID=$!
MANUAL=$WORKDIR/manual
cleanup() {
  [ -f "$MANUAL/postmaster.pid" ] && as_server "$PG_BIN/pg_ctl" -D "$MANUAL" -m immediate -w stop >/dev/null 2>&1
  bench_cluster_stop
  kill "$S3PID" 2>/dev/null || true
  rm -rf "$WORKDIR"
}
trap cleanup EXIT
until curl -s -o /dev/null "http://127.0.0.1:$S3PORT/"; do sleep 0.2; done

bench_cluster_start "$WORKDIR/pg"
# the console and the server's OS user read the same credentials file (no secret in any argument)
printf '[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$KEY" "$SECRET" > "$WORKDIR/pg/aws-credentials"
chmod 600 "$WORKDIR/pg/aws-credentials"
[ "$(id -u)" = 0 ] && chown -R postgres "$WORKDIR/pg" "$WORKDIR/s3/data"
export AWS_SHARED_CREDENTIALS_FILE=$WORKDIR/pg/aws-credentials XDG_CACHE_HOME=$WORKDIR/cache XDG_CONFIG_HOME=$WORKDIR/config \
  XDG_DATA_HOME=$WORKDIR/xdgdata
LOC=(--archive s3://bench/pitr --s3-endpoint "http://127.0.0.1:$S3PORT" --s3-path-style -U postgres)
STORED=$WORKDIR/s3/data/bench/pitr

"$PITR" archiving apply "${LOC[@]}" >/dev/null
"$PG_BIN/pgbench" -i -q -s 10 postgres >/dev/null 2>&1
"$PITR" backup create "${LOC[@]}" --history-wait 0 >/dev/null
segments() { ls "$STORED/wal_archive" | grep -cE '^[0-9A-F]{24}$' || true; }
START=$(segments)
while [ "$(segments)" -lt $((START + N)) ]; do
  "$PG_BIN/psql" -qAt -c "CHECKPOINT" postgres
  "$PG_BIN/pgbench" -n -c 4 -j 2 -T 10 postgres >/dev/null 2>&1
done
bench_archive_current_segment
bench_cluster_stop   # nothing else runs on the machine's two cores while the restores are timed
SCRIPT=$(sed -n 's/^archive_command = .\(.*\) push .*/\1/p' "$DATA/postgresql.auto.conf" | tr -d '"')
ID=$(basename "$(ls -d "$STORED"/backup_2*/ | tail -1)")

json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }
step() { json "$1" "sum(s['seconds'] for s in d['steps'] if s['name']=='$2')"; }
rate() { python3 -c "print(f'{$1 / $2:.1f}')"; }

# console JAR: one rehearsal; prints "recovery-seconds segments pre-check-seconds staged-ahead total-seconds"
console() {
  PITR_CONSOLE_JAR=$1 "$PITR" restore run --latest --rehearsal --json "${LOC[@]}" > "$WORKDIR/r.json"
  [ "$(json "$WORKDIR/r.json" "d['status']")" = succeeded ] || { cat "$WORKDIR/r.json" >&2; exit 1; }
  echo "$(step "$WORKDIR/r.json" 'recover to target') $(json "$WORKDIR/r.json" "d['walSegmentsRestored']") $(step "$WORKDIR/r.json" 'pre-checks')" \
    "$(json "$WORKDIR/r.json" "[s['detail'] for s in d['steps'] if s['name']=='recover to target'][0].split('; ')[-1].split(' WAL')[0].replace(' ', '')")" \
    "$(json "$WORKDIR/r.json" "round(sum(s['seconds'] for s in d['steps']), 2)")"
}

# server: the backup's tars from the bucket's files, then the server fetching every segment itself
server() {
  rm -rf "$MANUAL"; mkdir -m 700 "$MANUAL" "$MANUAL/pg_wal" 2>/dev/null || mkdir -p -m 700 "$MANUAL/pg_wal"
  for t in "$STORED/$ID"/*.tar*; do
    case $t in
      */pg_wal.tar*) dest=$MANUAL/pg_wal ;;
      */base.tar*) dest=$MANUAL ;;
      *) continue ;;
    esac
    case $t in
      *.zst) zstd -dcq "$t" | tar -x -C "$dest" ;;
      *.gz) tar -xzf "$t" -C "$dest" ;;
      *.lz4) lz4 -dcq "$t" | tar -x -C "$dest" ;;
      *) tar -xf "$t" -C "$dest" ;;
    esac
  done
  local port; port=$(free_port)
  cat >> "$MANUAL/postgresql.auto.conf" <<CONF
restore_command = '"$SCRIPT" fetch "%f" "%p"'
recovery_target_timeline = '1'
archive_mode = 'off'
port = $port
unix_socket_directories = '$WORKDIR/pg'
logging_collector = off
CONF
  touch "$MANUAL/recovery.signal"
  [ "$(id -u)" = 0 ] && chown -R postgres "$MANUAL"
  local t0 t1; t0=$(now)
  as_server "$PG_BIN/pg_ctl" -D "$MANUAL" -l "$WORKDIR/pg/manual.log" start >/dev/null || { cat "$WORKDIR/pg/manual.log" >&2; exit 1; }
  until [ "$("$PG_BIN/psql" -h 127.0.0.1 -p "$port" -qAtX -c 'SELECT pg_is_in_recovery()' postgres 2>/dev/null)" = f ]; do
    sleep 0.05
  done
  t1=$(now)
  echo "$(elapsed "$t0" "$t1") $(grep -c 'restored log file' "$WORKDIR/pg/manual.log") - - -"
  as_server "$PG_BIN/pg_ctl" -D "$MANUAL" -m immediate -w stop >/dev/null
  rm -rf "$MANUAL" "$WORKDIR/pg/manual.log"
}

echo "segments after the backup: $N (16 MiB each), rounds: $ROUNDS; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %-8s %10s %9s %12s %10s %14s %8s\n' round run seconds segments segments/s pre-check 'staged ahead' total
declare -A SUM PRE TOT
for r in $(seq "$ROUNDS"); do
  runs=(console server)
  [ -n "${BEFORE_JAR:-}" ] && runs+=(before)
  for run in "${runs[@]}"; do
    case $run in
      console) read -r s n p a t < <(console "$JAR") ;;
      before) read -r s n p a t < <(console "$BEFORE_JAR") ;;
      server) read -r s n p a t < <(server) ;;
    esac
    printf '%-6s %-8s %10s %9s %12s %10s %14s %8s\n' "$r" "$run" "$s" "$n" "$(rate "$n" "$s")" "$p" "$a" "$t"
    SUM[$run]="${SUM[$run]:-} $(rate "$n" "$s")"
    [ "$p" != - ] && PRE[$run]="${PRE[$run]:-} $p" && TOT[$run]="${TOT[$run]:-} $t"
  done
done
for run in "${!SUM[@]}"; do echo "median segments/s, $run: $(median ${SUM[$run]})"; done
for run in "${!PRE[@]}"; do echo "median pre-check s, $run: $(median ${PRE[$run]}); median whole restore s: $(median ${TOT[$run]})"; done
[ -n "${PRE[before]:-}" ] && echo "pre-check before / console: $(ratio "$(median ${PRE[before]})" "$(median ${PRE[console]})")"
echo "console / server: $(ratio "$(median ${SUM[console]})" "$(median ${SUM[server]})")"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
