package io.pitrconsole.repository.s3;

import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.BackupStore;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;

/**
 * One object whose bytes are sealed (encrypted) on their way up: plain bytes written to
 * {@link #plain()} go through the sealing, and what comes out is cut into parts for an
 * {@link S3Upload}, from the sender's part buffers, so memory stays a few parts however large the
 * file. The object is completed only by {@link #finish()} once the sealing ended cleanly; a sealing
 * that fails, or an abandoned upload, is aborted, never completed short.
 */
final class S3SealedUpload {
    private final S3Upload upload;
    private final S3PartSender sender;
    private final Sink sink = new Sink();
    private final OutputStream plain;

    S3SealedUpload(S3Upload upload, S3PartSender sender, BackupStore.Sealing sealing) throws IOException {
        this.upload = upload;
        this.sender = sender;
        this.plain = sealing.seal(sink);
    }

    S3Upload upload() {
        return upload;
    }

    /** Where the plain bytes go, in order. */
    OutputStream plain() {
        return plain;
    }

    /** Seals the next plain bytes; a PitrException when the sealing (age) or the upload fails. */
    void write(byte[] b, int off, int len) throws IOException {
        try {
            plain.write(b, off, len);
        } catch (IOException e) {
            sink.rethrowFailure();
            throw new PitrException("cannot encrypt " + upload.name() + " on its way into the bucket: " + e.getMessage(),
                    "check that age runs on this machine (the Debian package age) and that the repository's recipient is an age key");
        }
    }

    /** Ends the sealed stream (its last bytes) and waits until the object is stored. */
    void finish() throws IOException, InterruptedException {
        try {
            plain.close();
        } catch (IOException e) {
            sink.rethrowFailure();
            throw new PitrException("cannot encrypt " + upload.name() + " on its way into the bucket: " + e.getMessage(),
                    "check that age runs on this machine (the Debian package age)");
        }
        sink.rethrowFailure();
        upload.finish(sink.buffer, sink.filled);
    }

    /** Stops the sealing and aborts the upload. */
    void abort() {
        sink.abandoned = true;
        try {
            plain.close();
        } catch (IOException | RuntimeException expected) {
            // the sealing stops because its output is refused: what matters is the abort below
        }
        sender.release(sink.buffer);
        sink.buffer = null;
        upload.abort();
    }

    /** The sealing's output, filling part buffers and handing each full one to the upload. Closing it completes nothing. */
    private final class Sink extends OutputStream {
        private byte[] buffer;
        private int filled;
        private volatile boolean abandoned;
        private volatile RuntimeException failure;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (abandoned) {
                    throw new IOException("the upload of " + upload.name() + " was abandoned");
                }
                if (buffer == null) {
                    try {
                        buffer = sender.buffer();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while uploading " + upload.name());
                    }
                    filled = 0;
                }
                int n = Math.min(len, buffer.length - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
                if (filled == buffer.length) {
                    byte[] full = buffer;
                    buffer = null;
                    filled = 0;
                    try {
                        upload.part(full);
                    } catch (RuntimeException e) {
                        // the sealing's own thread writes here: it stops on an IOException, the failure itself goes up from finish()
                        failure = e;
                        throw new IOException(e.getMessage(), e);
                    }
                }
            }
        }

        @Override
        public void close() {
            // the object is completed by finish() only, never because the sealing closed its output on a failure
        }

        void rethrowFailure() {
            RuntimeException f = failure;
            if (f != null) {
                throw f;
            }
        }
    }
}
