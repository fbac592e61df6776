#!/usr/bin/env bash
# Builds the Linux app image and the .deb with jpackage from the shaded jar.
#   usage: packaging/jpackage.sh JAR VERSION OUTDIR [JAVA_HOME]
# Called by 'mvn -Ppackage package'; needs a JDK with jpackage (17 or newer), dpkg-deb and fakeroot.
set -euo pipefail
jar=$1 version=$2 out=$3 jdk=${4:-${JAVA_HOME:-}}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
jpackage=${jdk:+$jdk/bin/}jpackage
if ! command -v "$jpackage" >/dev/null; then
  echo "error: jpackage not found (looked for $jpackage)" >&2
  echo "hint: build with a full JDK 17 or newer (Debian: openjdk-17-jdk), or set JAVA_HOME to one" >&2
  exit 1
fi
for tool in dpkg-deb fakeroot; do
  command -v $tool >/dev/null || { echo "error: $tool not found; hint: apt-get install dpkg-dev fakeroot" >&2; exit 1; }
done

rm -rf "$out"
mkdir -p "$out/input"
cp "$jar" "$out/input/pitr-console.jar"

common=(--name pitr-console --app-version "$version" --vendor "PITR Console"
        --description "Desktop and command-line console for PostgreSQL point-in-time recovery"
        --copyright "PITR Console authors")
# JVM options of both launchers ($APPDIR is lib/app). Class data sharing: the runtime's own archive
# (JDK classes, written by jlink) is the base, the app's archive (recorded on the target by
# record-class-archive, from postinst) the top layer; naming the base explicitly means a missing or
# stale app archive only leaves the JDK classes shared, and -Xlog:cds=off keeps that silent.
java_options=(-XX:TieredStopAtLevel=1
  '-XX:SharedArchiveFile=$APPDIR/../runtime/lib/server/classes.jsa:$APPDIR/pitr-console.jsa'
  -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off)
"$jpackage" --type app-image --dest "$out" "${common[@]}" \
  --input "$out/input" --main-jar pitr-console.jar --main-class io.pitrconsole.Main \
  --icon "$root/icons/pitr-console-256.png" \
  --jlink-options "--strip-debug --no-man-pages --no-header-files --generate-cds-archive" \
  $(printf -- '--java-options %s ' "${java_options[@]}")
image=$out/pitr-console
# jlink's --generate-cds-archive runs the new runtime's bin/java, which jpackage's default
# --strip-native-commands would remove first (JDK 17: "Cannot find java executable"); so the
# runtime keeps bin/ until lib/server/classes.jsa is written, then only bin/java, which the
# command-line launcher runs.
find "$image/lib/runtime/bin" -mindepth 1 ! -name java -delete
# jlink also writes classes_nocoops.jsa, for heaps too big for compressed pointers (32 GB and up);
# the launchers name classes.jsa as their base, so it would never be mapped (11 MB)
rm -f "$image/lib/runtime/lib/server/classes_nocoops.jsa"
if [ ! -f "$image/lib/runtime/lib/server/classes.jsa" ] || [ ! -x "$image/lib/runtime/bin/java" ]; then
  echo "error: jlink wrote no class-data-sharing archive or java into $image/lib/runtime" >&2
  exit 1
fi
cli_options=
for o in "${java_options[@]}"; do cli_options+=" \"${o//\$APPDIR/\$app}\""; done
sed "s|@JAVA_OPTIONS@|${cli_options# }|" "$here/pitr-console-cli.in" > "$image/lib/pitr-console-cli"
chmod 0755 "$image/lib/pitr-console-cli"
install -m 0755 "$here/record-class-archive" "$image/lib/record-class-archive"
# JavaFX, bundled in the jar, loads GTK 3 from the system when the window opens; jpackage cannot see that
"$jpackage" --type deb --dest "$out" "${common[@]}" \
  --app-image "$out/pitr-console" \
  --resource-dir "$here/deb" \
  --linux-package-name pitr-console --linux-app-category database \
  --linux-menu-group "Development;Database;" --linux-shortcut \
  --linux-deb-maintainer "maintainers@pitrconsole.io" \
  --linux-package-deps "libgtk-3-0" \
  --icon "$root/icons/pitr-console-256.png"
rm -rf "$out/input"
ls -1 "$out"
