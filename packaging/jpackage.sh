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
for tool in dpkg-deb fakeroot zip unzip; do
  command -v $tool >/dev/null || { echo "error: $tool not found; hint: apt-get install dpkg-dev fakeroot zip unzip" >&2; exit 1; }
done
# JavaFX's own jars, which the build copies beside the runnable one
javafx=$(dirname "$jar")/javafx
if ! ls "$javafx"/javafx-*.jar >/dev/null 2>&1; then
  echo "error: no JavaFX jars in $javafx" >&2
  echo "hint: build with 'mvn -Ppackage package', which copies them there" >&2
  exit 1
fi

rm -rf "$out"
mkdir -p "$out/input"
cp "$jar" "$out/input/pitr-console.jar"
# The console starts with JavaFX's jars on the module path (lib/app/javafx), the one configuration
# JavaFX supports (from the class path it warns "Unsupported JavaFX configuration" at every start).
# The shaded jar's copies of JavaFX's classes and native libraries would only be shadowed there,
# and the verbs need none of them: the packaged jar leaves them out, so JavaFX ships once.
# (JavaFX's jars join the app image below, not --input: jpackage would put them on the class path too.)
for j in "$javafx"/javafx-*.jar; do unzip -Z1 "$j"; done \
  | grep -v -e '^META-INF/' -e '^module-info\.class$' | sort -u > "$out/javafx-entries"
zip -q -d "$out/input/pitr-console.jar" -@ < "$out/javafx-entries"
rm -f "$out/javafx-entries"

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
# The native launcher (the menu entry's) opens the console: JavaFX from the module path, as above.
# The class archive still maps with it (the module path adds no class path entry).
fx_options=('--module-path=$APPDIR/javafx' --add-modules=javafx.controls)
"$jpackage" --type app-image --dest "$out" "${common[@]}" \
  --input "$out/input" --main-jar pitr-console.jar --main-class io.pitrconsole.Main \
  --icon "$root/icons/pitr-console-256.png" \
  --jlink-options "--strip-debug --no-man-pages --no-header-files --generate-cds-archive" \
  $(printf -- '--java-options %s ' "${java_options[@]}" "${fx_options[@]}")
image=$out/pitr-console
mkdir "$image/lib/app/javafx"
cp "$javafx"/javafx-*.jar "$image/lib/app/javafx/"
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
fx_cli_options=
for o in "${fx_options[@]}"; do fx_cli_options+=" \"${o//\$APPDIR/\$app}\""; done
sed -e "s|@JAVA_OPTIONS@|${cli_options# }|" -e "s|@JAVAFX_OPTIONS@|${fx_cli_options# }|" "$here/pitr-console-cli.in" > "$image/lib/pitr-console-cli"
chmod 0755 "$image/lib/pitr-console-cli"
install -m 0755 "$here/record-class-archive" "$image/lib/record-class-archive"
# JavaFX (lib/app/javafx) loads GTK 3 from the system when the window opens; jpackage cannot see that
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
