package io.pitrconsole.repository.encryption;

import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.SearchPath;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The age program (age-encryption.org/v1), which encrypts and decrypts every file of an encrypted
 * repository, on this machine and, through the server's scripts, on the server's host. One format
 * and one implementation for both sides: X25519 recipients, ChaCha20-Poly1305 in 64 KiB chunks,
 * each authenticated, the last one marked, so a changed, cut or extended file fails. A key is
 * given to age as a file path, never as an argument's value; encrypting needs only the recipient.
 */
public final class AgeProgram {
    private static final String INSTALL = "install the age package (apt install age; age-encryption.org), which"
            + " encrypts the repository's files, on this machine and on the server's host";
    private static final int STDERR_LIMIT = 4096;
    private final Path age;
    private final Path keygen;

    private AgeProgram(Path age, Path keygen) {
        this.age = age;
        this.keygen = keygen;
    }

    /** Finds age and age-keygen on the PATH of {@code env}; a PitrException naming the package when they are missing. */
    public static AgeProgram find(Map<String, String> env) {
        String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        Path age = SearchPath.find(path, "age").orElseThrow(() -> new PitrException("age is not installed (not on the PATH)", INSTALL));
        Path keygen = SearchPath.find(path, "age-keygen")
                .orElseThrow(() -> new PitrException("age-keygen is not installed (not on the PATH)", INSTALL));
        return new AgeProgram(age, keygen);
    }

    /** The age program, for the server's scripts. */
    public Path path() {
        return age;
    }

    /** The recipient (age1...) of an identity file, by `age-keygen -y`. */
    public String recipientOf(Path identityFile) {
        Result r = run(List.of(keygen.toString(), "-y", identityFile.toString()));
        List<String> recipients = r.out().lines().map(String::strip).filter(l -> l.startsWith("age1")).toList();
        if (r.code() != 0 || recipients.isEmpty()) {
            throw new PitrException("the encryption key file " + identityFile + " is not an age identity file ("
                    + firstLine(r.err()) + ")", EncryptionKey.HINT);
        }
        if (recipients.size() > 1) {
            throw new PitrException("the encryption key file " + identityFile + " holds " + recipients.size() + " keys",
                    "give one key per file; to read files of an older key as well, give that key's file too");
        }
        return recipients.get(0);
    }

    /** Writes a new identity file (readable by its owner only); refuses a file that exists. */
    public EncryptionKey generate(Path file) {
        Path f = file.toAbsolutePath().normalize();
        if (Files.exists(f)) {
            throw new PitrException("the key file " + f + " already exists; it was left as it is",
                    "choose a new file name: replacing a key file makes everything encrypted with it unreadable");
        }
        Result r = run(List.of(keygen.toString(), "-o", f.toString()));
        if (r.code() != 0) {
            throw new PitrException("age-keygen could not write " + f + ": " + firstLine(r.err()), "choose a directory this user may write to");
        }
        return EncryptionKey.load(this, f);
    }

    /**
     * A stream whose bytes are encrypted to {@code recipients} and written to {@code sink}; closing it
     * ends the file (its last chunk) and closes the sink. Fails with an IOException if age does.
     */
    public OutputStream encrypting(OutputStream sink, List<String> recipients) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(age.toString(), "--encrypt"));
        for (String r : recipients) {
            cmd.add("--recipient");
            cmd.add(r);
        }
        Process p = new ProcessBuilder(cmd).start();
        StderrTail err = StderrTail.drain(p);
        AtomicReference<IOException> pumpFailed = new AtomicReference<>();
        Thread pump = new Thread(() -> {
            try (InputStream out = p.getInputStream()) {
                out.transferTo(sink);
            } catch (IOException e) {
                pumpFailed.set(e);
                p.destroy();
            }
        }, "age-encrypt-out");
        pump.setDaemon(true);
        pump.start();
        return new FilterOutputStream(p.getOutputStream()) {
            private boolean closed;
            private IOException reported;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    out.write(b, off, len);
                } catch (IOException e) {
                    p.destroyForcibly();
                    reported = pumpFailed.get() != null ? pumpFailed.get() : new IOException("age stopped while encrypting: " + err.text(), e);
                    throw reported;
                }
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    out.close();
                    join(pump);
                    int code = waitFor(p);
                    // thrown once: try-with-resources cannot add a failure to itself as suppressed by its own close
                    if (pumpFailed.get() != null && pumpFailed.get() != reported) {
                        throw pumpFailed.get();
                    }
                    if (reported != null) {
                        return;
                    }
                    if (code != 0) {
                        throw new IOException("age could not encrypt: " + firstLine(err.text()));
                    }
                } finally {
                    p.destroyForcibly();
                    sink.close();
                }
            }
        };
    }

    /** The plain bytes of an encrypted file on this machine. See {@link #decrypting(InputStream, Keyring, String)}. */
    public InputStream decrypting(Path stored, Keyring keys, String what) throws IOException {
        return start(keys, what, stored, null);
    }

    /**
     * The plain bytes of an encrypted stream, each handed out only once age has authenticated its
     * chunk. At the end an {@link EncryptedFileDamaged} naming {@code what} when the file was changed,
     * cut, extended or is not encrypted, and a PitrException with a hint when none of the keys opens it.
     */
    public InputStream decrypting(InputStream stored, Keyring keys, String what) throws IOException {
        return start(keys, what, null, stored);
    }

    private InputStream start(Keyring keys, String what, Path file, InputStream source) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(age.toString(), "--decrypt"));
        for (Path k : keys.files()) {
            cmd.add("--identity");
            cmd.add(k.toString());
        }
        if (file != null) {
            cmd.add(file.toString());
        }
        Process p = new ProcessBuilder(cmd).start();
        StderrTail err = StderrTail.drain(p);
        AtomicReference<IOException> feedFailed = new AtomicReference<>();
        if (source != null) {
            Thread feed = new Thread(() -> {
                OutputStream in = p.getOutputStream();
                try (source) {
                    byte[] buffer = new byte[64 * 1024];
                    for (int n; (n = source.read(buffer)) >= 0; ) {
                        try {
                            in.write(buffer, 0, n);
                        } catch (IOException ageGone) {
                            // age stopped reading (it failed, or the reader closed): its exit says why, even
                            // when it has not exited yet as the pipe breaks
                            return;
                        }
                    }
                } catch (IOException e) {
                    // the source failing is not age's to report
                    feedFailed.set(e);
                    p.destroy();
                } finally {
                    try {
                        in.close();
                    } catch (IOException ageGone) {
                        // as above: age's exit tells
                    }
                }
            }, "age-decrypt-in");
            feed.setDaemon(true);
            feed.start();
        } else {
            p.getOutputStream().close();
        }
        return new InputStream() {
            private final InputStream out = p.getInputStream();
            private boolean ended;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n;
                try {
                    n = out.read(b, off, len);
                } catch (IOException e) {
                    // age's output closed under the reader because the source failed and age was stopped: that failure is the one to tell
                    IOException fed = feedFailed.get();
                    throw fed != null ? fed : e;
                }
                if (n < 0 && !ended) {
                    ended = true;
                    int code = waitFor(p);
                    if (feedFailed.get() != null) {
                        throw feedFailed.get();
                    }
                    if (code != 0) {
                        throw failure(err.text(), keys, what);
                    }
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                try {
                    out.close();
                } finally {
                    p.destroyForcibly();
                }
            }
        };
    }

    private static IOException failure(String stderr, Keyring keys, String what) {
        String line = firstLine(stderr);
        if (line.contains("no identity matched")) {
            throw new PitrException(what + " cannot be decrypted with the key given (" + keys.describe() + "): it was encrypted to another key",
                    "give the repository's key file (--encryption-key-file FILE, the profile's key file, or PITR_ENCRYPTION_KEY_FILE);"
                            + " a file encrypted to a key the repository never had was put there by someone else");
        }
        if (line.contains("unexpected intro") || line.contains("failed to read header")) {
            // age quotes the file's first bytes after "intro": plain content never goes into a message
            return new EncryptedFileDamaged(what, "it is not an age-encrypted file");
        }
        return new EncryptedFileDamaged(what, "age says \"" + (line.length() > 200 ? line.substring(0, 200) + "..." : line) + "\"");
    }

    private static String firstLine(String stderr) {
        return stderr.lines().map(l -> l.replaceFirst("^age(-keygen)?: (error: )?", "").strip())
                .filter(l -> !l.isEmpty() && !l.startsWith("report unexpected")).findFirst().orElse("no message");
    }

    private static int waitFor(Process p) throws IOException {
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("age did not end within 60 s of its output");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while age was running");
        }
    }

    private static void join(Thread t) throws IOException {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while age was running");
        }
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).start();
            p.getOutputStream().close();
            StderrTail err = StderrTail.drain(p);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(waitFor(p), out, err.text());
        } catch (IOException e) {
            throw new PitrException("cannot run " + cmd.get(0) + ": " + e.getMessage(), INSTALL);
        }
    }

    /** The first few KiB of a process's standard error, read as it runs so it never blocks on a full pipe. */
    private static final class StderrTail {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final Thread reader;

        private StderrTail(Process p) {
            reader = new Thread(() -> {
                byte[] buf = new byte[1024];
                try (InputStream in = p.getErrorStream()) {
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        synchronized (kept) {
                            kept.write(buf, 0, Math.max(0, Math.min(n, STDERR_LIMIT - kept.size())));
                        }
                    }
                } catch (IOException e) {
                    // the process is gone; what was read is what there is
                }
            }, "age-stderr");
            reader.setDaemon(true);
        }

        static StderrTail drain(Process p) {
            StderrTail t = new StderrTail(p);
            t.reader.start();
            return t;
        }

        String text() {
            try {
                reader.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (kept) {
                return kept.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
