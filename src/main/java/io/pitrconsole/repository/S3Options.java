package io.pitrconsole.repository;

/**
 * How to reach an S3-compatible service, as flags (--s3-endpoint, --s3-region, --s3-path-style)
 * or a profile give it; read only for an s3:// location. Credentials are never part of it: they
 * come from the environment and ~/.aws, as the AWS tools find them.
 *
 * @param endpoint  the service's URL (http or https), or null for AWS itself
 * @param region    the signing region, or null for the AWS tools' own lookup (AWS_REGION, ~/.aws/config), else us-east-1
 * @param pathStyle address the bucket in the path (MinIO, s3proxy, Ceph) rather than in the host name
 */
public record S3Options(String endpoint, String region, boolean pathStyle) {
    /** Nothing given: AWS itself, the region from the environment. */
    public static final S3Options NONE = new S3Options(null, null, false);

    public S3Options {
        endpoint = blankToNull(endpoint);
        region = blankToNull(region);
    }

    /** These options where given, else the other's: flags over a profile. */
    public S3Options over(S3Options fallback) {
        return new S3Options(endpoint != null ? endpoint : fallback.endpoint, region != null ? region : fallback.region,
                pathStyle || fallback.pathStyle);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
