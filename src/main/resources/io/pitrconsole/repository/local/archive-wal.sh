#!/bin/sh
# archive_command written by pitr-console: archives one WAL file into the archive directory.
# Usage (from postgresql.conf): archive_command = '<this script> "%p" "%f"'
# Never overwrites: an existing copy with the same content counts as success, a different one is
# an error. Writes to a temporary name, fsyncs, then, holding the archive's lock (flock on
# .archive-wal.lock), checks the name and its compressed variants once more and hard-links into
# place, and fsyncs the directory: two writers racing on one segment, even with different
# compression, cannot both put it in place. Exits non-zero on any failure, so the server keeps
# the file and retries.
set -u
DEST=@@DEST@@
COMPRESS=@@COMPRESS@@

src=$1
name=$2
fail() { echo "archive-wal: $*" >&2; exit 1; }

[ -f "$src" ] || fail "source file $src does not exist"
[ -d "$DEST" ] || fail "archive directory $DEST does not exist"
case "$name" in
  */* | .* | "") fail "refusing unusual file name '$name'" ;;
esac

# Only WAL segments are compressed; history and backup files stay plain text.
suffix=
if printf '%s' "$name" | grep -Eq '^[0-9A-F]{24}(\.partial)?$'; then
  case "$COMPRESS" in
    gzip) suffix=.gz ;;
    zstd) suffix=.zst ;;
  esac
fi

same_content() { # existing-file
  case "$1" in
    *.gz) gzip -dc "$1" 2>/dev/null | cmp -s - "$src" ;;
    *.zst) zstd -dcq "$1" 2>/dev/null | cmp -s - "$src" ;;
    *) cmp -s "$1" "$src" ;;
  esac
}

already_archived() { # exits 0 when an identical copy is there, fails when a different one is
  for existing in "$DEST/$name" "$DEST/$name.gz" "$DEST/$name.zst"; do
    if [ -e "$existing" ]; then
      if same_content "$existing"; then
        exit 0
      fi
      fail "refusing to overwrite $existing: it differs from $src"
    fi
  done
}

already_archived
command -v flock >/dev/null 2>&1 || fail "flock (util-linux) is needed to archive safely; install it"

target="$DEST/$name$suffix"
tmp="$DEST/.$name$suffix.tmp.$$"
trap 'rm -f "$tmp"' EXIT
trap 'exit 1' INT TERM HUP
case "$suffix" in
  .gz) gzip -c "$src" > "$tmp" || fail "gzip of $src failed" ;;
  .zst) zstd -qc "$src" > "$tmp" || fail "zstd of $src failed" ;;
  *) cp "$src" "$tmp" || fail "copy of $src failed" ;;
esac
sync "$tmp" || fail "fsync of $tmp failed"
# The lock covers the check of every variant and the link, so a writer with another suffix
# cannot slip in between; it is released when this script exits, however it exits.
exec 9>>"$DEST/.archive-wal.lock" || fail "cannot open $DEST/.archive-wal.lock"
flock -w 120 9 || fail "could not lock $DEST/.archive-wal.lock within 120 s"
already_archived
ln "$tmp" "$target" 2>/dev/null || fail "could not put $target in place"
rm -f "$tmp"
sync "$DEST" || fail "fsync of $DEST failed"
exit 0
