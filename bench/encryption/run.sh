#!/usr/bin/env bash
# Benchmark: what encryption at rest costs. The same data in two directory repositories, one plain
# and one encrypted with an age key, side by side in one run, alternating which goes first:
#   backup create   pg_basebackup (client-side zstd) into the repository; encrypted: into a private
#                   staging directory, then each file encrypted with age into the repository
#   windows (cold)  the recovery windows with no WAL index cache (the cache files in .pitr removed,
#                   encryption.json kept), JVM start included: every segment read, decrypted first
#   rehearsal       restore run --latest: the backup extracted (decrypted on the way), the server
#                   replaying the WAL its restore_command fetches (and decrypts, with age, on its host)
#   archiving       per segment, what the server's archive_command does with it: cp into the
#                   plain archive, age -r RECIPIENT into the encrypted one (the encrypting script's core)
# The server's archive_command puts every segment into both repositories (cp for the plain one, age to
# the repository's recipient for the encrypted one), so both hold the same segments.
# Records the load average before and after. Writes bench/encryption/RESULTS.md.
#   usage: bench/encryption/run.sh [ROUNDS] [PGBENCH_SCALE] [SEGMENTS]   (default: 3 30 48)
#   PITR_CONSOLE_JAR=JAR runs another build's jar.
set -euo pipefail
ROUNDS=${1:-3}
SCALE=${2:-30}
SEGMENTS=${3:-48}
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../lib.sh"

[ -f "${PITR_CONSOLE_JAR:-$JAR}" ] || (cd "$ROOT" && mvn -B -q package -DskipTests)
command -v age >/dev/null || { echo "bench/encryption needs age (Debian: apt-get install age)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench/encryption needs /usr/bin/time (Debian: apt-get install time)" >&2; exit 1; }
PITR=$ROOT/bin/pitr-console
WORKDIR=$(mktemp -d /tmp/pitr-bench-encryption.XXXXXX)
export XDG_CACHE_HOME=$WORKDIR/cache XDG_CONFIG_HOME=$WORKDIR/config
unset PITR_ENCRYPTION_KEY_FILE
trap 'bench_cluster_stop; rm -rf "$WORKDIR"' EXIT
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

bench_cluster_start "$WORKDIR"
SOURCE=$ARCHIVE
PLAIN=$WORKDIR/plain
ENC=$WORKDIR/encrypted
KEY=$WORKDIR/keys/repo.key
mkdir -p "$PLAIN" "$ENC" "$WORKDIR/keys"
"$PITR" key create "$KEY" >"$WORKDIR/key.txt" 2>/dev/null
RECIPIENT=$(awk '/^recipient:/{print $2}' "$WORKDIR/key.txt")
# the server's restore_command decrypts with the key file: its OS user must read it (and nobody else)
if [ "$(id -u)" = 0 ]; then chgrp -R postgres "$WORKDIR/keys"; chmod 750 "$WORKDIR/keys"; chmod 640 "$KEY"; fi
mkdir -p "$PLAIN/wal_archive" "$ENC/wal_archive"
[ "$(id -u)" = 0 ] && chown -R postgres "$PLAIN" "$ENC"

pitr_on() { # REPO ARGS...: the command on one repository, with the key for the encrypted one
  local repo=$1; shift
  "$PITR" "$@" $(repo_args "$repo")
}
repo_args() { echo "--archive $1"; [ "$1" = "$ENC" ] && echo "--encryption-key-file $KEY"; true; }
last() { local a=($1); echo "${a[-1]}"; }
name_of() { [ "$1" = "$ENC" ] && echo encrypted || echo plain; }
order() { (( $1 % 2 )) && echo "$PLAIN $ENC" || echo "$ENC $PLAIN"; }
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

"$PG_BIN/pgbench" -i -q -s "$SCALE" postgres >/dev/null 2>&1
"$PG_BIN/psql" -qAt -c "CHECKPOINT" postgres
DB_MB=$(( $("$PG_BIN/psql" -qAt -c "SELECT sum(pg_database_size(oid)) FROM pg_database" postgres) / 1024 / 1024 ))
echo "database: $DB_MB MB"

# the encrypted repository records its key (encryption.json) at its first write, before the server
# archives into it: a first backup, which waits in vain for its .backup file (nothing archives there yet)
pitr_on "$ENC" backup create --compress zstd --checkpoint fast >/dev/null 2>&1
# The server archives each segment into both repositories: cp into the plain one, age to the
# repository's recipient into the encrypted one (what the console's encrypting script does on the
# server's host, minus its checks), each through a dot-name and a rename.
cat > "$WORKDIR/archive-both.sh" <<SCRIPT
#!/bin/sh
set -e
cp "\$1" "$PLAIN/wal_archive/.\$2.tmp" && mv "$PLAIN/wal_archive/.\$2.tmp" "$PLAIN/wal_archive/\$2"
age -r $RECIPIENT -o "$ENC/wal_archive/.\$2.tmp" "\$1" && mv "$ENC/wal_archive/.\$2.tmp" "$ENC/wal_archive/\$2"
cp "\$1" "$SOURCE/wal_archive/\$2"
SCRIPT
chmod 755 "$WORKDIR/archive-both.sh"
"$PG_BIN/psql" -qAt -c "ALTER SYSTEM SET archive_command = '$WORKDIR/archive-both.sh %p %f'" -c "SELECT pg_reload_conf()" postgres >/dev/null
# untimed first runs: page cache warm for both, the launcher's class archive recorded
for R in $PLAIN $ENC; do pitr_on "$R" backup create --compress zstd --checkpoint fast >/dev/null; done

declare -A B W H STEPS
for i in $(seq 1 "$ROUNDS"); do
  for R in $(order "$i"); do
    sync
    before=$(ls -d "$R"/backup_2*/ | wc -l)
    timed "$PITR" backup create --compress zstd --checkpoint fast $(repo_args "$R")
    [ "$(ls -d "$R"/backup_2*/ | wc -l)" -gt "$before" ] || { tail -5 "$WORKDIR/stderr"; exit 1; }
    B[$(name_of "$R")]+="$WALL/$CPU "
    # one backup per repository is enough for what follows; the newest stays
    ls -d "$R"/backup_2*/ | head -n -1 | xargs -r rm -rf
  done
  echo "  round $i: backup create plain $(last "${B[plain]}") encrypted $(last "${B[encrypted]}") (wall/cpu)"
done
BACKUP_MB=$(du -sm "$PLAIN"/backup_2*/ | awk '{print $1}')
BACKUP_ENC_MB=$(du -sm "$ENC"/backup_2*/ | awk '{print $1}')

# WAL after the backups, so every segment lies in their windows
bench_grow_wal "$(( $(bench_segment_count) + SEGMENTS ))"
bench_archive_current_segment
# per segment, what each archive_command's core costs, on the same files (copies into a scratch directory)
mkdir -p "$WORKDIR/scratch"; cp_s=0; age_s=0; n=0
for f in $(ls "$SOURCE/wal_archive" | grep -E '^[0-9A-F]{24}$' | tail -n 32); do
  t0=$(now); cp "$SOURCE/wal_archive/$f" "$WORKDIR/scratch/$f.cp"; t1=$(now)
  cp_s=$(python3 -c "print($cp_s + $t1 - $t0)")
  t0=$(now); age -r "$RECIPIENT" -o "$WORKDIR/scratch/$f.age" "$SOURCE/wal_archive/$f"; t1=$(now)
  age_s=$(python3 -c "print($age_s + $t1 - $t0)")
  n=$((n + 1)); rm -f "$WORKDIR/scratch/$f".*
done
WAL_FILES=$(ls "$PLAIN/wal_archive" | grep -cE '^[0-9A-F]{24}$')
WAL_MB=$(du -sm "$PLAIN/wal_archive" | awk '{print $1}')
cmp -s <(ls "$PLAIN/wal_archive" | grep -v '^\.') <(ls "$ENC/wal_archive" | grep -v '^\.') || { echo "the repositories hold different WAL files" >&2; exit 1; }
echo "WAL: $WAL_FILES segments ($WAL_MB MB); per file cp $(python3 -c "print(f'{$cp_s / $n * 1000:.0f}')") ms, age $(python3 -c "print(f'{$age_s / $n * 1000:.0f}')") ms"

uncache() { find "$1/.pitr" -mindepth 1 -maxdepth 1 ! -name encryption.json ! -name bin -exec rm -rf {} + 2>/dev/null || true; }
for R in $PLAIN $ENC; do uncache "$R"; pitr_on "$R" windows >/dev/null; done
for i in $(seq 1 "$ROUNDS"); do
  for R in $(order "$i"); do
    uncache "$R"; sync
    OUT=$WORKDIR/windows-$(name_of "$R").txt timed "$PITR" windows $(repo_args "$R")
    [ -s "$WORKDIR/windows-$(name_of "$R").txt" ] || { tail -5 "$WORKDIR/stderr"; exit 1; }
    W[$(name_of "$R")]+="$WALL/$CPU "
  done
  echo "  round $i: windows (cold) plain $(last "${W[plain]}") encrypted $(last "${W[encrypted]}") (wall/cpu)"
done
# each repository has its own backup (its own start), so the windows' ends are what must agree
ends() { pitr_on "$1" windows --json | python3 -c "
import json, sys
def walk(x):
    if isinstance(x, dict):
        for k, v in x.items():
            if k == 'to' and isinstance(v, str): yield v
            yield from walk(v)
    elif isinstance(x, list):
        for v in x: yield from walk(v)
print(max(walk(json.load(sys.stdin)), default='none'))"; }
END_PLAIN=$(ends "$PLAIN"); END_ENC=$(ends "$ENC")
[ "$END_PLAIN" = "$END_ENC" ] && SAME_WINDOWS="the same end, $END_PLAIN" || SAME_WINDOWS="DIFFERENT ends: plain $END_PLAIN, encrypted $END_ENC"

for R in $PLAIN $ENC; do pitr_on "$R" restore run --latest -U postgres --json >"$WORKDIR/warm-$(name_of "$R").json" || { cat "$WORKDIR/warm-$(name_of "$R").json"; exit 1; }; done
for i in $(seq 1 "$ROUNDS"); do
  for R in $(order "$i"); do
    N=$(name_of "$R")
    OUT=$WORKDIR/r-$N.json timed "$PITR" restore run --latest -U postgres --json $(repo_args "$R")
    [ "$(json "$WORKDIR/r-$N.json" "d['status'].upper()")" = SUCCEEDED ] || { cat "$WORKDIR/r-$N.json"; exit 1; }
    H[$N]+="$WALL/$CPU/$(json "$WORKDIR/r-$N.json" "round(d['rtoSeconds'], 2)") "
    STEPS[$i$N]=$(json "$WORKDIR/r-$N.json" "' / '.join(f\"{s['name']} {s['seconds']:.2f}\" for s in d['steps'])")
  done
  echo "  round $i: rehearsal plain $(last "${H[plain]}") encrypted $(last "${H[encrypted]}") (wall/cpu/RTO)"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

med() { # "w/c w/c ..." FIELD -> median of that field
  python3 -c "import statistics,sys; print(f'{statistics.median(float(x.split(\"/\")[int(sys.argv[2])]) for x in sys.argv[1].split()):.2f}')" "$1" "$2"
}
row() { # LABEL PLAINSERIES ENCSERIES
  local pw ew pc ec
  pw=$(med "$2" 0); ew=$(med "$3" 0); pc=$(med "$2" 1); ec=$(med "$3" 1)
  echo "| $1 | $pw s | $ew s | **$(ratio "$ew" "$pw")** | $pc s | $ec s | $(ratio "$ec" "$pc") |"
}
{
  echo "# Encryption benchmark results"
  echo
  echo "Recorded $(date -u +%Y-%m-%dT%H:%MZ) by \`bench/encryption/run.sh $ROUNDS $SCALE $SEGMENTS\` on $(nproc) cores,"
  echo "$(free -g | awk '/Mem:/{print $2}') GB RAM, $("$PG_BIN/postgres" --version), $(java -version 2>&1 | head -1), $(age --version 2>&1 | head -1 | sed 's/^/age /')."
  echo "Load average (1, 5, 15 min) before: $LOAD_BEFORE; after: $LOAD_AFTER. The machine is shared: read the ratios, not the seconds."
  echo
  echo "Data: pgbench scale $SCALE ($DB_MB MB of databases); backup $BACKUP_MB MB plain, $BACKUP_ENC_MB MB encrypted (zstd, client-side);"
  cmp -s <(ls "$PLAIN/wal_archive" | grep -v '^\.') <(ls "$ENC/wal_archive" | grep -v '^\.') || { echo "the repositories hold different WAL files" >&2; exit 1; }
echo "WAL: $WAL_FILES segments, $WAL_MB MB. Both repositories are directories on the same disk. Medians of $ROUNDS rounds,"
  echo "alternating which repository goes first; whole commands through bin/pitr-console, JVM start included."
  echo "CPU is user+sys of the command and its children (pg_basebackup, age; not the server's)."
  echo
  echo "| command | plain | encrypted | ratio | CPU plain | CPU encrypted | CPU ratio |"
  echo "|---|---|---|---|---|---|---|"
  row "backup create" "${B[plain]}" "${B[encrypted]}"
  row "windows (cold: no index cache)" "${W[plain]}" "${W[encrypted]}"
  row "rehearsal \`restore run --latest\`" "${H[plain]}" "${H[encrypted]}"
  echo "| rehearsal RTO (its report) | $(med "${H[plain]}" 2) s | $(med "${H[encrypted]}" 2) s | **$(ratio "$(med "${H[encrypted]}" 2)" "$(med "${H[plain]}" 2)")** | | | |"
  echo "| archive_command's core per segment (cp vs age -r, last $n segments) | $(python3 -c "print(f'{$cp_s / $n * 1000:.0f}')") ms | $(python3 -c "print(f'{$age_s / $n * 1000:.0f}')") ms | $(python3 -c "print(f'{$age_s / $cp_s:.2f}')") | | | |"
  echo
  echo "Recovery windows of the two repositories: $SAME_WINDOWS. Rehearsals: every one SUCCEEDED (status checked each round)."
  echo
  echo "Raw (wall/cpu[/RTO] seconds per round): backup create plain ${B[plain]}; encrypted ${B[encrypted]};"
  echo "windows plain ${W[plain]}; encrypted ${W[encrypted]}; rehearsal plain ${H[plain]}; encrypted ${H[encrypted]}."
  echo
  echo "Rehearsal steps, last round: plain: ${STEPS[${ROUNDS}plain]}; encrypted: ${STEPS[${ROUNDS}encrypted]}."
} > "$HERE/RESULTS.new"
if [ -f "$HERE/RESULTS.md" ] && grep -q '^## Where the time goes' "$HERE/RESULTS.md"; then
  sed -n '/^## Where the time goes/,$p' "$HERE/RESULTS.md" | { echo; cat; } >> "$HERE/RESULTS.new"
fi
mv "$HERE/RESULTS.new" "$HERE/RESULTS.md"
cat "$HERE/RESULTS.md"
