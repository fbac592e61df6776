#!/bin/sh
# PITR Console: WAL archiving into @@URI@@ and fetching back from it.
#   archive_command: archive-wal push %p %f   restore_command: archive-wal fetch %f %p
#   archive-wal check [read]: can this user reach the bucket with its credentials (and read the key files)
# A plain script around curl (AWS Signature V4), so the server starts no JVM per segment.
# Credentials, as the AWS tools find them: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
# AWS_SESSION_TOKEN of the server's environment, else profile AWS_PROFILE (default) of the
# credentials file named below, else of ~/.aws/credentials. They reach curl on its standard
# input, never as an argument.
# Exit 0 only once S3 answered 200 to the PUT (the object is stored); an object of the same name
# is never replaced: identical content counts as archived, different content fails.
# With compression gzip or zstd (the same levels as a directory archive's script) a WAL segment is
# stored as NAME.gz or NAME.zst; history and backup files stay plain. One name is archived once,
# whatever its compression: NAME, NAME.gz and NAME.zst are all looked for first. 'Identical' means
# the same segment once decompressed: the object's MD5 ETag equal to this push's compressed bytes
# settles it at once (one zstd or gzip gives the same bytes for the same input, level and mode); else
# the object is read back, decompressed and compared with the segment. Fetch takes any of the three.
# Segments the server has not asked for yet are pushed ahead, by the push and by a detached worker
# (see push below): the server's call for one of those is answered from a note.
# In an encrypted repository (AGE set below) every file is encrypted with age to the recipients
# below (public keys) after compressing and before it leaves this host; fetch decrypts with the key
# files named below, which this OS user must read (the keys themselves are never in this script).
# age encrypts with a fresh key each time, so 'identical' is settled by decrypting the object.
set -u
BASE=@@BASE@@
URI=@@URI@@
BUCKET=@@BUCKET@@
REGION=@@REGION@@
CREDENTIALS=@@CREDENTIALS@@
COMPRESS=@@COMPRESS@@
AGE=@@AGE@@
EMPTY=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855

fail() {
    echo "archive-wal: $1" >&2
    echo "hint: $2" >&2
    exit 1
}

value() {
    awk -v p="$profile" -v k="$1" '
        /^[ \t]*\[/ { s = $0; gsub(/[][ \t\r]/, "", s); sub(/^profile/, "", s); in_p = (s == p); next }
        in_p { i = index($0, "="); if (i) { n = substr($0, 1, i - 1); gsub(/[ \t]/, "", n)
            if (n == k) { v = substr($0, i + 1); gsub(/^[ \t]+|[ \t\r]+$/, "", v); print v; exit } } }' "$file"
}

# Sets key, secret and token; only when a request is to be made (a segment stored ahead is answered without).
credentials() {
    key=${AWS_ACCESS_KEY_ID:-}
    secret=${AWS_SECRET_ACCESS_KEY:-}
    token=${AWS_SESSION_TOKEN:-}
    [ -z "$key" ] || [ -z "$secret" ] || return 0
    file=${CREDENTIALS:-${AWS_SHARED_CREDENTIALS_FILE:-${HOME:-~}/.aws/credentials}}
    profile=${AWS_PROFILE:-default}
    [ -r "$file" ] || fail "no AWS credentials for $URI: none in the environment of $(id -un), and $file cannot be read" \
        "give $(id -un) a credentials file it can read (profile $profile), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the server's environment"
    key=$(value aws_access_key_id)
    secret=$(value aws_secret_access_key)
    token=$(value aws_session_token)
    [ -n "$key" ] && [ -n "$secret" ] || fail "no AWS credentials for $URI: profile $profile of $file has no aws_access_key_id and aws_secret_access_key" \
        "add them to that profile, or set AWS_PROFILE in the server's environment"
}

s3() {
    {
        printf 'user = "%s:%s"\n' "$key" "$secret"
        if [ -n "$token" ]; then printf 'header = "x-amz-security-token: %s"\n' "$token"; fi
    } | curl -sS -K - --aws-sigv4 "aws:amz:$REGION:s3" --connect-timeout 5 --max-time 600 "$@"
}

unreachable() {
    fail "cannot reach $URI ($1)" "check that the S3 service runs and that this host reaches it; the server keeps the segment and tries again"
}

refused() {
    case $2 in
        403) fail "cannot $1 $URI: access denied (HTTP 403)" "grant these credentials s3:ListBucket, s3:GetObject and s3:PutObject on the bucket and prefix, and check the key and secret" ;;
        # a read-only service or gateway (s3proxy's read-only store, a replica) answers a change so
        405|501) [ "$1" = write ] && fail "cannot write $URI: the service takes no writes (HTTP $2)" \
            "the service or bucket is read-only here: archive into a bucket these credentials may write; the server keeps the segment and tries again"
            fail "cannot $1 $URI: HTTP $2" "see the S3 service's own log for this request" ;;
        *) fail "cannot $1 $URI: HTTP $2" "see the S3 service's own log for this request" ;;
    esac
}

# The suffix this script stores a file under: only WAL segments are compressed.
suffix() {
    printf '%s' "$1" | grep -Eq '^[0-9A-F]{24}(\.partial)?$' || return 0
    case $COMPRESS in
        gzip) printf '.gz' ;;
        zstd) printf '.zst' ;;
    esac
}

# The file $1 through zstd at its default level to standard output. Single-threaded: the same level and
# format with less CPU (zstd's multi-threaded mode, its default even with one thread, sets up buffers
# whose page faults cost up to as much as compressing a 16 MiB segment that compresses well: 27 ms
# against 12 ms here; 34 against 32 ms for pgbench's WAL); a zstd without the option (before 1.4)
# compresses the file again from its start the default way.
squeeze() {
    zstd -q --single-thread -c -- "$1" 2>/dev/null || zstd -qc -- "$1"
}

# Encrypts the file $1 into the file $2 (an encrypted repository only).
seal() {
    "$AGE" --encrypt @@RECIPIENTS@@ -o "$2" "$1" 2>/dev/null
}

keys_readable() {
    for k in @@KEYFILES@@; do
        [ -r "$k" ] || fail "cannot read the encryption key file $k as $(id -un)" \
            "let $(id -un) read it (chgrp $(id -un) $k; chmod 0640 $k): this repository is encrypted and $(id -un) decrypts its WAL here"
    done
}

# Decrypts the file $1 into the file $2: 0 when it did, 2 when none of the key files opens it (another
# key), 3 when age cannot authenticate it (changed, cut, extended, or not encrypted). age's own message
# is never passed on: for a file that is not encrypted it quotes its first bytes.
unseal() {
    keys_readable
    err=$("$AGE" --decrypt @@IDENTITIES@@ -o "$2" "$1" 2>&1) && return 0
    rm -f "$2"
    case $err in
        *"no identity matched"*) return 2 ;;
        *) return 3 ;;
    esac
}

md5of() {
    md5sum < "$1" | cut -c 1-32
}

# Whether the stored object $1 holds the content of the file $2 (once decompressed); $3 is the file
# this push would store under $1's name, whose MD5 an ETag can match without reading the object.
same() {
    hdr=$(s3 -I -H "x-amz-content-sha256: $EMPTY" "$BASE$1") || unreachable "HEAD $1"
    etag=$(printf '%s\n' "$hdr" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: *"*\([^"]*\)"*$/\1/p')
    if [ -n "$3" ] && printf '%s\n' "$etag" | grep -qx '[0-9a-f]\{32\}' && [ "$etag" = "$(md5of "$3")" ]; then
        return 0
    fi
    [ -z "$AGE" ] || keys_readable
    got=$(mktemp) || fail "cannot create a temporary file" "check that ${TMPDIR:-/tmp} is writable"
    s3 -f -o "$got" -H "x-amz-content-sha256: $EMPTY" "$BASE$1" || { rm -f "$got"; unreachable "GET $1"; }
    if [ -n "$AGE" ]; then
        plain=$(mktemp) || { rm -f "$got"; fail "cannot create a temporary file" "check that ${TMPDIR:-/tmp} is writable"; }
        unseal "$got" "$plain"
        r=$?
        rm -f "$got"
        case $r in
            0) got=$plain ;;
            2) refuse "$1" "$2 (it is encrypted to a key none of the key files @@KEYFILES_TEXT@@ holds)" ;;
            *) refuse "$1" "$2 (it does not decrypt: it was tampered with or damaged, or is not encrypted)" ;;
        esac
    fi
    case $1 in
        *.zst) zstd -dqc < "$got" 2>/dev/null | cmp -s - "$2" ;;
        *.gz) gzip -dc < "$got" 2>/dev/null | cmp -s - "$2" ;;
        *) cmp -s "$got" "$2" ;;
    esac
    r=$?
    rm -f "$got"
    return $r
}

refuse() {
    fail "refusing to overwrite $URI$1: it differs from $2" \
        "an archive never gets two different files of one name; find out which server archives into $URI"
}

# One file into the bucket; exit status 0 only once S3 answered 200 to its PUT (or an identical object is there).
store() {
    p=$1
    f=$2
    t=$f$(suffix "$f")
    up=$p
    temps=
    trap 'rm -f $temps' EXIT
    if [ "$t" != "$f" ]; then
        up=$(mktemp) || fail "cannot create a temporary file" "check that ${TMPDIR:-/tmp} is writable"
        temps="$temps $up"
        case $t in
            *.zst) squeeze "$p" > "$up" || fail "zstd of $p failed" "install zstd for $(id -un), or archive with --compress none" ;;
            *.gz) gzip -c < "$p" > "$up" || fail "gzip of $p failed" "check that gzip runs for $(id -un)" ;;
        esac
    fi
    if [ -n "$AGE" ]; then
        sealed=$(mktemp) || fail "cannot create a temporary file" "check that ${TMPDIR:-/tmp} is writable"
        temps="$temps $sealed"
        seal "$up" "$sealed" || fail "age could not encrypt $p" "check that $AGE runs for $(id -un) (the Debian package age)"
        up=$sealed
    fi
    # every name this segment may be stored under, asked in one connection
    codes=$(s3 -I -o /dev/null -o /dev/null -o /dev/null -w '%{http_code}\n' -H "x-amz-content-sha256: $EMPTY" \
        "$BASE$f" "$BASE$f.gz" "$BASE$f.zst") || unreachable "HEAD $f"
    i=0
    for st in $codes; do
        case $i in 0) o=$f ;; 1) o=$f.gz ;; *) o=$f.zst ;; esac
        i=$((i + 1))
        case $st in
            200) if [ "$o" = "$t" ] && [ -z "$AGE" ]; then same "$o" "$p" "$up"; else same "$o" "$p" ""; fi && exit 0; refuse "$o" "$p" ;;
            404) ;;
            *) refused "read" "$st" ;;
        esac
    done
    [ "$i" -eq 3 ] || unreachable "HEAD $f"
    # Content-MD5: S3 stores nothing that arrived different
    md5=$(printf "$(md5of "$up" | awk '{ for (i = 1; i <= 32; i += 2) printf "\\%03o",
        (index("0123456789abcdef", substr($1, i, 1)) - 1) * 16 + index("0123456789abcdef", substr($1, i + 1, 1)) - 1 }')" | base64)
    st=$(s3 -o /dev/null -w '%{http_code}' -T "$up" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -H "Content-MD5: $md5" \
        -H "If-None-Match: *" "$BASE$t") || unreachable "PUT $t"
    case $st in
        200) exit 0 ;;
        409|412) if [ -z "$AGE" ]; then same "$t" "$p" "$up"; else same "$t" "$p" ""; fi && exit 0; refuse "$t" "$p" ;;
        *) refused "write" "$st" ;;
    esac
}

# The server archives one segment at a time. To keep up, a push stores the next few .ready segments
# along with the one asked for, and leaves a note for each one stored (its file's inode, size and
# mtime at the time): when the server asks for one of those, unchanged since, the answer is immediate.
# When more are ready than that batch takes, a worker of its own (detached: its own session, no
# descriptor of the server's, so the server waits for nothing of it) goes on with the .ready segments
# after the batch while the batch is stored and the server's next calls are answered, as pgBackRest's
# asynchronous archive-push does: batches of them, two in flight so that one compresses while the
# other uploads. One worker at a time: the push takes a lock on pg_wal/.pitr-pushed/.worker (flock)
# and hands it to the worker, which keeps it from its own batches (a worker's shell killed frees it at
# once); without flock or setsid there is no worker and every push goes as in the batch alone. A call
# whose segment has no note while the worker runs waits for the note, for the worker to pass the
# segment by (.upto) or to end, at most 600 s, then pushes the segment itself; a history or backup
# file does not wait. The worker stops when nothing is left, when a batch stored nothing (the service
# away: the server's own calls report why) or after 64 batches. Only a segment stored leaves a note,
# so a stopped or killed worker loses nothing: the server's call for a segment without a note pushes it.
AHEAD=15
WBATCH=16
push() {
    p=$1
    f=$2
    spool=pg_wal/.pitr-pushed
    if [ "$p" != "pg_wal/$f" ] || [ ! -d pg_wal/archive_status ]; then
        credentials
        (store "$p" "$f")
        exit $?
    fi
    if [ -f "$spool/$f" ]; then
        noted "$f" && kick "$f" && exit 0
    fi
    credentials
    mkdir -p "$spool"
    own=-
    if [ ${#f} -eq 24 ]; then
        case $f in *[!0-9A-F]*) ;; *) own=$f ;; esac
    fi
    held=
    if lock; then
        held=y
    elif [ -n "${locked:-}" ] && [ "$own" = - ]; then
        # a history or backup file while the worker runs: the worker pushes segments only
        exec 9>&-
        (store "$p" "$f")
        exit $?
    elif [ -n "${locked:-}" ]; then
        # the worker pushes ahead: wait for f's note, for the worker to pass f by or to end
        i=0
        while [ $i -lt 15000 ]; do
            ! [ -f "$spool/$f" ] || ! noted "$f" || exit 0
            if flock -n 9; then
                held=y
                break
            fi
            upto=
            [ ! -f "$spool/.upto" ] || read -r upto < "$spool/.upto" || upto=
            if [ -n "$upto" ] && ! [ "$f" \> "$upto" ]; then
                # its batches up to f are done: f's note now, or it was not stored there
                [ -f "$spool/$f" ] && noted "$f" && exit 0
                break
            fi
            i=$((i + 1))
            sleep 0.04
        done
        # the worker still runs and will not push f: f alone, beside it
        [ -n "$held" ] || { exec 9>&-; (store "$p" "$f"); exit $?; }
    fi
    ahead=
    more=
    k=0
    for n in $(pending "$f" $((AHEAD + 1))); do
        k=$((k + 1))
        if [ $k -gt $AHEAD ]; then more=y; break; fi
        ahead="$ahead $n"
        last=$n
    done
    # the segments after this batch go to the worker at once, while this batch is stored
    if [ -n "$more" ] && [ -n "$held" ]; then spawn "$last"; else tidy; fi
    # shellcheck disable=SC2086
    (batch "$own" $ahead)
    case $? in
        0) exit 0 ;;
        # not stored in the batch (its name taken, an answer other than 200, the service away): the
        # one-segment path settles it and says why
        1) (store "$p" "$f"); exit $? ;;
    esac
    # no listing to be had (no s3:ListBucket, say; or the service away, which the one-segment path
    # then names): one segment at a time, the read-ahead in parallel
    for n in $ahead; do
        # the server reports its own failures for these when it gets to them
        (before=$(stat -c '%i %s %y' "pg_wal/$n") && (store "pg_wal/$n" "$n") 2>/dev/null \
            && [ "$before" = "$(stat -c '%i %s %y' "pg_wal/$n")" ] \
            && printf '%s\n' "$before" > "$spool/.$n" && mv -f "$spool/.$n" "$spool/$n") &
    done
    (store "$p" "$f")
    r=$?
    wait
    exit $r
}

# Whether segment $1 was stored ahead, unchanged since. Notes stay until their segment's .ready is
# gone (tidy): one process less for the server's call, and a note being written is not taken away.
noted() {
    read -r note < "$spool/$1" || note=
    [ "$note" = "$(stat -c '%i %s %y' "pg_wal/$1")" ]
}

# Removes the notes of segments the server has archived (no .ready left).
tidy() {
    gone=
    for n in "$spool"/[0-9A-F]*; do
        [ -f "$n" ] && [ ! -f "pg_wal/archive_status/${n##*/}.ready" ] && gone="$gone $n"
    done
    # shellcheck disable=SC2086
    [ -z "$gone" ] || rm -f $gone
}

# Up to $2 names of .ready segments after $1 that have no note, in order.
pending() {
    for n in $(ls pg_wal/archive_status | sed -n 's/^\([0-9A-F]\{24\}\)\.ready$/\1/p' | sort | awk -v a="$1" '$1 > a'); do
        [ -f "$spool/$n" ] || echo "$n"
    done | head -n "$2"
}

# Starts the worker on the segments after $1, handing it the lock this call holds on descriptor 9; a
# worker that finds no listing to be had left .unlisted, and none starts for 10 minutes after.
spawn() {
    if [ -f "$spool/.unlisted" ] && [ -n "$(find "$spool/.unlisted" -mmin -10 2>/dev/null)" ]; then
        exec 9>&-
        return 0
    fi
    # what a worker before this one got to says nothing about this one's batches
    rm -f "$spool/.upto"
    setsid "$0" worker "$1" < /dev/null > /dev/null 2>&1 &
    exec 9>&-
}

# Takes the worker's lock on descriptor 9 (0); 1 when the worker holds it (locked=y), or when there
# is no lock to be had here (no flock or setsid: then there is no worker either).
lock() {
    locked=
    command -v flock >/dev/null && command -v setsid >/dev/null && [ -w "$spool" ] || return 1
    command exec 9>>"$spool/.worker" || return 1
    locked=y
    flock -n 9
}

# After a call answered from a note: when $1 is the last segment the worker stored and it has
# ended (its 64 batches done, say), starts a worker on the .ready segments after $1 that have no
# note. Other calls ask nothing more (the answer to most of them: not a process started). Always
# true: the call's answer stands whatever happens here.
kick() {
    upto=
    [ ! -f "$spool/.upto" ] || read -r upto < "$spool/.upto" || upto=
    [ "$upto" = "$1" ] || return 0
    wp=
    [ ! -f "$spool/.pid" ] || read -r wp < "$spool/.pid" || wp=
    [ -z "$wp" ] || ! kill -0 "$wp" 2>/dev/null || return 0
    lock || { [ -z "$locked" ] || exec 9>&-; return 0; }
    if [ -n "$(pending "$1" 1)" ]; then spawn "$1"; else exec 9>&-; fi
    return 0
}

# The worker: batches of the .ready segments after $1 that have no note, two in flight (each takes
# the names after the other's), and .upto names the last segment of the batches done. It stops when
# none is left, after a batch that stored nothing (and, when no listing was to be had, leaves
# .unlisted: no worker for 10 minutes), or after 64 batches.
worker() {
    spool=pg_wal/.pitr-pushed
    after=$1
    credentials
    WORKER=y
    echo $$ > "$spool/.pid"
    prev=
    b=0
    while [ $b -lt 64 ]; do
        names=$(pending "$after" $WBATCH)
        [ -n "$names" ] || break
        # shellcheck disable=SC2086
        (batch - $names) 9>&- &
        cur=$!
        last=$(printf '%s\n' $names | tail -n 1)
        if [ -n "$prev" ]; then
            settle "$prev" "$prevlast" || { prev=$cur; prevlast=$last; break; }
        fi
        prev=$cur
        prevlast=$last
        after=$last
        b=$((b + 1))
    done
    [ -z "$prev" ] || settle "$prev" "$prevlast"
    tidy
    exit 0
}

# Waits for the worker's batch $1 ending with segment $2: 0 when it stored any.
settle() {
    wait "$1"
    r=$?
    printf '%s\n' "$2" > "$spool/.upto.$$" && mv -f "$spool/.upto.$$" "$spool/.upto"
    if [ $r -eq 2 ]; then : > "$spool/.unlisted"; elif [ -f "$spool/.unlisted" ]; then rm -f "$spool/.unlisted"; fi
    return $r
}

# Stores the segments named (the server's own first, "-" for none; all in pg_wal) in one go. One
# listing of the bucket says for all of them which names are taken, in place of a HEAD of NAME,
# NAME.gz and NAME.zst each: S3 lists every object whose PUT was answered (AWS S3's listings are
# strongly consistent since December 2020; s3proxy's filesystem store lists its files), and
# 'start-after' with 'prefix' keeps the listing to the names of the batch. One curl then PUTs the
# rest, eight at a time over connections it keeps (each one a TLS handshake: sixteen cost more than
# they gain on a busy host, four leave it waiting on segments that compress well), each transfer as
# the one-segment path sends it: Content-MD5 and If-None-Match. A segment counts as stored only when
# S3 answered 200 to its PUT, or when the listing shows its object with the MD5 ETag of this push's
# bytes (identical); a read-ahead segment gets its note only then, and only if its file did not
# change meanwhile. A name
# taken otherwise is left to the server's own call for it, which compares the content the way the
# one-segment path does. Exit status: 0 the server's segment is stored (for the worker, "-": any
# segment), 1 it is not, 2 the service answered the listing with no listing (no s3:ListBucket, say,
# or it was cut short), 3 the service could not be reached for it: nothing was stored.
batch() {
    own=$1
    shift
    work=$(mktemp -d) || exit 2
    trap 'rm -rf "$work"' EXIT
    all=$*
    [ "$own" = - ] || all="$own $all"
    [ -n "$all" ] || exit 1
    sfx=$(suffix 000000000000000000000000)
    for n in $all; do
        stat -c '%i %s %y' "pg_wal/$n" > "$work/$n.stat" 2>/dev/null || continue
        # the bytes to PUT, each compressed (and sealed) in parallel, and their MD5
        (
            upof "$n"
            case $sfx in
                .zst) squeeze "pg_wal/$n" > "$work/$n.c" || exit 1 ;;
                .gz) gzip -c < "pg_wal/$n" > "$work/$n.c" || exit 1 ;;
            esac
            if [ -n "$AGE" ]; then
                plain=pg_wal/$n
                [ -z "$sfx" ] || plain=$work/$n.c
                seal "$plain" "$up" || exit 1
            fi
            md5sum < "$up" > "$work/$n.h"
        ) 2>/dev/null || rm -f "$work/$n.h" &
    done
    wait
    set -- "$work"/*.h
    [ -f "$1" ] || exit 1
    # "NAME HEX BASE64" for each: the MD5 as an ETag shows it and as Content-MD5 takes it
    awk '{ n = FILENAME; sub(/.*\//, "", n); sub(/\.h$/, "", n); h = substr($1, 1, 32); o = ""
        A = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        for (i = 1; i <= 32; i += 6) { c = substr(h, i, 6); v = 0
            for (j = 1; j <= 6; j++) v = v * 16 + (j <= length(c) ? index("0123456789abcdef", substr(c, j, 1)) - 1 : 0)
            o = o substr(A, int(v / 262144) % 64 + 1, 1) substr(A, int(v / 4096) % 64 + 1, 1) \
                (length(c) > 2 ? substr(A, int(v / 64) % 64 + 1, 1) : "=") (length(c) > 4 ? substr(A, v % 64 + 1, 1) : "=") }
        print n, h, o }' "$@" > "$work/md5" || exit 1
    # the names of the batch share a prefix; the listing starts just before the lowest of them
    range=$(printf '%s\n' $all | awk 'NR == 1 { p = $1; m = $1 } { while (index($1, p) != 1) p = substr(p, 1, length(p) - 1); if ($1 < m) m = $1 }
        END { print p, substr(m, 1, 23) }')
    folder=${BASE#"$BUCKET/"}
    # keys are of letters, digits and . _ - / only: '/' is the one character a query must encode
    q=$(printf 'list-type=2&prefix=%s%s&start-after=%s%s' "$folder" "${range% *}" "$folder" "${range#* }" | sed 's#/#%2F#g')
    st=$(s3 -o "$work/list" -w '%{http_code}' -H "x-amz-content-sha256: $EMPTY" "$BUCKET?$q" 2>/dev/null) || exit 3
    [ "$st" = 200 ] && grep -q '<IsTruncated>false</IsTruncated>' "$work/list" || exit 2
    # "KEY ETAG" for each object listed, KEY relative to the folder
    listed=" $(awk -v f="$folder" '{ s = s $0 } END { n = split(s, c, "<Contents>")
        for (i = 2; i <= n; i++) { k = ""; e = "-"
            if (match(c[i], /<Key>[^<]*<\/Key>/)) k = substr(c[i], RSTART + 5, RLENGTH - 11)
            if (match(c[i], /<ETag>[^<]*<\/ETag>/)) { e = substr(c[i], RSTART + 6, RLENGTH - 13); gsub(/&quot;|&#34;|"/, "", e) }
            if (index(k, f) == 1) printf "%s %s ", substr(k, length(f) + 1), e } }' "$work/list") "
    : > "$work/stored"
    {
        sep=
        while read -r n hex b64; do
            case $listed in
                *" $n$sfx $hex "*) echo "200 $BASE$n$sfx" >> "$work/stored"; continue ;;
                *" $n "*|*" $n.gz "*|*" $n.zst "*) continue ;;
            esac
            upof "$n"
            printf '%surl = "%s"\nupload-file = "%s"\nuser = "%s:%s"\n' "$sep" "$BASE$n$sfx" "$up" "$key" "$secret"
            if [ -n "$token" ]; then printf 'header = "x-amz-security-token: %s"\n' "$token"; fi
            printf 'aws-sigv4 = "aws:amz:%s:s3"\nheader = "x-amz-content-sha256: UNSIGNED-PAYLOAD"\nheader = "Content-MD5: %s"\n' "$REGION" "$b64"
            printf 'header = "If-None-Match: *"\noutput = "/dev/null"\nsilent\nshow-error\nconnect-timeout = 5\nmax-time = 600\n'
            printf 'write-out = "%%{http_code} %%{url_effective}\\n"\n'
            sep='next
'
        done < "$work/md5"
    } | curl --parallel --parallel-max 8 --no-progress-meter -K - >> "$work/stored" 2>/dev/null
    r=1
    ahead=
    while read -r st url; do
        [ "$st" = 200 ] || continue
        n=${url##*/}
        n=${n%"$sfx"}
        if [ "$n" = "$own" ]; then r=0; else ahead="$ahead pg_wal/$n"; fi
    done < "$work/stored"
    [ -n "$ahead" ] || exit $r
    # the read-ahead segments' notes, their files asked all at once; a note is one line written in
    # one go, and a reader takes one that does not match (empty yet, say) for none
    # shellcheck disable=SC2086
    stat -c '%n %i %s %y' $ahead > "$work/now" 2>/dev/null
    while read -r n now; do
        n=${n#pg_wal/}
        read -r was < "$work/$n.stat" && [ "$now" = "$was" ] || continue
        printf '%s\n' "$now" > "$spool/$n" && [ -n "${WORKER:-}" ] && r=0
    done < "$work/now"
    exit $r
}

# The file a batch PUTs for segment $1 (into $up): as it is, compressed, or sealed.
upof() {
    up=pg_wal/$1
    [ -z "$sfx" ] || up=$work/$1.c
    [ -z "$AGE" ] || up=$work/$1.a
}

# The names a file may be stored under, this script's own compression first.
variants() {
    case $(suffix "$1") in
        .zst) echo "$1.zst $1 $1.gz" ;;
        .gz) echo "$1.gz $1 $1.zst" ;;
        *) echo "$1 $1.zst $1.gz" ;;
    esac
}

fetch() {
    f=$1
    p=$2
    [ -z "$AGE" ] || keys_readable
    for o in $(variants "$f"); do
        st=$(s3 -o "$p.pitr-fetch" -w '%{http_code}' -H "x-amz-content-sha256: $EMPTY" "$BASE$o") || { rm -f "$p.pitr-fetch"; unreachable "GET $o"; }
        case $st in
            200) ;;
            # the server asks for files that may not exist (the next timeline's history): a quiet no
            404) rm -f "$p.pitr-fetch"; continue ;;
            *) rm -f "$p.pitr-fetch"; refused "read" "$st" ;;
        esac
        if [ -n "$AGE" ]; then
            unseal "$p.pitr-fetch" "$p.pitr-dec"
            r=$?
            rm -f "$p.pitr-fetch"
            case $r in
                0) mv -f "$p.pitr-dec" "$p.pitr-fetch" || exit 1 ;;
                2) fail "$URI$o is encrypted to another key than the key files @@KEYFILES_TEXT@@ hold" \
                    "give the repository's key file (the fingerprint its .pitr/encryption.json names), readable by $(id -un)" ;;
                *) fail "$URI$o was tampered with or damaged: age cannot authenticate it" \
                    "restore the object from a copy; a restore cannot replay WAL past it" ;;
            esac
        fi
        case $o in
            *.zst) zstd -dqc < "$p.pitr-fetch" > "$p.pitr-plain" ;;
            *.gz) gzip -dc < "$p.pitr-fetch" > "$p.pitr-plain" ;;
            *) mv -f "$p.pitr-fetch" "$p" && exit 0; exit 1 ;;
        esac || { rm -f "$p.pitr-fetch" "$p.pitr-plain"; fail "cannot decompress $URI$o" "the object is damaged, or zstd/gzip is missing for $(id -un)"; }
        rm -f "$p.pitr-fetch"
        mv -f "$p.pitr-plain" "$p" && exit 0
        exit 1
    done
    exit 1
}

check() {
    if [ -n "$AGE" ]; then
        [ -x "$AGE" ] || fail "age is not installed at $AGE" "install the age package on this host: this repository is encrypted"
        [ "${1:-}" = read ] && keys_readable
    fi
    st=$(s3 -o /dev/null -w '%{http_code}' -I -H "x-amz-content-sha256: $EMPTY" "$BUCKET") || unreachable "HEAD of the bucket"
    case $st in
        200) exit 0 ;;
        404) fail "there is no bucket at $BUCKET" "create the bucket first, or correct the s3:// location and endpoint" ;;
        *) refused "read" "$st" ;;
    esac
}

case ${1:-} in
    push) [ $# -eq 3 ] || fail "push needs a path and a name" "use: archive-wal push %p %f"; push "$2" "$3" ;;
    fetch) [ $# -eq 3 ] || fail "fetch needs a name and a path" "use: archive-wal fetch %f %p"; credentials; fetch "$2" "$3" ;;
    check) credentials; check "${2:-}" ;;
    # started by a push only, in the data directory
    worker) [ $# -eq 2 ] && [ -d pg_wal/.pitr-pushed ] || exit 1; worker "$2" ;;
    *) fail "unknown verb '${1:-}'" "use push %p %f, fetch %f %p or check [read]" ;;
esac
