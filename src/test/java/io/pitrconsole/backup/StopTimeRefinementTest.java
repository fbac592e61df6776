package io.pitrconsole.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StopTimeRefinementTest {
    private static final Instant LABEL_STOP = Instant.parse("2026-11-29T13:26:19Z");

    @Test
    void serverClockInsideTheLabelsSecondBecomesTheStopTime() {
        Instant after = Instant.parse("2026-11-29T13:26:19.412345Z");
        assertThat(BackupCreator.refineStop(LABEL_STOP, Optional.of(after))).contains(after);
    }

    @Test
    void serverClockOutsideTheLabelsSecondIsNoBetterThanTheLabel() {
        assertThat(BackupCreator.refineStop(LABEL_STOP, Optional.of(Instant.parse("2026-11-29T13:26:20.001Z")))).isEmpty();
        // a clock that reads earlier than the label cannot be an upper bound of the stop: not trusted
        assertThat(BackupCreator.refineStop(LABEL_STOP, Optional.of(Instant.parse("2026-11-29T13:26:18.9Z")))).isEmpty();
        assertThat(BackupCreator.refineStop(LABEL_STOP, Optional.empty())).isEmpty();
    }

    @Test
    void aLabelStopWithAFractionIsAlreadyExact() {
        Instant exact = Instant.parse("2026-11-29T13:26:19.5Z");
        assertThat(BackupCreator.refineStop(exact, Optional.of(Instant.parse("2026-11-29T13:26:19.7Z")))).isEmpty();
    }
}
