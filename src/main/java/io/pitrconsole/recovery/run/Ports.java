package io.pitrconsole.recovery.run;

import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finds and checks TCP ports on the loopback interface for rehearsal servers. */
public final class Ports {
    private Ports() {
    }

    /** A port nobody listens on right now. */
    public static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new PitrException("no free TCP port found: " + e.getMessage(),
                    Hint.of("pass a port with --port", "type a port on the Mode step"));
        }
    }

    /** True when nothing listens on the port on 127.0.0.1 and the wildcard address. */
    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        } catch (IOException e) {
            return false;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
