package io.pitrconsole.core;

import java.io.IOException;
import java.net.InetAddress;

/** This machine's name as locks and journals record it, so a holder on this host is known as one. */
public final class ThisHost {
    private ThisHost() {
    }

    /** The host name; "localhost" when it cannot be found. */
    public static String name() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
