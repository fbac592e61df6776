package io.pitrconsole.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A named cluster the console manages: how to connect, where its data directory is, which OS user
 * runs it and which archive directory holds its backups and WAL. Never holds a password.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Profile(String name, String host, Integer port, String user, String database, String dataDirectory,
                      String osUser, String archive, String pgBin) {
}
