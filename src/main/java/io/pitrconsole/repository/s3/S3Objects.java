package io.pitrconsole.repository.s3;

import io.pitrconsole.core.Cancellation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/** The object operations the stores share: keys relative to the repository's prefix, errors explained. */
final class S3Objects {
    /** Bytes per part of a multipart upload: S3 needs at least 5 MiB and allows 10,000 parts, so files up to 160 GiB. */
    static final int PART_SIZE = 16 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(S3Objects.class);
    private final S3Connection s3;

    S3Objects(S3Connection s3) {
        this.s3 = s3;
    }

    String key(String name) {
        return s3.bucket().key(name);
    }

    String uri(String name) {
        return "s3://" + s3.bucket().bucket() + "/" + key(name);
    }

    S3Connection connection() {
        return s3;
    }

    /** The objects under a folder of the repository (name relative to it), all pages. */
    List<S3Object> list(String folder) {
        String prefix = key(folder) + "/";
        List<S3Object> all = new ArrayList<>();
        s3.call("list " + uri(folder) + "/", () -> {
            s3.client().listObjectsV2Paginator(r -> r.bucket(s3.bucket().bucket()).prefix(prefix)).contents().forEach(all::add);
            return null;
        });
        return all;
    }

    /** The names of the folders directly under the repository's prefix. */
    List<String> folders() {
        String prefix = s3.bucket().prefix().isEmpty() ? "" : s3.bucket().prefix() + "/";
        List<String> names = new ArrayList<>();
        s3.call("list " + s3.bucket().uri(), () -> {
            s3.client().listObjectsV2Paginator(r -> r.bucket(s3.bucket().bucket()).prefix(prefix).delimiter("/"))
                    .commonPrefixes().stream().map(CommonPrefix::prefix)
                    .map(p -> p.substring(prefix.length(), p.length() - 1)).forEach(names::add);
            return null;
        });
        return names;
    }

    /** Whether any object's name begins with this one (the object itself included). */
    boolean anyStartingWith(String name) {
        return anyKeyStartingWith(key(name), uri(name) + "*");
    }

    /** Whether the folder has any object. */
    boolean any(String folder) {
        return anyKeyStartingWith(key(folder) + "/", uri(folder) + "/");
    }

    /** One listing of at most one key; what says what was listed, in a failure's words. */
    private boolean anyKeyStartingWith(String keyPrefix, String what) {
        return s3.call("list " + what, () ->
                s3.client().listObjectsV2(r -> r.bucket(s3.bucket().bucket()).prefix(keyPrefix).maxKeys(1)).keyCount() > 0);
    }

    /** Lists one key of the prefix: fails with a hint when the bucket cannot be read. */
    void probe() {
        s3.call("list " + s3.bucket().uri(), () ->
                s3.client().listObjectsV2(r -> r.bucket(s3.bucket().bucket()).prefix(s3.bucket().prefix()).maxKeys(1)));
    }

    Optional<HeadObjectResponse> head(String name) {
        try {
            return Optional.of(s3.client().headObject(r -> r.bucket(s3.bucket().bucket()).key(key(name))));
        } catch (NoSuchKeyException gone) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !"NoSuchBucket".equals(code(e))) {
                return Optional.empty();
            }
            throw s3.explain("read " + uri(name), e);
        } catch (SdkException e) {
            throw s3.explain("read " + uri(name), e);
        }
    }

    /** Opens an object; NoSuchFileException when it is not there. */
    InputStream open(String name) throws IOException {
        try {
            return s3.client().getObject(r -> r.bucket(s3.bucket().bucket()).key(key(name)));
        } catch (NoSuchKeyException gone) {
            throw new NoSuchFileException(uri(name));
        } catch (SdkException e) {
            throw s3.explain("read " + uri(name), e);
        }
    }

    /** Opens the first {@code bytes} bytes of an object (all of a shorter one); NoSuchFileException when it is not there. */
    InputStream openRange(String name, int bytes) throws IOException {
        try {
            return s3.client().getObject(r -> r.bucket(s3.bucket().bucket()).key(key(name)).range("bytes=0-" + (bytes - 1)));
        } catch (NoSuchKeyException gone) {
            throw new NoSuchFileException(uri(name));
        } catch (SdkException e) {
            throw s3.explain("read " + uri(name), e);
        }
    }

    Optional<byte[]> read(String name) throws IOException {
        try (InputStream in = open(name)) {
            return Optional.of(in.readAllBytes());
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        }
    }

    /** One PUT: S3 shows a reader the old object or the new one, never part of one. The service checks Content-MD5. */
    void put(String name, byte[] content) {
        s3.call("write " + uri(name), () -> s3.client().putObject(r -> r.bucket(s3.bucket().bucket()).key(key(name))
                .contentMD5(md5(content)), RequestBody.fromBytes(content)));
    }

    /** Removes objects by their full keys, one request each: s3proxy and other services lack DeleteObjects (501). */
    void deleteKeys(List<String> keys) {
        for (String k : keys) {
            s3.call("delete s3://" + s3.bucket().bucket() + "/" + k, () -> s3.client().deleteObject(r -> r.bucket(s3.bucket().bucket()).key(k)));
        }
    }

    void delete(String name) {
        s3.call("delete " + uri(name), () -> s3.client().deleteObject(r -> r.bucket(s3.bucket().bucket()).key(key(name))));
    }

    /** Aborts every unfinished multipart upload under a folder of the repository: their parts are not objects, but are kept (and paid for). */
    void abortUploads(String folder) {
        String bucket = s3.bucket().bucket();
        String prefix = key(folder) + "/";
        s3.call("abort unfinished uploads under " + uri(folder) + "/", () -> {
            for (MultipartUpload u : s3.client().listMultipartUploadsPaginator(r -> r.bucket(bucket).prefix(prefix)).uploads()) {
                s3.client().abortMultipartUpload(r -> r.bucket(bucket).key(u.key()).uploadId(u.uploadId()));
                LOG.info("aborted an unfinished upload of s3://{}/{}", bucket, u.key());
            }
            return null;
        });
    }

    static String code(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    static String md5(byte[] content) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
