package io.pitrconsole.repository.s3;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.BackupStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backup on its way into a bucket. pg_basebackup refuses a target directory that is not empty
 * (so no named pipe can wait there for it) and refuses to stream WAL while it writes a tar to
 * standard output; but it writes base.tar and each tablespace's tar from start to end, never seeking
 * back (pg_wal.tar it does rewrite, and backup_manifest appears whole at the end). So the tars are
 * followed as they grow: each full part goes up while pg_basebackup writes on, and the part's bytes
 * are freed in the local file (a hole punched in it); when the network falls behind, pg_basebackup
 * is held until it catches up. So the staging directory holds a few parts, never a tar whole, and
 * memory a few part buffers ({@link S3PartSender}). At commit the rest goes up (pg_wal.tar,
 * backup_manifest), and the backup's .incoming marker is removed last.
 */
final class S3IncomingBackup implements BackupStore.NewBackup {
    private static final Logger LOG = LoggerFactory.getLogger(S3IncomingBackup.class);
    private static final long POLL_MILLIS = 20;
    /** Whole parts waiting in the staging directory at which pg_basebackup is held. */
    private static final long HOLD_AT = 2;
    private static final long HOLD_POLL_MILLIS = 5;
    /** The plain bytes handed to a sealing at once. */
    private static final int FEED_CHUNK = 1024 * 1024;
    /** base.tar and the tablespaces' tars, however compressed; not pg_wal.tar, which is rewritten in place. */
    private static final Pattern WRITTEN_ONCE = Pattern.compile("(base|\\d+)\\.tar(\\.gz|\\.lz4|\\.zst)?");

    private final S3Objects objects;
    private final String id;
    private final Path local;
    private final String marker;
    private final Optional<BackupStore.Sealing> sealing;
    private final S3PartSender sender = new S3PartSender();
    private final Map<String, Followed> followed = new ConcurrentHashMap<>();
    private final Thread follower;
    private volatile boolean writerDone;
    private volatile boolean stopped;
    private volatile RuntimeException failure;
    private volatile BackupStore.Writer writer;
    private boolean committed;

    /** @param sealing what every file goes through on its way up (an encryption), when the backup is to be stored so */
    S3IncomingBackup(S3Objects objects, String id, Path local, String marker, Optional<BackupStore.Sealing> sealing) {
        this.objects = objects;
        this.id = id;
        this.local = local;
        this.marker = marker;
        this.sealing = sealing;
        this.follower = new Thread(this::follow, "s3-follow-" + id);
        follower.setDaemon(true);
        follower.start();
        Thread holder = new Thread(this::holdWhileBehind, "s3-hold-" + id);
        holder.setDaemon(true);
        holder.start();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Path incoming() {
        return local;
    }

    @Override
    public void writing(BackupStore.Writer writer) {
        this.writer = writer;
    }

    @Override
    public List<String> commit(Cancellation cancellation) throws IOException {
        writerDone = true;
        awaitFollower(cancellation);
        if (failure != null) {
            throw failure;
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(local)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (!followed.containsKey(name)) {
                    cancellation.throwIfCancelled("the upload of " + objects.uri(S3BackupStore.name(id, name)));
                    upload(f, name);
                }
                Files.delete(f);
                names.add(name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cancellation.CancelledException("the upload of backup " + id + " was interrupted");
        }
        Files.delete(local);
        objects.delete(marker);
        committed = true;
        sender.close();
        return names;
    }

    @Override
    public Optional<RuntimeException> abandon() {
        if (committed) {
            return Optional.empty();
        }
        stopped = true;
        try {
            follower.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        followed.values().forEach(Followed::abort);
        sender.close();
        return Optional.ofNullable(failure);
    }

    private void awaitFollower(Cancellation cancellation) {
        try {
            while (follower.isAlive()) {
                cancellation.throwIfCancelled("the upload of backup " + id);
                follower.join(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cancellation.CancelledException("the upload of backup " + id + " was interrupted");
        }
    }

    /** Follows the tars pg_basebackup writes until it is done (or the backup abandoned), then sends their ends. */
    private void follow() {
        try {
            boolean finalPass = false;
            while (!stopped && !finalPass) {
                // read before looking at the files: once the writer is done, what is seen next is all there is
                finalPass = writerDone;
                boolean progressed = false;
                for (Followed f : newTars()) {
                    followed.put(f.name, f);
                }
                for (Followed f : List.copyOf(followed.values())) {
                    progressed |= f.sendFullParts(() -> stopped);
                }
                if (!progressed && !finalPass) {
                    Thread.sleep(POLL_MILLIS);
                }
            }
            if (!stopped) {
                for (Followed f : List.copyOf(followed.values())) {
                    f.finish();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            failure = e instanceof RuntimeException re ? re : new PitrException("cannot read " + local + " while pg_basebackup writes it: "
                    + e.getMessage(), "check the space and permissions of the staging directory " + local.getParent());
            LOG.debug("the upload of backup {} failed while pg_basebackup was writing: {}", id, e.getMessage());
            if (writer != null) {
                writer.stop();
            }
        }
    }

    /** Whole parts written and not yet read, in all the tars followed: what holding the writer can bound. */
    private long unsentParts() throws IOException {
        long parts = 0;
        for (Followed f : List.copyOf(followed.values())) {
            parts += f.unsentParts();
        }
        return parts;
    }

    /**
     * Holds pg_basebackup while the staging directory has {@link #HOLD_AT} whole parts not yet read
     * (the network is slower than the disk) and lets it go on once they are read: so the staging
     * directory holds a few parts at most, however slow the service. A thread of its own, as the
     * follower may wait on the service (a part buffer, the start of an upload) while pg_basebackup writes on.
     */
    private void holdWhileBehind() {
        boolean held = false;
        try {
            while (!writerDone && !stopped && failure == null) {
                BackupStore.Writer w = writer;
                long unsent = unsentParts();
                if (w != null && !held && unsent >= HOLD_AT) {
                    w.pause();
                    held = true;
                } else if (held && unsent == 0) {
                    w.resume();
                    held = false;
                }
                Thread.sleep(HOLD_POLL_MILLIS);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("no longer watching how far the upload of {} is behind: {}", id, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (held) {
                writer.resume();
            }
        }
    }

    private List<Followed> newTars() throws IOException {
        List<Followed> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(local)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (!followed.containsKey(name) && WRITTEN_ONCE.matcher(name).matches()) {
                    S3Upload upload = new S3Upload(objects, sender, S3BackupStore.name(id, name));
                    found.add(new Followed(name, p, upload, sealing.isPresent() ? new S3SealedUpload(upload, sender, sealing.get()) : null));
                }
            }
        } catch (NoSuchFileException gone) {
            // abandoned meanwhile
        }
        return found;
    }

    /** Uploads a file that is complete (pg_wal.tar, backup_manifest): its parts in parallel too. */
    private void upload(Path file, String name) throws IOException, InterruptedException {
        S3Upload upload = new S3Upload(objects, sender, S3BackupStore.name(id, name));
        if (sealing.isPresent()) {
            S3SealedUpload sealed = new S3SealedUpload(upload, sender, sealing.get());
            try (InputStream in = Files.newInputStream(file)) {
                byte[] chunk = new byte[FEED_CHUNK];
                for (int n; (n = in.read(chunk)) >= 0; ) {
                    sealed.write(chunk, 0, n);
                }
                sealed.finish();
            } catch (IOException | RuntimeException | InterruptedException e) {
                sealed.abort();
                throw e;
            }
            return;
        }
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            long offset = 0;
            while (true) {
                byte[] buffer = sender.buffer();
                int n = readFully(in, buffer, offset);
                offset += n;
                if (n < buffer.length || offset == size) {
                    upload.finish(buffer, n);
                    return;
                }
                upload.part(buffer);
            }
        } catch (IOException | RuntimeException | InterruptedException e) {
            upload.abort();
            throw e;
        }
    }

    private static int readFully(FileChannel in, byte[] buffer, long position) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buffer);
        while (b.hasRemaining()) {
            int n = in.read(b, position + b.position());
            if (n < 0) {
                break;
            }
        }
        return b.position();
    }

    /** One tar pg_basebackup writes from start to end, sent part by part as it grows; sealed on the way when the backup is. */
    private final class Followed {
        private final String name;
        private final Path path;
        private final S3Upload upload;
        private final S3SealedUpload sealed;
        private volatile long sent;
        private boolean punching = true;

        Followed(String name, Path path, S3Upload upload, S3SealedUpload sealed) {
            this.name = name;
            this.path = path;
            this.upload = upload;
            this.sealed = sealed;
        }

        void abort() {
            if (sealed != null) {
                sealed.abort();
            } else {
                upload.abort();
            }
        }

        long unsentParts() throws IOException {
            return (Files.size(path) - sent) / S3Objects.PART_SIZE;
        }

        /** Sends every full part written so far; true when it sent any. */
        boolean sendFullParts(BooleanSupplier stop) throws IOException, InterruptedException {
            boolean any = false;
            try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
                while (!stop.getAsBoolean() && in.size() - sent >= S3Objects.PART_SIZE) {
                    upload.throwIfFailed();
                    if (sealed != null) {
                        // a part's worth of plain bytes into the sealing, whose output fills the upload's parts
                        feed(in, sent, S3Objects.PART_SIZE);
                        free(sent, S3Objects.PART_SIZE);
                        sent += S3Objects.PART_SIZE;
                        any = true;
                        continue;
                    }
                    byte[] buffer = sender.buffer();
                    readFully(in, buffer, sent);
                    free(sent, buffer.length);
                    sent += buffer.length;
                    upload.part(buffer);
                    any = true;
                }
            }
            return any;
        }

        /** Sends the last bytes once the writer is done, and waits until the object is stored. */
        void finish() throws IOException, InterruptedException {
            sendFullParts(() -> stopped);
            if (sealed != null) {
                try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
                    feed(in, sent, in.size() - sent);
                }
                sealed.finish();
                return;
            }
            byte[] buffer = sender.buffer();
            int n;
            try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
                n = readFully(in, buffer, sent);
            }
            upload.finish(buffer, n);
        }

        // the plain bytes [from, from + length) into the sealing, a small buffer at a time
        private void feed(FileChannel in, long from, long length) throws IOException {
            byte[] chunk = new byte[FEED_CHUNK];
            long done = 0;
            while (done < length) {
                ByteBuffer b = ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, length - done));
                while (b.hasRemaining()) {
                    if (in.read(b, from + done + b.position()) < 0) {
                        throw new IOException(path + " ended at " + (from + done + b.position()) + " bytes while being sealed");
                    }
                }
                sealed.write(chunk, 0, b.position());
                done += b.position();
            }
        }

        /**
         * Frees the bytes of a part already read in the staging file (their blocks go back to the
         * file system, the file keeps its length), so the staging directory never holds the tar
         * whole. A file system that cannot punch holes holds it whole, as before.
         */
        private void free(long offset, long length) throws InterruptedException {
            if (!punching) {
                return;
            }
            try {
                Process p = new ProcessBuilder("fallocate", "--punch-hole", "--offset", Long.toString(offset), "--length",
                        Long.toString(length), path.toString()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (p.waitFor() != 0) {
                    punching = false;
                    LOG.warn("cannot free the parts of {} already uploaded ({}): the staging directory holds it whole until it is stored",
                            path, out);
                }
            } catch (IOException e) {
                punching = false;
                LOG.warn("cannot free the parts of {} already uploaded (fallocate: {}): the staging directory holds it whole until it is stored",
                        path, e.getMessage());
            }
        }
    }
}
