package io.pitrconsole.repository;

import java.net.URI;
import java.util.Optional;

/**
 * A repository in an S3-compatible bucket: s3://bucket/prefix with where the service is.
 *
 * @param prefix the key prefix every object of the repository starts with, without slashes at
 *               either end; empty for the bucket's root
 */
public record BucketLocation(String bucket, String prefix, Optional<URI> endpoint, Optional<String> region, boolean pathStyle) {

    /** The key of a name under the prefix. */
    public String key(String name) {
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** s3://bucket/prefix, as the user wrote it. */
    public String uri() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    /** The location and the endpoint, for messages. */
    public String describe() {
        return uri() + endpoint.map(e -> " at " + e).orElse("");
    }
}
