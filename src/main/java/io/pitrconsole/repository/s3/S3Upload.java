package io.pitrconsole.repository.s3;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One object written part by part, in order, while its parts go up in parallel: a multipart upload
 * once a full part is handed over, else a single PUT at the end. Each part carries Content-MD5.
 * An upload that fails or is abandoned is aborted, so the bucket keeps no parts of it.
 */
final class S3Upload {
    private static final Logger LOG = LoggerFactory.getLogger(S3Upload.class);

    private final S3Objects objects;
    private final S3PartSender sender;
    private final String name;
    private final List<Future<?>> sent = new ArrayList<>();
    private final List<CompletedPart> stored = new ArrayList<>();
    private volatile RuntimeException failure;
    private volatile boolean abandoned;
    private String uploadId;
    private int parts;

    S3Upload(S3Objects objects, S3PartSender sender, String name) {
        this.objects = objects;
        this.sender = sender;
        this.name = name;
    }

    String name() {
        return name;
    }

    /** Hands over the next full part; the buffer goes back to the sender once stored. Throws the failure of an earlier part. */
    void part(byte[] buffer) {
        throwIfFailed();
        if (uploadId == null) {
            String key = objects.key(name);
            uploadId = objects.connection().call("start the upload of " + objects.uri(name),
                    () -> objects.connection().client().createMultipartUpload(r -> r.bucket(bucket()).key(key))).uploadId();
        }
        int number = ++parts;
        String id = uploadId;
        sent.add(sender.submit(() -> {
            try {
                if (failure == null && !abandoned) {
                    send(id, number, buffer, buffer.length);
                }
            } catch (RuntimeException e) {
                synchronized (this) {
                    if (failure == null) {
                        failure = e;
                    }
                }
            } finally {
                sender.release(buffer);
            }
        }));
    }

    /** Hands over the last bytes (a part shorter than a full one, maybe none) and waits until the object is stored. */
    void finish(byte[] buffer, int length) throws InterruptedException {
        try {
            if (uploadId == null) {
                byte[] content = Arrays.copyOf(buffer == null ? new byte[0] : buffer, length);
                objects.put(name, content);
                return;
            }
            if (length > 0) {
                throwIfFailed();
                send(uploadId, ++parts, buffer, length);
            }
        } finally {
            sender.release(buffer);
        }
        awaitSent();
        throwIfFailed();
        List<CompletedPart> all;
        synchronized (stored) {
            all = stored.stream().sorted(Comparator.comparingInt(CompletedPart::partNumber)).toList();
        }
        String id = uploadId;
        objects.connection().call("finish the upload of " + objects.uri(name), () -> objects.connection().client().completeMultipartUpload(
                r -> r.bucket(bucket()).key(objects.key(name)).uploadId(id).multipartUpload(m -> m.parts(all))));
    }

    /** Stops sending and aborts the multipart upload, if one was started; an unreachable service leaves it to the next backup's clean-up. */
    void abort() {
        // parts not yet sent are skipped; those on the wire are waited for, as an abort that overtakes
        // a part leaves that part's upload behind on some services (s3proxy)
        abandoned = true;
        try {
            awaitSent();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException alreadyFailed) {
            // the abort below is what matters now
        }
        if (uploadId != null) {
            String id = uploadId;
            try {
                objects.connection().client().abortMultipartUpload(r -> r.bucket(bucket()).key(objects.key(name)).uploadId(id));
            } catch (SdkException unreachable) {
                LOG.warn("could not abort the upload of {}: {}", objects.uri(name), unreachable.getMessage());
            }
        }
    }

    /** The failure of a part sent earlier, if any. */
    void throwIfFailed() {
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }

    private void awaitSent() throws InterruptedException {
        for (Future<?> f : sent) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    private void send(String id, int number, byte[] buffer, int length) {
        String md5 = md5(buffer, length);
        String key = objects.key(name);
        var response = objects.connection().call("write " + objects.uri(name) + " (part " + number + ")",
                () -> objects.connection().client().uploadPart(
                        r -> r.bucket(bucket()).key(key).uploadId(id).partNumber(number).contentMD5(md5).contentLength((long) length),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length,
                                "application/octet-stream")));
        synchronized (stored) {
            stored.add(CompletedPart.builder().partNumber(number).eTag(response.eTag()).build());
        }
    }

    private String bucket() {
        return objects.connection().bucket().bucket();
    }

    private static String md5(byte[] content, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            md.update(content, 0, length);
            return Base64.getEncoder().encodeToString(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
