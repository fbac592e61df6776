#!/usr/bin/env bash
# Benchmark: how long a new user waits for something to restore. Runs 'demo' of this version and
# of a previous one, alternately, each in a fresh directory, and measures from the start until the
# practice profile exists (polled every 0.1 s), whether 'windows' then shows a restorable range,
# and how long the whole history took. Writes bench/practice/RESULTS.md.
#   usage: OLD=LAUNCHER bench/practice/run.sh [HISTORY_SECONDS] [ROUNDS]     (default: 60 2)
#   NEW defaults to bin/pitr-console; OLD is the launcher of the version to compare with.
set -euo pipefail
HISTORY=${1:-60}
ROUNDS=${2:-2}
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../lib.sh"
NEW=${NEW:-$ROOT/bin/pitr-console}
OLD=${OLD:?set OLD to the launcher of the version to compare with}
[ "$NEW" != "$ROOT/bin/pitr-console" ] || [ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q package -DskipTests)

now() { date +%s.%N; }

# one_run LAUNCHER: prints "seconds-until-profile ranges-then seconds-total"
one_run() {
  local launcher=$1 work start pid profile ranges total
  work=$(mktemp -d /var/tmp/pitr-bench-practice.XXXXXX)
  chmod 755 "$work"
  start=$(now)
  XDG_CONFIG_HOME=$work/config "$launcher" demo --dir "$work/practice" --history-seconds "$HISTORY" >"$work/out" 2>"$work/err" &
  pid=$!
  until grep -qs '"practice"' "$work/config/pitr-console/profiles.json" || ! kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  profile=$(echo "$(now) - $start" | bc)
  ranges=$(XDG_CONFIG_HOME=$work/config "$launcher" windows --json 2>/dev/null \
    | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["merged"]))' || echo "error")
  wait "$pid"
  total=$(echo "$(now) - $start" | bc)
  XDG_CONFIG_HOME=$work/config "$launcher" demo remove --yes --dir "$work/practice" >/dev/null
  rm -rf "$work"
  printf '%.1f %s %.1f\n' "$profile" "$ranges" "$total"
}

rows=""
for round in $(seq "$ROUNDS"); do
  for which in old new; do
    launcher=$OLD; [ "$which" = new ] && launcher=$NEW
    read -r profile ranges total < <(one_run "$launcher")
    rows+="| $round | $which | $profile s | $ranges | $total s |"$'\n'
    echo "round $round $which: profile after $profile s (restorable ranges then: $ranges), whole history $total s" >&2
  done
done

cat > "$HERE/RESULTS.md" <<MD
# First restorable range of the practice cluster

\`OLD=... bench/practice/run.sh $HISTORY $ROUNDS\`, $(date -u +%F), $(nproc) cores (shared with other work; load
average $(cut -d' ' -f1-3 /proc/loadavg) at the end), $(java -version 2>&1 | head -1). Each run is a whole
\`demo --history-seconds $HISTORY\` in a fresh directory, old and new alternately; "profile" is the time from
the start until the \`practice\` profile exists (what the console activates), "ranges" what \`windows\`
printed right then.

| round | version | profile | ranges | whole history |
|---|---|---|---|---|
$rows
MD
cat "$HERE/RESULTS.md"
