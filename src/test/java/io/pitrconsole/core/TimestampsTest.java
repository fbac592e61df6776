package io.pitrconsole.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The one reader of typed times (what PostgreSQL would accept) and the one way they are shown. */
class TimestampsTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Test
    void namedZonesAndAbbreviationsAreRead() {
        assertThat(Timestamps.parse("2026-07-01 12:00:00 Europe/Berlin", PARIS)).isEqualTo(OffsetDateTime.parse("2026-07-01T12:00:00+02:00"));
        assertThat(Timestamps.parse("2026-01-15 12:00 Europe/Berlin", PARIS)).isEqualTo(OffsetDateTime.parse("2026-01-15T12:00:00+01:00"));
        // abbreviations are fixed offsets, as PostgreSQL reads them: CET stays +01 in summer
        assertThat(Timestamps.parse("2026-07-01 12:00 CET", PARIS)).isEqualTo(OffsetDateTime.parse("2026-07-01T12:00:00+01:00"));
        assertThat(Timestamps.parse("2026-07-01 12:00 EST", PARIS)).isEqualTo(OffsetDateTime.parse("2026-07-01T12:00:00-05:00"));
        assertThat(Timestamps.parse("2026-07-01 12:00 utc", PARIS)).isEqualTo(OffsetDateTime.parse("2026-07-01T12:00:00Z"));
    }

    @Test
    void aLowerCaseZAndTheIsoSeparatorAreRead() {
        assertThat(Timestamps.parse("2026-11-25t14:03:07.25z", PARIS)).isEqualTo(OffsetDateTime.parse("2026-11-25T14:03:07.25Z"));
        assertThat(Timestamps.parse("2026-11-25 14:03:07 -0530", PARIS)).isEqualTo(OffsetDateTime.parse("2026-11-25T14:03:07-05:30"));
    }

    @Test
    void aDateAloneIsItsMidnightInTheDefaultZone() {
        assertThat(Timestamps.parse("2026-11-25", PARIS)).isEqualTo(OffsetDateTime.parse("2026-11-25T00:00:00+01:00"));
    }

    @Test
    void digitsBelowAMicrosecondAreRefusedSayingWhy() {
        assertThat(Timestamps.parse("2026-11-25 14:03:07.123456", PARIS).getNano()).isEqualTo(123_456_000);
        assertThatThrownBy(() -> Timestamps.parse("2026-11-25 14:03:07.1234567", PARIS)).isInstanceOf(PitrException.class)
                .hasMessageContaining("7 digits after the seconds").hasMessageContaining("microsecond");
    }

    @Test
    void eachFieldOutOfRangeIsNamed() {
        assertThatThrownBy(() -> Timestamps.parse("2026-11-25 25:99", PARIS)).hasMessageContaining("hour 25");
        assertThatThrownBy(() -> Timestamps.parse("2026-11-25 14:99", PARIS)).hasMessageContaining("minute 99");
        assertThatThrownBy(() -> Timestamps.parse("2026-11-25 14:03:61", PARIS)).hasMessageContaining("second 61");
        assertThatThrownBy(() -> Timestamps.parse("2026-13-25 14:03", PARIS)).hasMessageContaining("month 13");
        assertThatThrownBy(() -> Timestamps.parse("2026-02-30 14:03", PARIS)).hasMessageContaining("not a valid date");
        assertThatThrownBy(() -> Timestamps.parse("2026-11-25 14:03 Mars/Olympus", PARIS))
                .hasMessageContaining("unknown time zone 'Mars/Olympus'");
        PitrException e = org.assertj.core.api.Assertions.catchThrowableOfType(() -> Timestamps.parse("yesterday", PARIS), PitrException.class);
        assertThat(e.hint()).contains("Europe/Berlin");
    }

    @Test
    void timesAreShownWithTheOffsetRightAfterTheClock() {
        Instant t = Instant.parse("2026-11-25T13:03:07.000250Z");
        assertThat(Timestamps.micros(t, ZoneId.of("UTC"))).isEqualTo("2026-11-25 13:03:07.000250+00:00");
        assertThat(Timestamps.micros(t, PARIS)).isEqualTo("2026-11-25 14:03:07.000250+01:00");
    }
}
