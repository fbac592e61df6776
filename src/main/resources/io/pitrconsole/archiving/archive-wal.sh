#!/bin/sh
# archive_command written by pitr-console: archives one WAL file into the archive directory.
# Usage (from postgresql.conf): archive_command = '<this script> "%p" "%f"'
# Never overwrites: an existing copy with the same content counts as success, a different one is
# an error. Writes to a temporary name, fsyncs, then hard-links into place (which fails if the
# name appeared meanwhile) and fsyncs the directory. Exits non-zero on any failure, so the
# server keeps the file and retries.
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

for existing in "$DEST/$name" "$DEST/$name.gz" "$DEST/$name.zst"; do
  if [ -e "$existing" ]; then
    if same_content "$existing"; then
      exit 0
    fi
    fail "refusing to overwrite $existing: it differs from $src"
  fi
done

target="$DEST/$name$suffix"
tmp="$DEST/.$name$suffix.tmp.$$"
trap 'rm -f "$tmp"' EXIT
case "$suffix" in
  .gz) gzip -c "$src" > "$tmp" || fail "gzip of $src failed" ;;
  .zst) zstd -qc "$src" > "$tmp" || fail "zstd of $src failed" ;;
  *) cp "$src" "$tmp" || fail "copy of $src failed" ;;
esac
sync "$tmp" || fail "fsync of $tmp failed"
if ! ln "$tmp" "$target" 2>/dev/null; then
  [ -e "$target" ] && same_content "$target" && exit 0
  fail "could not put $target in place"
fi
rm -f "$tmp"
sync "$DEST" || fail "fsync of $DEST failed"
exit 0
