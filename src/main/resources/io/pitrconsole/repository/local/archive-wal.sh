#!/bin/sh
# archive_command written by pitr-console: archives one WAL file into the archive directory. In an
# encrypted repository (AGE set below) each file is encrypted with age (age-encryption.org/v1) to
# the repository's key before it reaches the directory.
# Usage (from postgresql.conf): archive_command = '<this script> "%p" "%f"'
# Never overwrites: an existing copy with the same content (compared decompressed, and decrypted in
# an encrypted repository) counts as success, a different one is an error. Compresses (if asked)
# and encrypts (if encrypted) into a temporary name, fsyncs, then, holding the archive's lock
# (flock on .archive-wal.lock), checks the name and its compressed variants once more and
# hard-links into place, and fsyncs the directory: two writers racing on one segment, even with
# different compression, cannot both put it in place. Encrypted, plain bytes never touch the
# archive directory: they go from the source file through the compressor straight into age.
# Encrypting needs only the recipient (the key's public half); the key file is read only to compare
# with a copy already there. Exits non-zero on any failure, so the server keeps the file and retries.
set -u
DEST=@@DEST@@
COMPRESS=@@COMPRESS@@
AGE=@@AGE@@

src=$1
name=$2
fail() { echo "archive-wal: $*" >&2; exit 1; }

[ -f "$src" ] || fail "source file $src does not exist"
[ -d "$DEST" ] || fail "archive directory $DEST does not exist"
[ -z "$AGE" ] || [ -x "$AGE" ] || fail "age ($AGE) is not installed or not executable for this user; install the age package on the server's host"
case "$name" in
  */* | .* | "") fail "refusing unusual file name '$name'" ;;
esac

# Only WAL segments are compressed; history and backup files stay uncompressed (encrypted if AGE is set).
suffix=
if printf '%s' "$name" | grep -Eq '^[0-9A-F]{24}(\.partial)?$'; then
  case "$COMPRESS" in
    gzip) suffix=.gz ;;
    zstd) suffix=.zst ;;
  esac
fi

same_content() { # existing-file: decrypted (if encrypted) and decompressed it equals the source
  case "$1" in
    *.gz) unpack="gzip -dc" ;;
    *.zst) unpack="zstd -dcq" ;;
    *) unpack=cat ;;
  esac
  if [ -z "$AGE" ]; then
    $unpack "$1" 2>/dev/null | cmp -s - "$src"
    return
  fi
  # age hands out only authenticated chunks, but notices a cut or extended file only at its end:
  # each step's exit status comes back on descriptor 3 and all of them must be 0
  r=$( { { "$AGE" --decrypt @@IDENTITIES@@ "$1" 2>/dev/null; echo "age=$?" >&3; } \
          | { $unpack 2>/dev/null; echo "unpack=$?" >&3; } | cmp -s - "$src"; echo "cmp=$?" >&3; } 3>&1 )
  case "$r" in *age=0*) ;; *) return 1 ;; esac
  case "$r" in *unpack=0*) ;; *) return 1 ;; esac
  case "$r" in *cmp=0*) return 0 ;; *) return 1 ;; esac
}

already_archived() { # exits 0 when an identical copy is there, fails when a different one is
  for existing in "$DEST/$name" "$DEST/$name.gz" "$DEST/$name.zst"; do
    if [ -e "$existing" ]; then
      if [ -n "$AGE" ]; then
        for key in @@KEYFILES@@; do
          [ -r "$key" ] || fail "$existing is already archived and this OS user cannot read the key file $key to tell" \
            "whether it holds the same content; give it read access to the key file (the restore_command needs it too)"
        done
      fi
      if same_content "$existing"; then
        exit 0
      fi
      fail "refusing to overwrite $existing: it differs from $src${AGE:+ (or cannot be decrypted with the key file)}"
    fi
  done
}

already_archived
command -v flock >/dev/null 2>&1 || fail "flock (util-linux) is needed to archive safely; install it"

target="$DEST/$name$suffix"
tmp="$DEST/.$name$suffix.tmp.$$"
trap 'rm -f "$tmp"' EXIT
trap 'exit 1' INT TERM HUP
if [ -z "$AGE" ]; then
  case "$suffix" in
    .gz) gzip -c "$src" > "$tmp" || fail "gzip of $src failed" ;;
    .zst) zstd -qc "$src" > "$tmp" || fail "zstd of $src failed" ;;
    *) cp "$src" "$tmp" || fail "copy of $src failed" ;;
  esac
else
  # Each side of the pipe reports its own exit status on descriptor 3: a failed compressor must not
  # leave a well-formed encryption of half a file.
  sealed=$( { { case "$suffix" in
                  .gz) gzip -c < "$src" ;;
                  .zst) zstd -qc < "$src" ;;
                  *) cat < "$src" ;;
                esac
                echo "in=$?" >&3
              } | "$AGE" --encrypt @@RECIPIENTS@@ -o "$tmp"
              echo "age=$?" >&3
            } 3>&1 )
  case "$sealed" in
    *in=0*age=0* | *age=0*in=0*) ;;
    *) fail "encrypting $src into $tmp failed ($(echo $sealed))" ;;
  esac
fi
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
