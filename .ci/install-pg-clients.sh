#!/usr/bin/env bash
# Installs the client programs (pg_basebackup, psql, pg_verifybackup, pg_combinebackup) of
# PostgreSQL 17 and 18, which Debian 12 does not package, from the Debian releases that do
# (17: trixie, 18: sid), so that the tests can back up servers of those majors with their own
# pg_basebackup. Those builds need a newer C library than Debian 12's, so each major gets its own
# tree of the packages it depends on (C library included) and small launchers that start a program
# through that tree's dynamic loader; nothing is installed system-wide.
# The resulting directory <root>/<major>/full/bin holds those launchers beside links to the server
# programs install-pg-majors.sh unpacked: a complete installation of that major for --pg-bin.
# PostgreSQL 16 has no Debian release with its client package, so it gets none.
# Idempotent. Usage: install-pg-clients.sh [target dir] (default: $PITR_TEST_PG_ROOT or /opt/pitr-console-test/pg)
set -euo pipefail

root="${1:-${PITR_TEST_PG_ROOT:-/opt/pitr-console-test/pg}}"
mirror="${PITR_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
declare -A suites=([17]=trixie [18]=sid)
programs=(pg_basebackup psql pg_verifybackup pg_combinebackup)

command -v dpkg-deb >/dev/null || { echo "dpkg-deb is needed (apt-get install dpkg)" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is needed (apt-get install curl)" >&2; exit 1; }

for major in 17 18; do
  suite="${suites[$major]}"
  dest="$root/$major/full"
  if [ -x "$dest/bin/pg_basebackup" ] && "$dest/bin/pg_basebackup" --version 2>/dev/null | grep -q " $major\."; then
    continue
  fi
  [ -x "$root/$major/bin/postgres" ] || { echo "PostgreSQL $major server programs are missing in $root/$major (run install-pg-majors.sh first)" >&2; exit 1; }
  echo "installing PostgreSQL $major client programs (Debian $suite)"
  work="$(mktemp -d)"
  curl -fsS "$mirror/dists/$suite/main/binary-amd64/Packages.xz" -o "$work/Packages.xz"
  # The package and the libraries it needs, resolved from the release's own index: the versions
  # are whatever that release holds today (the pool keeps only those).
  /usr/bin/python3 - "$work/Packages.xz" "postgresql-client-$major" > "$work/files" <<'PY'
import lzma, re, sys
index, wanted = sys.argv[1], sys.argv[2]
packages, fields = {}, {}
for line in lzma.open(index, "rt", encoding="utf-8"):
    line = line.rstrip("\n")
    if not line:
        if "Package" in fields:
            packages.setdefault(fields["Package"], fields)
        fields = {}
    elif not line.startswith(" "):
        key, _, value = line.partition(": ")
        fields[key] = value
# not libraries: scripts, configuration and tools the programs above never load
skip = {"debconf", "perl-base", "sensible-utils", "postgresql-client-common", "libc-bin", "readline-common",
        "dpkg", "debianutils", "tzdata", "install-info"}
todo, seen = [wanted], set()
while todo:
    name = todo.pop()
    if name in seen or name in skip:
        continue
    seen.add(name)
    if name not in packages:
        sys.exit(f"{name} is not in the index")
    for dep in (packages[name].get("Pre-Depends", "") + "," + packages[name].get("Depends", "")).split(","):
        first = dep.split("|")[0].strip()
        if first:
            todo.append(re.split(r"[ (:]", first)[0])
for name in sorted(seen):
    print(packages[name]["Filename"])
PY
  rm -rf "$dest.new"
  mkdir -p "$dest.new/root" "$dest.new/bin"
  while read -r file; do
    curl -fsS "$mirror/$file" -o "$work/pkg.deb"
    dpkg-deb -x "$work/pkg.deb" "$dest.new/root"
  done < "$work/files"
  lib="$dest/root/usr/lib/x86_64-linux-gnu"
  for p in "${programs[@]}"; do
    # the launcher starts the program through this tree's loader, so it uses this tree's C library
    cat > "$dest.new/bin/$p" <<SH
#!/bin/sh
exec "$lib/ld-linux-x86-64.so.2" --library-path "$lib" "$dest/root/usr/lib/postgresql/$major/bin/$p" "\$@"
SH
    chmod 755 "$dest.new/bin/$p"
  done
  for p in initdb pg_ctl postgres; do
    ln -s "../../bin/$p" "$dest.new/bin/$p"
  done
  chmod -R a+rX "$dest.new"
  sed 's|.*/||' "$work/files" > "$dest.new/.packages"
  rm -rf "$dest"
  mv "$dest.new" "$dest"
  rm -rf "$work"
  got="$("$dest/bin/pg_basebackup" --version)"
  case "$got" in
    *" $major."*) echo "  $got in $dest" ;;
    *) echo "PostgreSQL $major client programs report '$got'" >&2; exit 1 ;;
  esac
done
