#!/usr/bin/env bash
# Benchmark: recovery timeline frame times on a synthetic archive of 2,000 backups, 100,000 WAL
# segments and 50 gaps, panning and zooming the real control under headless JavaFX (Monocle,
# software rendering). Runs TimelineBench from the test classes; writes bench/timeline/RESULTS.md.
#   usage: bench/timeline/run.sh [WIDTH] [HEIGHT]      (default: 1600 400)
set -euo pipefail
WIDTH=${1:-1600}
HEIGHT=${2:-400}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"
mvn -B -q test-compile
CP_FILE=$(mktemp /tmp/pitr-bench-timeline-cp.XXXXXX)
trap 'rm -f "$CP_FILE"' EXIT
mvn -B -q dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >/dev/null
CP="target/test-classes:target/classes:$(cat "$CP_FILE")"
OUT=$(java -Xmx1g -cp "$CP" -Dglass.platform=Monocle -Dmonocle.platform=Headless -Dprism.order=sw \
  io.pitrconsole.ui.timeline.TimelineBench "$WIDTH" "$HEIGHT" 2>/dev/null)
echo "$OUT"
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "# Recovery timeline: frame times"
  echo
  echo "Recorded $(date -u '+%Y-%m-%d %H:%M UTC') with \`bench/timeline/run.sh $WIDTH $HEIGHT\` on $(nproc) cores"
  echo "($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(java -version 2>&1 | head -1),"
  echo "load average $LOAD when it finished; JavaFX headless Monocle with the software pipeline"
  echo "(prism.order=sw); the control is ${WIDTH}x${HEIGHT} px. Goal: under 16 ms per frame."
  echo
  echo "$OUT" | grep '^model:' | sed 's/^model: /Synthetic archive: /'
  echo
  echo "$OUT" | grep '^|'
  echo
  echo "What the columns mean: see README.md."
} > "$HERE/RESULTS.md"
