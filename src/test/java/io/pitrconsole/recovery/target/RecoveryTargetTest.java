package io.pitrconsole.recovery.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.core.PitrException;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class RecoveryTargetTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Test
    void timeWithoutZoneIsReadInTheGivenZoneAndWrittenWithExplicitOffset() {
        RecoveryTarget t = RecoveryTarget.time("2026-11-25 14:03", PARIS).onTimeline(1);

        assertThat(t.time()).isEqualTo(OffsetDateTime.parse("2026-11-25T14:03:00+01:00"));
        assertThat(t.settings()).containsEntry("recovery_target_time", "2026-11-25 14:03:00.000000+01:00")
                .containsEntry("recovery_target_inclusive", "on")
                .containsEntry("recovery_target_timeline", "1");
    }

    @Test
    void timeAcceptsOffsetsFractionsAndZ() {
        assertThat(RecoveryTarget.time("2026-11-25T14:03:07.25+02", PARIS).time())
                .isEqualTo(OffsetDateTime.parse("2026-11-25T14:03:07.25+02:00"));
        assertThat(RecoveryTarget.time("2026-11-25 14:03:07 -0530", PARIS).time())
                .isEqualTo(OffsetDateTime.parse("2026-11-25T14:03:07-05:30"));
        assertThat(RecoveryTarget.time("2026-11-25 14:03:07Z", PARIS).time())
                .isEqualTo(OffsetDateTime.parse("2026-11-25T14:03:07Z"));
    }

    @Test
    void badTimesGetAClearError() {
        assertThatThrownBy(() -> RecoveryTarget.time("yesterday", PARIS)).isInstanceOf(PitrException.class)
                .hasMessageContaining("cannot read 'yesterday' as a time");
        assertThatThrownBy(() -> RecoveryTarget.time("2026-13-45 10:00", PARIS)).isInstanceOf(PitrException.class)
                .hasMessageContaining("not a valid date");
    }

    @Test
    void everyKindNamesItsSettingAndAlwaysAnExplicitTimeline() {
        assertThat(RecoveryTarget.name("before_upgrade").onTimeline(3).settings())
                .containsEntry("recovery_target_name", "before_upgrade").containsEntry("recovery_target_timeline", "3");
        assertThat(RecoveryTarget.lsn("0/3000028").withInclusive(false).onTimeline(1).settings())
                .containsEntry("recovery_target_lsn", "0/3000028").containsEntry("recovery_target_inclusive", "off");
        assertThat(RecoveryTarget.xid("742").onTimeline(1).settings()).containsEntry("recovery_target_xid", "742");
        assertThat(RecoveryTarget.immediate().onTimeline(1).settings()).containsEntry("recovery_target", "immediate");
        assertThat(RecoveryTarget.latest().onTimeline(2).settings()).containsOnlyKeys("recovery_target_timeline")
                .containsEntry("recovery_target_timeline", "2");
    }

    @Test
    void settingsAreRefusedUntilATimelineIsChosen() {
        assertThatThrownBy(() -> RecoveryTarget.latest().settings()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badXidAndLsnAreRefused() {
        assertThatThrownBy(() -> RecoveryTarget.xid("abc")).isInstanceOf(PitrException.class);
        assertThatThrownBy(() -> RecoveryTarget.lsn("nope")).isInstanceOf(PitrException.class);
    }
}
