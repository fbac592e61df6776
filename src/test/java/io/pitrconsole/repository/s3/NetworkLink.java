package io.pitrconsole.repository.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP link on 127.0.0.1 between a client and a server that a test can cut (a network failure:
 * every connection through it is closed and new ones are refused) and mend on the same port.
 * Killing s3proxy itself in the middle of a part leaves a half-written part file in its
 * filesystem backend that makes its own ListParts and AbortMultipartUpload of that upload fail
 * (HTTP 400) for good, which no client can clean up; a cut link leaves the server whole.
 */
public final class NetworkLink implements AutoCloseable {
    private final int target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final int port;
    private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
    private volatile ServerSocket listener;

    public NetworkLink(URI server) throws IOException {
        this.target = server.getPort();
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.port = listener.getLocalPort();
        accept(listener);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** How many connections clients opened through the link so far. */
    public int connectionsOpened() {
        return accepted.get();
    }

    /** Closes every connection through the link and refuses new ones until {@link #mend()}. */
    public void cut() throws IOException {
        listener.close();
        for (Socket s : open) {
            s.close();
        }
        open.clear();
    }

    /** Listens again on the same port. */
    public void mend() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        listener = s;
        accept(s);
    }

    private void accept(ServerSocket server) {
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    accepted.incrementAndGet();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                    open.add(client);
                    open.add(upstream);
                    pump(client, upstream);
                    pump(upstream, client);
                } catch (IOException closed) {
                    return;
                }
            }
        }, "network-link-accept");
        t.setDaemon(true);
        t.start();
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[65536];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    out.write(buffer, 0, n);
                }
            } catch (IOException cutOrClosed) {
                // the link was cut, or one side hung up
            } finally {
                close(from);
                close(to);
            }
        }, "network-link-pump");
        t.setDaemon(true);
        t.start();
    }

    private void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
        open.remove(s);
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
