#!/usr/bin/env bash
# Benchmark: an S3 repository, PITR Console against pgBackRest 2.45, in one run against the same
# local S3 service (s3proxy, filesystem backend, HTTPS with a self-signed certificate for localhost, as pgBackRest
# speaks only HTTPS to S3; both tools verify it against the same CA file):
#   (a) backup create of the same pgbench database (zstd, fast checkpoint) into the bucket;
#   (b) WAL archiving throughput, segments/s: our archive_command (the shipped curl script) against
#       'pgbackrest archive-push' with archive-async=y, each working off a backlog of N full segments
#       (rows of random text; plus our script over plain HTTP on the same service, to show what TLS costs it);
#       then both again on two workloads, random text and pgbench's own WAL (which compresses well), with our
#       script compressing with zstd ('archiving apply --compress zstd') beside the plain one;
#   (c) restore from the bucket to the end of the archived WAL, promoted, the server left running: our rehearsal
#       ('restore run --latest --keep', which also checks where the server stopped and counts its rows) against
#       'pgbackrest restore' + start + replay until the server leaves recovery. Neither side's teardown is timed
#       (ours: 'restore discard'; before 2026-12-06 17:10 UTC ours ran without --keep and its teardown, about 0.2 s,
#       was in its time). RESTORE_TEARDOWN=1 times ours the old way. A second line gives ours without its row counting
#       (the verify step's seconds taken off its wall time): up to a promoted server whose stop point was checked, what
#       pgBackRest's time measures.
# Rounds alternate the tools. Appends a section to bench/s3backup/RESULTS.md (RESULTS=... elsewhere).
#   usage: bench/s3backup/run.sh [PGBENCH_SCALE] [ROUNDS] [SEGMENTS]   (default: 20 2 32)
#   WAL_ONLY=1 runs only (b), on both workloads, with and without our zstd.
#     BEFORE=FILE adds to it an earlier archive-wal-s3.sh (e.g. from 'git show REV:PATH > FILE'),
#     with zstd, as one more tool in the same rounds: a before/after in one run on one machine load.
#   RESTORE_ONLY=1 runs only (c) (after the untimed warm-up backups that it restores).
#   RESTORE_WAL=zstd (the default) archives (c)'s WAL with our script as 'archiving apply --compress zstd' installs
#     it, like for like with pgBackRest, which compresses its WAL with zstd either way; RESTORE_WAL=none archives it
#     with our script as it is, uncompressed (the default before 2026-12-06 14:00 UTC).
#   RESTORE_BACKUPS=N takes N-1 more backups with both tools before (c), each after 10 s of pgbench (default 1: the
#     warm-up backup only, besides (a)'s), so that (c) restores the newest of several with WAL between them.
#   RESTORE_LOG=DIR keeps our restore's verbose log (-v: seconds since JVM start per line) per round in DIR.
set -euo pipefail
SCALE=${1:-20}
ROUNDS=${2:-2}
N=${3:-32}
RESTORE_WAL=${RESTORE_WAL:-zstd}
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../lib.sh"
OUTFILE=${RESULTS:-$HERE/RESULTS.md}
[ -n "${WAL_ONLY:-}" ] || [ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q package -DskipTests)
[ -f "$ROOT/target/s3proxy/s3proxy.jar" ] || (cd "$ROOT" && mvn -B -q generate-test-resources)
PITR=$ROOT/bin/pitr-console
WORKDIR=$(mktemp -d /var/tmp/pitr-bench-s3backup.XXXXXX)
chmod 755 "$WORKDIR"
S3PID=
cleanup() {
  bench_cluster_stop
  [ -f "$WORKDIR/pg/pgbr-restore/postmaster.pid" ] && as_server "$PG_BIN/pg_ctl" -D "$WORKDIR/pg/pgbr-restore" -m immediate -w stop >/dev/null 2>&1
  [ -n "$S3PID" ] && kill "$S3PID" 2>/dev/null
  rm -rf "$WORKDIR"
}
trap cleanup EXIT

# --- the S3 service on HTTPS, a self-signed certificate for 127.0.0.1 ---
TLS=$WORKDIR/tls; mkdir -p "$TLS" "$WORKDIR/s3/data/bench"
STOREPASS=bench-$RANDOM   # protects only the bench's throw-away key pair
keytool -genkeypair -alias s3proxy -keyalg RSA -keysize 2048 -validity 2 -dname CN=localhost -ext SAN=dns:localhost,ip:127.0.0.1 \
  -keystore "$TLS/keystore.jks" -storetype JKS -storepass "$STOREPASS" -keypass "$STOREPASS" 2>/dev/null
keytool -exportcert -rfc -alias s3proxy -keystore "$TLS/keystore.jks" -storepass "$STOREPASS" -file "$TLS/ca.pem" 2>/dev/null
keytool -importcert -noprompt -alias s3proxy -file "$TLS/ca.pem" -keystore "$TLS/trust.jks" -storetype JKS -storepass "$STOREPASS" 2>/dev/null
chmod 644 "$TLS/ca.pem"
S3PORT=$(free_port)
S3HTTP=$(free_port)
KEY=bench-$RANDOM
SECRET=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
cat > "$WORKDIR/s3/s3proxy.properties" <<P
s3proxy.secure-endpoint=https://127.0.0.1:$S3PORT
s3proxy.endpoint=http://127.0.0.1:$S3HTTP
s3proxy.keystore-path=$TLS/keystore.jks
s3proxy.keystore-password=$STOREPASS
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$KEY
s3proxy.credential=$SECRET
jclouds.provider=filesystem
jclouds.filesystem.basedir=$WORKDIR/s3/data
P
chmod 600 "$WORKDIR/s3/s3proxy.properties"
java -Xmx512m -jar "$ROOT/target/s3proxy/s3proxy.jar" --properties "$WORKDIR/s3/s3proxy.properties" >"$WORKDIR/s3/log" 2>&1 &
S3PID=$!
until curl -s --cacert "$TLS/ca.pem" -o /dev/null "https://localhost:$S3PORT/"; do
  kill -0 "$S3PID" 2>/dev/null || { cat "$WORKDIR/s3/log"; exit 1; }; sleep 0.2
done
# pgBackRest 2.45 matches the host name against the certificate's names, not its IP addresses
ENDPOINT=https://localhost:$S3PORT
LOCATION=s3://bench/pitr

# the server (and every curl it runs) trusts the bench CA; so does our JVM
export CURL_CA_BUNDLE=$TLS/ca.pem
export AWS_ACCESS_KEY_ID=$KEY AWS_SECRET_ACCESS_KEY=$SECRET
# a trust store of one public certificate is read without its password
export JAVA_TOOL_OPTIONS="-Djavax.net.ssl.trustStore=$TLS/trust.jks"
export XDG_CACHE_HOME=$WORKDIR/cache XDG_CONFIG_HOME=$WORKDIR/config XDG_DATA_HOME=$WORKDIR/data
ours() { "$PITR" "$@" --archive "$LOCATION" --s3-endpoint "$ENDPOINT" --s3-path-style; }

bench_cluster_start "$WORKDIR/pg"
PG=$WORKDIR/pg
sql() { "$PG_BIN/psql" -qAtX -c "$1" postgres; }

# our archive_command: the shipped script with the values the console puts in for this location;
# the server user's credentials in a file of its own that the script names (no secret in the script)
printf '[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$KEY" "$SECRET" > "$PG/aws-credentials"
sed -e "s#@@BASE@@#'$ENDPOINT/bench/pitr/wal_archive/'#" -e "s#@@URI@@#'$LOCATION/wal_archive/'#" \
    -e "s#@@BUCKET@@#'$ENDPOINT/bench'#" -e "s#@@REGION@@#'us-east-1'#" -e "s#@@CREDENTIALS@@#'$PG/aws-credentials'#" \
    -e "s#@@COMPRESS@@#none#" -e "s#@@AGE@@#''#" -e "s#@@RECIPIENTS@@##; s#@@IDENTITIES@@##; s#@@KEYFILES@@##; s#@@KEYFILES_TEXT@@##" "$ROOT/src/main/resources/io/pitrconsole/repository/s3/archive-wal-s3.sh" > "$PG/archive-wal"
# the same with 'archiving apply --compress zstd'
sed -e "s#^COMPRESS=none#COMPRESS=zstd#" "$PG/archive-wal" > "$PG/archive-wal-zstd"
# the same script over plain HTTP on the same service: what TLS costs it
sed -e "s#'$ENDPOINT/#'http://127.0.0.1:$S3HTTP/#g" "$PG/archive-wal" > "$PG/archive-wal-http"
chmod 755 "$PG/archive-wal" "$PG/archive-wal-http" "$PG/archive-wal-zstd"
grep -qx 'COMPRESS=zstd' "$PG/archive-wal-zstd"
# a placeholder left unfilled (the script gained one) would break every push: stop here instead
! grep -q '@@' "$PG/archive-wal" || { echo "archive-wal: unfilled placeholder $(grep -o '@@[A-Z_]*@@' "$PG/archive-wal" | head -1)" >&2; exit 1; }
if [ -n "${BEFORE:-}" ]; then
  sed -e "s#@@BASE@@#'$ENDPOINT/bench/pitr/wal_archive/'#" -e "s#@@URI@@#'$LOCATION/wal_archive/'#" \
      -e "s#@@BUCKET@@#'$ENDPOINT/bench'#" -e "s#@@REGION@@#'us-east-1'#" -e "s#@@CREDENTIALS@@#'$PG/aws-credentials'#" \
      -e "s#@@COMPRESS@@#zstd#" -e "s#@@AGE@@#''#" -e "s#@@RECIPIENTS@@##; s#@@IDENTITIES@@##; s#@@KEYFILES@@##; s#@@KEYFILES_TEXT@@##" "$BEFORE" > "$PG/archive-wal-before-zstd"
  chmod 755 "$PG/archive-wal-before-zstd"
  grep -qx 'COMPRESS=zstd' "$PG/archive-wal-before-zstd"
  ! grep -q '@@' "$PG/archive-wal-before-zstd" || { echo "$BEFORE: unfilled placeholder" >&2; exit 1; }
fi

PGBR_CONF=$PG/pgbackrest.conf
mkdir -p "$PG/pgbr-log" "$PG/pgbr-lock" "$PG/pgbr-spool"
cat > "$PGBR_CONF" <<CONF
[global]
repo1-type=s3
repo1-path=/pgbackrest
repo1-s3-bucket=bench
repo1-s3-endpoint=localhost
repo1-storage-port=$S3PORT
repo1-storage-ca-file=$TLS/ca.pem
repo1-s3-region=us-east-1
repo1-s3-uri-style=path
repo1-s3-key=$KEY
repo1-s3-key-secret=$SECRET
repo1-retention-full=9
compress-type=zst
process-max=2
start-fast=y
archive-async=y
log-path=$PG/pgbr-log
lock-path=$PG/pgbr-lock
spool-path=$PG/pgbr-spool
log-level-console=warn

[bench]
pg1-path=$DATA
pg1-port=$PGPORT
pg1-socket-path=$PG
pg1-user=postgres
CONF
chmod 600 "$PG/aws-credentials" "$PGBR_CONF"
[ "$(id -u)" = 0 ] && chown -R postgres "$PG" "$WORKDIR/s3/data"
pgbr() { as_server pgbackrest --config="$PGBR_CONF" --stanza=bench "$@"; }
AS_SERVER=(); [ "$(id -u)" = 0 ] && AS_SERVER=(runuser -u postgres --)
pgbr stanza-create

set_archive_command() { sql "ALTER SYSTEM SET archive_command = '$1'"; sql "SELECT pg_reload_conf()" >/dev/null; }
BOTH="$PG/archive-wal push %p %f && pgbackrest --config=$PGBR_CONF --stanza=bench archive-push %p"
set_archive_command "$BOTH"

"$PG_BIN/pgbench" -i -q -s "$SCALE" postgres >/dev/null 2>&1
sql "CHECKPOINT"
DB_MB=$(( $(sql "SELECT sum(pg_database_size(oid)) FROM pg_database") / 1024 / 1024 ))
echo "pgbench scale $SCALE: $DB_MB MB; load average $(cut -d' ' -f1-3 /proc/loadavg)"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

if [ -z "${WAL_ONLY:-}" ]; then
# untimed warm-up: the launcher's class archive, pgBackRest's first backup (a full one either way)
ours backup create --compress zstd -h 127.0.0.1 -p "$PGPORT" -U postgres >/dev/null
pgbr --type=full backup

# --- (a) backup create ---
b_ours=(); b_pgbr=(); c_ours=(); c_pgbr=()
WORK=$WORKDIR
if [ -z "${RESTORE_ONLY:-}" ]; then
for i in $(seq 1 "$ROUNDS"); do
  for tool in $( [ $((i % 2)) = 1 ] && echo "ours pgbr" || echo "pgbr ours"); do
    if [ "$tool" = ours ]; then
      OUT=$WORKDIR/ours-backup.json timed "$PITR" backup create --compress zstd -h 127.0.0.1 -p "$PGPORT" -U postgres --json \
        --archive "$LOCATION" --s3-endpoint "$ENDPOINT" --s3-path-style
      python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['status']=='complete', d" "$WORKDIR/ours-backup.json"
      b_ours+=("$WALL"); c_ours+=("$CPU")
    else
      timed "${AS_SERVER[@]}" pgbackrest --config="$PGBR_CONF" --stanza=bench --type=full backup
      b_pgbr+=("$WALL"); c_pgbr+=("$CPU")
    fi
    echo "  backup round $i $tool: $WALL s wall, $CPU s CPU"
  done
done
OURS_SIZE=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['sizeBytes'])" "$WORKDIR/ours-backup.json")
PGBR_SIZE=$(pgbr info --output=json | python3 -c "import json,sys; print(json.load(sys.stdin)[0]['backup'][-1]['info']['repository']['delta'])")
fi

# --- (c) restore: both archives get the same WAL after the last backups, then restore to its end ---
case $RESTORE_WAL in
  none) set_archive_command "$BOTH" ;;
  zstd) set_archive_command "$PG/archive-wal-zstd push %p %f && pgbackrest --config=$PGBR_CONF --stanza=bench archive-push %p" ;;
  *) echo "RESTORE_WAL must be none or zstd" >&2; exit 2 ;;
esac
# more backups, each after pgbench's WAL, as an archive kept for a while holds: (c) restores from the newest
for k in $(seq 2 "${RESTORE_BACKUPS:-1}"); do
  sql "CHECKPOINT"
  "$PG_BIN/pgbench" -n -c 4 -j 2 -T 10 postgres >/dev/null 2>&1
  ours backup create --compress zstd -h 127.0.0.1 -p "$PGPORT" -U postgres >/dev/null
  pgbr --type=full backup
done
sql "CHECKPOINT"
"$PG_BIN/pgbench" -n -c 4 -j 2 -T 20 postgres >/dev/null 2>&1
bench_archive_current_segment
sleep 2
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }
r_ours=(); r_pgbr=(); RTO=(); STEPS=(); BEFORE=(); PROMOTED=()
TEARDOWN_WORDS="--keep, its teardown untimed like pgBackRest's"; [ -n "${RESTORE_TEARDOWN:-}" ] && TEARDOWN_WORDS="its teardown timed"
pgbr_restore() {
  local P=$PG/pgbr-restore PORT2 t0
  rm -rf "$P"; mkdir -m 700 "$P"; [ "$(id -u)" = 0 ] && chown postgres "$P"
  PORT2=$(free_port)
  t0=$(now)
  pgbr --pg1-path="$P" --archive-mode=off restore
  as_server "$PG_BIN/pg_ctl" -D "$P" -l "$PG/pgbr-restore.log" -w -t 3600 \
    -o "-p $PORT2 -c unix_socket_directories=$PG -c archive_mode=off" start >/dev/null
  until [ "$("$PG_BIN/psql" -h "$PG" -p "$PORT2" -U postgres -qAt -c 'SELECT pg_is_in_recovery()' postgres 2>/dev/null)" = f ]; do
    sleep 0.1
  done
  r_pgbr+=("$(elapsed "$t0" "$(now)")")
  as_server "$PG_BIN/pg_ctl" -D "$P" -m immediate -w stop >/dev/null
  rm -rf "$P"
}
ours_restore() {
  local t0 t1
  local log=/dev/stderr v=()
  [ -n "${RESTORE_LOG:-}" ] && { mkdir -p "$RESTORE_LOG"; log=$RESTORE_LOG/ours-restore-$((${#r_ours[@]} + 1)).log; v=(-v); }
  local keep=(--keep); [ -n "${RESTORE_TEARDOWN:-}" ] && keep=()
  t0=$(now); ours restore run --latest "${keep[@]}" -U postgres --json "${v[@]}" > "$WORKDIR/r.json" 2>"$log"; t1=$(now)
  [ "$(json "$WORKDIR/r.json" "d['status'].upper()")" = SUCCEEDED ] || { cat "$WORKDIR/r.json"; exit 1; }
  # untimed, as pgBackRest's stop and removal are
  [ ${#keep[@]} = 0 ] || ours restore discard "$(json "$WORKDIR/r.json" "d['sandbox']")" >/dev/null
  r_ours+=("$(elapsed "$t0" "$t1")"); RTO+=("$(json "$WORKDIR/r.json" "d['rtoSeconds']")")
  STEPS+=("$(json "$WORKDIR/r.json" "' / '.join(f\"{s['name']} {s['seconds']:.2f}\" for s in d['steps'])")")
  # the command's wall time outside its steps: JVM start, opening the bucket, planning, the report
  BEFORE+=("$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(f\"{float(sys.argv[2]) - sum(s['seconds'] for s in d['steps']):.2f}\")" "$WORKDIR/r.json" "${r_ours[-1]}")")
  # like for like with pgBackRest's time: the command's wall time less its row counting (the verify step), so up to a
  # promoted server whose stop point was checked against the plan (the report's saving and the exit stay in)
  PROMOTED+=("$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(f\"{float(sys.argv[2]) - sum(s['seconds'] for s in d['steps'] if s['name'] == 'verify'):.3f}\")" "$WORKDIR/r.json" "${r_ours[-1]}")")
}
for i in $(seq 1 "$ROUNDS"); do
  if [ $((i % 2)) = 1 ]; then ours_restore; pgbr_restore; else pgbr_restore; ours_restore; fi
  echo "  restore round $i: ours ${r_ours[-1]} s (outside its steps ${BEFORE[-1]} s), pgBackRest ${r_pgbr[-1]} s"
done
if [ -n "${RESTORE_ONLY:-}" ]; then
  LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
  {
    echo
    echo "## $(date -u '+%Y-%m-%d %H:%M UTC'): (c) restore only; pgbench scale $SCALE ($DB_MB MB), $ROUNDS rounds; our WAL: $RESTORE_WAL; backups: ${RESTORE_BACKUPS:-1}; our rehearsal: $TEARDOWN_WORDS"
    echo
    echo "Load average before → after: $LOAD_BEFORE → $LOAD_AFTER ($(nproc) cores, shared). Medians of $ROUNDS rounds."
    echo
    echo "| | PITR Console | pgBackRest 2.45 | PITR Console / pgBackRest |"
    echo "|---|---:|---:|---:|"
    echo "| (c) restore to the end of the WAL, s (wall) | $(median "${r_ours[@]}") | $(median "${r_pgbr[@]}") | $(ratio "$(median "${r_ours[@]}")" "$(median "${r_pgbr[@]}")") (time; < 1 is faster) |"
    echo "| (c) the same up to a promoted server (ours: its stop point checked; without its row counting) | $(median "${PROMOTED[@]}") | $(median "${r_pgbr[@]}") | $(ratio "$(median "${PROMOTED[@]}")" "$(median "${r_pgbr[@]}")") |"
    echo
    echo "Rounds: ours ${r_ours[*]} (RTO as reported ${RTO[*]}; outside the steps ${BEFORE[*]}; without row counting ${PROMOTED[*]}) / pgBackRest ${r_pgbr[*]}."
    echo "Our restore's steps, per round: $(printf '[%s] ' "${STEPS[@]}")"
  } | tee -a "$OUTFILE"
  exit 0
fi
fi
# --- (b) WAL archiving: a backlog of N segments (archive_command empty), then the time to archive them all ---
archived() { sql "SELECT archived_count FROM pg_stat_archiver"; }
wal_run() {
  set_archive_command ""; sleep 1
  local base failed t0 t; base=$(archived); failed=$(sql "SELECT failed_count FROM pg_stat_archiver")
  # N full segments of rows with random text: segments that a pg_switch_wal() closes almost empty
  # would measure compression (they shrink to nothing), not archiving
  local start; start=$(sql "SELECT pg_current_wal_lsn()")
  sql "CREATE TABLE IF NOT EXISTS walfill (a int, b text)"
  while [ "$(sql "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$start') >= $N * 16777216")" = f ]; do
    if [ "${2:-random}" = pgbench ]; then
      # pgbench's own WAL: updates, with the full-page images a checkpoint brings
      sql "CHECKPOINT"; "$PG_BIN/pgbench" -n -c 4 -j 2 -T 5 postgres >/dev/null 2>&1
    else
      sql "INSERT INTO walfill SELECT g, md5(random()::text) || md5(random()::text) FROM generate_series(1, 200000) g"
    fi
  done
  sql "TRUNCATE walfill"
  sql "SELECT pg_switch_wal()" >/dev/null
  local m; m=$(ls "$DATA/pg_wal/archive_status" | grep -c '\.ready$')
  sql "ALTER SYSTEM SET archive_command = '$1'"
  t0=$(now)
  sql "SELECT pg_reload_conf()" >/dev/null
  while [ "$(archived)" -lt $((base + m)) ]; do
    [ "$(sql "SELECT failed_count FROM pg_stat_archiver")" = "$failed" ] || { tail -5 "$PG/server.log" >&2; exit 1; }
    sleep 0.05
  done
  t=$(elapsed "$t0" "$(now)")
  python3 -c "print(f'{$m / $t:.2f}')"
}
# the median size in MiB of the WAL objects stored since the marker file was touched, under a folder of the bucket
stored_mib() { find "$WORKDIR/s3/data/bench/$1" -type f -name "$2" -newer "$WORKDIR/mark" -printf '%s\n' | python3 -c "import sys, statistics; v=[int(x) for x in sys.stdin]; print(f'{statistics.median(v) / 1048576:.2f}' if v else '?')"; }
if [ -n "${WAL_ONLY:-}" ]; then
  LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
  declare -A W S
  for load in random pgbench; do
    for i in $(seq 1 "$ROUNDS"); do
      tools="ours zstd pgbr${BEFORE:+ before}"
      [ $((i % 2)) = 1 ] || tools=$(echo "$tools" | tr ' ' '\n' | tac | tr '\n' ' ')
      for tool in $tools; do
        touch "$WORKDIR/mark"; sleep 1
        case $tool in
          before) r=$(wal_run "$PG/archive-wal-before-zstd push %p %f" "$load"); sz=$(stored_mib pitr/wal_archive '*.zst') ;;
          ours) r=$(wal_run "$PG/archive-wal push %p %f" "$load"); sz=$(stored_mib pitr/wal_archive '[0-9A-F]*[0-9A-F]') ;;
          zstd) r=$(wal_run "$PG/archive-wal-zstd push %p %f" "$load"); sz=$(stored_mib pitr/wal_archive '*.zst') ;;
          pgbr) r=$(wal_run "pgbackrest --config=$PGBR_CONF --stanza=bench archive-push %p" "$load"); sz=$(stored_mib pgbackrest/archive '0000000*-*') ;;
        esac
        W[$load.$tool]="${W[$load.$tool]:-} $r"; S[$load.$tool]="${S[$load.$tool]:-} $sz"
        echo "  WAL $load round $i $tool: $r segments/s, stored segment median $sz MiB"
      done
    done
  done
  LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
  {
    echo
    echo "## $(date -u '+%Y-%m-%d %H:%M UTC'): (b) WAL archiving only, compressed and not; $ROUNDS rounds, $N segments per run"
    echo
    echo "Load average before → after: $LOAD_BEFORE → $LOAD_AFTER ($(nproc) cores, shared). Medians of $ROUNDS rounds; HTTPS throughout."
    echo "'ours zstd' is our script as 'archiving apply --compress zstd' installs it (zstd -q, level 3, then the PUT)."
    echo
    echo "| workload | ours (as it is), seg/s | ours zstd, seg/s | pgBackRest zstd, seg/s | ours zstd / pgBackRest | stored MiB/segment: ours, ours zstd, pgBackRest |"
    echo "|---|---:|---:|---:|---:|---|"
    for load in random pgbench; do
      # shellcheck disable=SC2086
      o=$(median ${W[$load.ours]}); z=$(median ${W[$load.zstd]}); b=$(median ${W[$load.pgbr]})
      echo "| $load | $o | $z | $b | $(ratio "$z" "$b") (rate; > 1 is faster) | ${S[$load.ours]# } / ${S[$load.zstd]# } / ${S[$load.pgbr]# } |"
    done
    echo
    for load in random pgbench; do
      echo "Rounds, $load: ours${W[$load.ours]}; ours zstd${W[$load.zstd]}; pgBackRest${W[$load.pgbr]}."
    done
    if [ -n "${BEFORE:-}" ]; then
      echo
      echo "Side by side in the same rounds, the earlier script $(basename "$BEFORE") with zstd ('before'):"
      echo
      echo "| workload | before zstd, seg/s | ours zstd, seg/s | before / pgBackRest | ours zstd / before |"
      echo "|---|---:|---:|---:|---:|"
      for load in random pgbench; do
        # shellcheck disable=SC2086
        p=$(median ${W[$load.before]}); z=$(median ${W[$load.zstd]}); b=$(median ${W[$load.pgbr]})
        echo "| $load | $p | $z | $(ratio "$p" "$b") | $(ratio "$z" "$p") |"
      done
      echo
      for load in random pgbench; do echo "Rounds, $load: before${W[$load.before]}."; done
    fi
  } | tee -a "$OUTFILE"
  exit 0
fi
w_ours=(); w_pgbr=(); w_http=()
for i in $(seq 1 "$ROUNDS"); do
  for tool in $( [ $((i % 2)) = 1 ] && echo "ours pgbr http" || echo "http pgbr ours"); do
    if [ "$tool" = ours ]; then r=$(wal_run "$PG/archive-wal push %p %f"); w_ours+=("$r")
    elif [ "$tool" = http ]; then r=$(wal_run "$PG/archive-wal-http push %p %f"); w_http+=("$r")
    else r=$(wal_run "pgbackrest --config=$PGBR_CONF --stanza=bench archive-push %p"); w_pgbr+=("$r"); fi
    echo "  WAL round $i $tool: $r segments/s"
  done
done

PGBR_WAL=$(find "$WORKDIR/s3/data/bench/pgbackrest/archive" -name '0000000*-*' -size +64k -printf '%s\n' | python3 -c "import sys, statistics; v=[int(x) for x in sys.stdin]; print(f'{statistics.median(v) / 1048576:.1f}' if v else '?')")
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

MB=$(python3 -c "print($DB_MB)")
{
  echo
  echo "## $(date -u '+%Y-%m-%d %H:%M UTC'): pgbench scale $SCALE ($DB_MB MB), $ROUNDS rounds, $N segments"
  echo
  echo "Load average before → after: $LOAD_BEFORE → $LOAD_AFTER ($(nproc) cores, shared). Medians of $ROUNDS rounds."
  echo
  echo "| | PITR Console | pgBackRest 2.45 | PITR Console / pgBackRest |"
  echo "|---|---:|---:|---:|"
  echo "| (a) backup create, s (wall) | $(median "${b_ours[@]}") | $(median "${b_pgbr[@]}") | $(ratio "$(median "${b_ours[@]}")" "$(median "${b_pgbr[@]}")") (time; < 1 is faster) |"
  echo "| (a) backup create, CPU s (user+sys, this side) | $(median "${c_ours[@]}") | $(median "${c_pgbr[@]}") | |"
  echo "| (a) stored size, MB | $((OURS_SIZE / 1024 / 1024)) | $((PGBR_SIZE / 1024 / 1024)) | |"
  echo "| (b) WAL archiving, segments/s | $(median "${w_ours[@]}") | $(median "${w_pgbr[@]}") | $(ratio "$(median "${w_ours[@]}")" "$(median "${w_pgbr[@]}")") (rate; > 1 is faster) |"
  echo "| (b) the same, our script over plain HTTP (pgBackRest: HTTPS) | $(median "${w_http[@]}") | $(median "${w_pgbr[@]}") | $(ratio "$(median "${w_http[@]}")" "$(median "${w_pgbr[@]}")") |"
  echo "| (c) restore to the end of the WAL (our WAL: $RESTORE_WAL; ours $TEARDOWN_WORDS), s (wall) | $(median "${r_ours[@]}") | $(median "${r_pgbr[@]}") | $(ratio "$(median "${r_ours[@]}")" "$(median "${r_pgbr[@]}")") (time; < 1 is faster) |"
  echo "| (c) the same up to a promoted server (ours: its stop point checked; without its row counting) | $(median "${PROMOTED[@]}") | $(median "${r_pgbr[@]}") | $(ratio "$(median "${PROMOTED[@]}")" "$(median "${r_pgbr[@]}")") |"
  echo
  echo "Rounds: backup ours ${b_ours[*]} / pgBackRest ${b_pgbr[*]}; WAL ours ${w_ours[*]} (HTTP ${w_http[*]}) / pgBackRest ${w_pgbr[*]};"
  echo "restore ours ${r_ours[*]} (RTO as reported ${RTO[*]}; without row counting ${PROMOTED[*]}) / pgBackRest ${r_pgbr[*]}."
  echo "Our restore's steps, per round: $(printf '[%s] ' "${STEPS[@]}")"
  echo "A WAL segment (16 MiB) as pgBackRest stored it (zstd), median: $PGBR_WAL MiB; ours stores it as it is unless told to compress ((c) here: $RESTORE_WAL)."
} | tee -a "$OUTFILE"
