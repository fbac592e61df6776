package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.core.Timestamps;
import io.pitrconsole.pg.PgConnections;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the console reads from a typed time is the moment PostgreSQL reads from the same text. */
class TimeInputServerAgreementTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    @Test
    void everyFormTheConsoleAcceptsMeansTheSameMomentToTheServer() throws Exception {
        List<String> inputs = List.of("2026-07-01 12:00:00 Europe/Berlin", "2026-01-15 12:00 Europe/Berlin", "2026-07-01 12:00 CET",
                "2026-07-01 12:00 CEST", "2026-07-01 12:00 EST", "2026-07-01 12:00 PDT", "2026-07-01 12:00 utc", "2026-11-25t14:03:07.25z",
                "2026-11-25 14:03:07.123456-0530", "2026-11-25", "2026-07-01 03:04", "2026-03-29 03:30");
        try (Connection c = PgConnections.open(pg.cluster().connection()); Statement st = c.createStatement()) {
            // a time without a zone is read in the session's zone on the server and in the given zone here
            st.execute("SET TimeZone = 'Europe/Paris'");
            for (String input : inputs) {
                try (ResultSet rs = st.executeQuery("SELECT to_char(('" + input + "'::timestamptz) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')")) {
                    rs.next();
                    assertThat(Timestamps.parse(input, ZoneId.of("Europe/Paris")).toInstant()).as(input)
                            .isEqualTo(Instant.parse(rs.getString(1) + "Z"));
                }
            }
        }
    }
}
