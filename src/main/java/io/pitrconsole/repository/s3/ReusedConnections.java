package io.pitrconsole.repository.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * Lets a connection carry the next request after an answer the S3 client reads itself (a listing,
 * an error). Such answers come in chunks, and the XML reader stops at the closing tag, before the
 * last, empty chunk; closed there, the JDK's HTTP client cannot tell the connection is free and
 * drops it, and the next request opens a new one (TCP and TLS handshakes: about 10 ms of both
 * sides' CPU on this machine, several round trips to a service across a network). Read to its end
 * on close, the connection goes back to the pool.
 */
final class ReusedConnections implements ExecutionInterceptor {
    /**
     * What is read on close at most: the rest of a parsed answer is a few bytes. A body left unread
     * (an object stream closed early, or an answer the reader gave up on) is dropped, not fetched.
     */
    static final int MOST_READ_ON_CLOSE = 8192;

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        Optional<InputStream> body = context.responseBody();
        // an object's own bytes go to the caller, who may stop early on purpose (a range, a cancel)
        boolean objectBytes = context.request() instanceof GetObjectRequest && context.httpResponse().isSuccessful();
        return body.isEmpty() || objectBytes ? body : Optional.of(new ReadToEndOnClose(body.get()));
    }

    private static final class ReadToEndOnClose extends FilterInputStream {
        private boolean closed;

        ReadToEndOnClose(InputStream in) {
            super(in);
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                byte[] rest = new byte[1024];
                int left = MOST_READ_ON_CLOSE;
                int n;
                while (left > 0 && (n = in.read(rest, 0, Math.min(rest.length, left))) >= 0) {
                    left -= n;
                }
            } catch (IOException e) {
                // the connection is dropped then, as it was before
            } finally {
                in.close();
            }
        }
    }
}
