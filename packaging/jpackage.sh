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
"$jpackage" --type app-image --dest "$out" "${common[@]}" \
  --input "$out/input" --main-jar pitr-console.jar --main-class io.pitrconsole.Main \
  --icon "$root/icons/pitr-console-256.png" \
  --java-options "-Dpitr.console.launcher=pitr-console" \
  --java-options "-XX:TieredStopAtLevel=1"
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
