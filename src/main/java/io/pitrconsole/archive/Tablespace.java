package io.pitrconsole.archive;

/** A tablespace in a backup: its OID (the tar is named after it) and where it lived on the server. */
public record Tablespace(String oid, String location) {
}
