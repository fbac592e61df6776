#!/usr/bin/env bash
# WAL archiving throughput into an s3:// repository: segments per second the PostgreSQL 15
# archiver gets through with the s3 archive_command script (curl, no JVM per segment), against a
# plain local 'cp' archive_command in the same run. A backlog of N segments is made while
# archive_command is empty (the server keeps them .ready), then the command is set and the time
# until the archiver has archived all N is measured.
# Usage: bench/s3wal/run.sh [segments]   (default 64; needs target/s3proxy/s3proxy.jar: mvn test-compile)
set -euo pipefail
N=${1:-64}
. "$(dirname "$0")/../lib.sh"
WORK=/var/tmp/s3wal/bench
rm -rf "$WORK"; mkdir -p "$WORK/s3/data"

S3PORT=$(free_port)
KEY=bench-$RANDOM
SECRET=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
cat > "$WORK/s3/s3proxy.properties" <<P
s3proxy.endpoint=http://127.0.0.1:$S3PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$KEY
s3proxy.credential=$SECRET
jclouds.provider=filesystem
jclouds.filesystem.basedir=$WORK/s3/data
P
java -Xmx512m -jar "$ROOT/target/s3proxy/s3proxy.jar" --properties "$WORK/s3/s3proxy.properties" >"$WORK/s3/log" 2>&1 &
S3PID=$!
cleanup() { bench_cluster_stop; kill "$S3PID" 2>/dev/null || true; }
trap cleanup EXIT
until curl -s -o /dev/null "http://127.0.0.1:$S3PORT/"; do sleep 0.2; done
mkdir -p "$WORK/s3/data/bench"   # the filesystem backend's bucket 'bench'

bench_cluster_start "$WORK/pg"; WORK=/var/tmp/s3wal/bench
# the server user's credentials, in a file of its own that the script names (no secret in the script)
printf '[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$KEY" "$SECRET" > "$WORK/pg/aws-credentials"
chmod 600 "$WORK/pg/aws-credentials"; [ "$(id -u)" = 0 ] && chown -R postgres "$WORK/pg" "$WORK/s3/data"
# the script exactly as shipped; these are the values the console puts in for this location
sed -e "s#@@BASE@@#'http://127.0.0.1:$S3PORT/bench/pitr/wal_archive/'#" -e "s#@@URI@@#'s3://bench/pitr/wal_archive/'#" \
    -e "s#@@BUCKET@@#'http://127.0.0.1:$S3PORT/bench'#" -e "s#@@REGION@@#'us-east-1'#" \
    -e "s#@@CREDENTIALS@@#'$WORK/pg/aws-credentials'#" -e "s#@@COMPRESS@@#none#" \
    -e "s#@@AGE@@#''#" -e "s#@@RECIPIENTS@@##; s#@@IDENTITIES@@##; s#@@KEYFILES@@##; s#@@KEYFILES_TEXT@@##" \
    "$ROOT/src/main/resources/io/pitrconsole/repository/s3/archive-wal-s3.sh" > "$WORK/archive-wal"
chmod 755 "$WORK/archive-wal"
# a placeholder left unfilled (the script gained one) would break every push: stop here instead
! grep -q '@@' "$WORK/archive-wal" || { echo "archive-wal: unfilled placeholder $(grep -o '@@[A-Z_]*@@' "$WORK/archive-wal" | head -1)" >&2; exit 1; }

sql() { "$PG_BIN/psql" -qAtX -c "$1" postgres; }
archived() { sql "SELECT archived_count FROM pg_stat_archiver"; }

# run LABEL COMMAND: a backlog of N segments, then the time the archiver takes with COMMAND
run() {
  sql "ALTER SYSTEM SET archive_command = ''"; sql "SELECT pg_reload_conf()" >/dev/null; sleep 1
  local base failed; base=$(archived); failed=$(sql "SELECT failed_count FROM pg_stat_archiver")
  for _ in $(seq "$N"); do sql "SELECT txid_current()" >/dev/null; sql "SELECT pg_switch_wal()" >/dev/null; done
  sql "ALTER SYSTEM SET archive_command = '$2'"
  local t0; t0=$(now)
  sql "SELECT pg_reload_conf()" >/dev/null
  while [ "$(archived)" -lt $((base + N)) ]; do
    [ "$(sql "SELECT failed_count FROM pg_stat_archiver")" = "$failed" ] || { tail -5 "$WORK/pg/server.log" >&2; exit 1; }
    sleep 0.05
  done
  local t; t=$(elapsed "$t0" "$(now)")
  echo "$1 $t $(python3 -c "print(f'{$N / $t:.1f}')")"
}

echo "segments: $N (16 MiB each); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %10s %14s\n' command seconds segments/s
read -r _ t1 r1 < <(run cp "test ! -f $ARCHIVE/wal_archive/%f && cp %p $ARCHIVE/wal_archive/%f")
printf '%-8s %10s %14s\n' local-cp "$t1" "$r1"
read -r _ t2 r2 < <(run s3 "$WORK/archive-wal push %p %f")
printf '%-8s %10s %14s\n' s3 "$t2" "$r2"
echo "s3 / local-cp throughput: $(ratio "$r2" "$r1")"
echo "stored in the bucket: $(ls "$WORK/s3/data/bench/pitr/wal_archive" | wc -l) objects"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
