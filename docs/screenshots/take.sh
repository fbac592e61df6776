#!/usr/bin/env bash
# Takes the user guide's screenshots (docs/images/*.png) from the real console on a fresh practice
# cluster, in a private X server, without touching the user's own profiles:
#   1. builds target/pitr-console.jar (and the test classes) if they are missing or older than the sources;
#   2. starts Xvfb (1280x800) and the console with an empty configuration: the first-run offer;
#   3. creates a practice cluster with `pitr-console demo` under a temporary XDG_CONFIG_HOME;
#   4. starts the console (the same jar, no arguments) and visits the pages with their shortcuts
#      (Ctrl+1..7), saving each one once the picture stops changing (the Schedule page comes
#      from the driver below, with its jobs installed);
#   5. with a small TestFX driver that clicks by node id (src/test/java/io/pitrconsole/ui/docs/
#      ConsoleScreenshots.java): picks a moment on the timeline, restores to it through the wizard
#      (a real rehearsal), then restores the practice cluster in place and rolls that back;
#   6. removes the practice cluster and the temporary files; the PNGs are stripped and reduced to
#      256 colours.
# Needs: a JDK 17, Maven, PostgreSQL 15, Xvfb, xdotool, ImageMagick (import, convert, compare),
# x11-utils (xdpyinfo) and the GTK 3 library JavaFX draws with (Debian: libgtk-3-0).
# Usage: docs/screenshots/take.sh [HISTORY_SECONDS]   (default 120)
set -euo pipefail

# The whole script is one function, read before it runs: editing this file while it runs (it takes
# minutes) cannot change what the running copy does.
main() {
    ROOT=$(cd "$(dirname "$0")/../.." && pwd)
    OUT=$ROOT/docs/images
    JAR=$ROOT/target/pitr-console.jar
    HISTORY=${1:-120}
    W=1280
    H=800

    for tool in java mvn Xvfb xdotool import convert compare xdpyinfo; do
        command -v "$tool" >/dev/null || { echo "error: $tool is not installed" >&2; exit 2; }
    done

    log() { printf '%s  %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

    # --- 1. build ---------------------------------------------------------------------------------
    cd "$ROOT"
    newest_source=$(find src/main pom.xml -type f -newer "$JAR" -print -quit 2>/dev/null || true)
    if [[ ! -f $JAR || -n $newest_source ]]; then
        log "building the jar"
        mvn -B -q package -DskipTests
    fi
    DRIVER=target/test-classes/io/pitrconsole/ui/docs/ConsoleScreenshots.class
    if [[ ! -f $DRIVER || -n $(find src/test/java/io/pitrconsole/ui/docs -newer "$DRIVER" -print -quit) ]]; then
        mvn -B -q test-compile
    fi
    if [[ ! -s target/docs-classpath.txt || pom.xml -nt target/docs-classpath.txt ]]; then
        mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/docs-classpath.txt
    fi

    # --- temporary world: config, data, X display ----------------------------------------------------
    TMP=$(mktemp -d /tmp/pitr-screenshots.XXXXXX)
    chmod 755 "$TMP" # as root the practice cluster runs as the postgres user, which must reach its directory
    export XDG_CONFIG_HOME=$TMP/config XDG_DATA_HOME=$TMP/data
    # the Schedule page installs its jobs into a plain file here, not into the user's crontab
    export PITR_CRONTAB_FILE=$TMP/crontab
    PRACTICE=$TMP/practice
    CONFIG=$XDG_CONFIG_HOME/pitr-console
    APP_PID=
    XVFB_PID=
    DEMO_CREATED=

    cleanup() {
        set +e
        [[ -n $APP_PID ]] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null
        [[ -n $DEMO_CREATED ]] && java -jar "$JAR" demo remove --yes --dir "$PRACTICE" >/dev/null
        [[ -n $XVFB_PID ]] && kill "$XVFB_PID" 2>/dev/null && wait "$XVFB_PID" 2>/dev/null
        rm -rf "$TMP"
    }
    trap cleanup EXIT

    write_window_prefs() { # the window fills the 1280x800 screen, light theme
        mkdir -p "$CONFIG"
        printf '{"theme":"light","windowX":0.0,"windowY":0.0,"windowWidth":%d.0,"windowHeight":%d.0}\n' $W $H >"$CONFIG/ui.json"
    }

    display=99
    while [[ -e /tmp/.X11-unix/X$display || -e /tmp/.X$display-lock ]]; do display=$((display + 1)); done
    export DISPLAY=:$display
    Xvfb "$DISPLAY" -screen 0 ${W}x${H}x24 -nolisten tcp >"$TMP/xvfb.log" 2>&1 &
    XVFB_PID=$!
    for _ in $(seq 1 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.2; done
    xdpyinfo >/dev/null 2>&1 || { echo "error: Xvfb did not start on $DISPLAY" >&2; exit 1; }
    log "X server on $DISPLAY, work directory $TMP"

    mkdir -p "$OUT"

    # --- helpers for the console window ------------------------------------------------------------
    start_console() {
        java -jar "$JAR" >"$TMP/console.log" 2>&1 &
        APP_PID=$!
        WIN=
        for _ in $(seq 1 120); do
            WIN=$(xdotool search --name '^PITR Console$' 2>/dev/null | head -1 || true)
            [[ -n $WIN ]] && break
            kill -0 "$APP_PID" 2>/dev/null || { cat "$TMP/console.log" >&2; exit 1; }
            sleep 0.25
        done
        [[ -n $WIN ]] || { echo "error: the console window did not appear" >&2; cat "$TMP/console.log" >&2; exit 1; }
        # without a window manager the window gets the keyboard once it is clicked: click the first
        # navigation entry (Dashboard), which is harmless
        xdotool mousemove --sync 60 28 click 1
    }

    stop_console() {
        kill "$APP_PID" 2>/dev/null || true
        wait "$APP_PID" 2>/dev/null || true
        APP_PID=
    }

    # Saves the window as docs/images/NAME.png once three captures in a row agree (the page has
    # finished loading), or after 60 s with a warning.
    shoot() {
        local name=$1 a=$TMP/shot-a.png b=$TMP/shot-b.png same=0
        import -window "$WIN" "$a"
        for _ in $(seq 1 120); do
            sleep 0.5
            import -window "$WIN" "$b"
            if [[ $(compare -metric AE "$a" "$b" null: 2>&1 || true) == 0 ]]; then
                same=$((same + 1))
                [[ $same -ge 2 ]] && break
            else
                same=0
            fi
            mv "$b" "$a"
        done
        [[ $same -ge 2 ]] || log "warning: $name kept changing; saved the last picture"
        small "$a" "$OUT/$name.png"
        log "saved docs/images/$name.png"
    }

    small() { # no metadata, 256 colours: a screen of flat widgets loses nothing visible and halves in size
        convert "$1" -strip -colors 256 "PNG8:$2"
    }

    page() { # Ctrl+N switches to page N
        xdotool key --clearmodifiers "ctrl+$1"
    }

    # --- 2. first run: no profile yet -----------------------------------------------------------------
    write_window_prefs
    start_console
    shoot first-run
    stop_console

    # --- 3. the practice cluster ----------------------------------------------------------------------
    log "creating a practice cluster with $HISTORY s of history"
    DEMO_CREATED=1
    java -jar "$JAR" demo --history-seconds "$HISTORY" --dir "$PRACTICE" >"$TMP/demo.log" 2>&1 \
        || { cat "$TMP/demo.log" >&2; exit 1; }
    write_window_prefs

    # --- 4. the pages ---------------------------------------------------------------------------------
    start_console
    page 1; shoot dashboard
    page 2; shoot backups
    page 3; shoot timeline
    page 5; shoot archiving
    page 7; shoot settings
    stop_console

    # --- 5. timeline, restore wizard, rehearsal, in-place restore and roll-back --------------------------
    log "walking the timeline and the restore wizard (a rehearsal, an in-place restore, a roll-back)"
    status=0
    java -cp "target/test-classes:target/classes:$(cat target/docs-classpath.txt)" \
        io.pitrconsole.ui.docs.ConsoleScreenshots "$TMP/driver" || status=$?
    # keep what the driver did save even when one of its parts failed
    for f in "$TMP"/driver/*.png; do
        [[ -e $f ]] || continue
        small "$f" "$OUT/$(basename "$f")"
        log "saved docs/images/$(basename "$f")"
    done

    if [[ $status -ne 0 ]]; then
        log "the driver failed (status $status); see its errors above"
    fi
    log "removing the practice cluster"
    exit $status
}

main "$@"
