package io.pitrconsole.schedule;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.pitrconsole.core.Finding;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/** The answer to "is this archive healthy?": the worst level, every check, and the numbers. */
public record HealthReport(HealthLevel status, Instant checkedAt, String archive,
                           @JsonSerialize(contentUsing = HealthReport.CheckInHealthWords.class) List<Finding> checks,
                           HealthMetrics metrics) {
    public HealthReport {
        checks = List.copyOf(checks);
    }

    /** A check as 'health --json' and the status endpoint print it: its level in health's words (ok, warning, critical). */
    public static final class CheckInHealthWords extends StdSerializer<Finding> {
        public CheckInHealthWords() {
            super(Finding.class);
        }

        @Override
        public void serialize(Finding f, JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeStartObject();
            g.writeStringField("check", f.check());
            g.writeStringField("level", HealthLevel.of(f.level()).label());
            g.writeStringField("detail", f.detail());
            g.writeStringField("hint", f.hint());
            g.writeEndObject();
        }
    }
}
