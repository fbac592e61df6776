package io.pitrconsole.recovery.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.core.Lsn;
import io.pitrconsole.recovery.target.RecoveryTarget;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules that decide whether recovery got as far as the plan said, on lines as PostgreSQL 15 writes them. */
class RecoveryEndCheckTest {
    private static final long SEG = 16L << 20;
    private static final List<String> FILES = List.of("000000010000000000000002", "000000010000000000000003",
            "000000010000000000000004.zst", "000000010000000000000005");

    private static RecoveryEndCheck check(RecoveryTarget target, String planEnd) {
        return new RecoveryEndCheck(target, planEnd == null ? null : Lsn.parse(planEnd), FILES, SEG);
    }

    @Test
    void latestMustReplayToThePlansEnd() {
        RecoveryEndCheck c = check(RecoveryTarget.latest(), "0/5007DB0");
        // a switch record counts to the end of its segment, so the replayed end may lie past the plan's
        assertThat(c.judge("LOG: redo done at 0/5007D98", Lsn.parse("0/6000000")).reached()).isTrue();
        assertThat(c.judge("LOG: redo done at 0/5007D98", Lsn.parse("0/5007DB0")).reached()).isTrue();
        // WAL archived after planning: further than planned is fine
        assertThat(c.judge("LOG: redo done at 0/7000100", Lsn.parse("0/7000118")).reached()).isTrue();
    }

    @Test
    void latestShortOfThePlanFailsNamingTheFileNotReplayed() {
        RecoveryEndCheck.Verdict v = check(RecoveryTarget.latest(), "0/5007DB0").judge("LOG: redo done at 0/300FAF8", Lsn.parse("0/4000000"));
        assertThat(v.reached()).isFalse();
        assertThat(v.detail()).isEqualTo("recovery stopped at 0/4000000 but the plan replays to 0/5007DB0:"
                + " WAL file 000000010000000000000004.zst could not be restored or is damaged");
        assertThat(v.hint()).contains("put an intact copy back");

        // stopped inside a file: that file is the damaged one
        assertThat(check(RecoveryTarget.latest(), "0/5007DB0").judge("LOG: redo done at 0/3001000", Lsn.parse("0/3001040")).detail())
                .endsWith("WAL file 000000010000000000000003 could not be restored or is damaged");
    }

    @Test
    void latestWithoutAnswerFromTheServerIsNotASuccess() {
        assertThat(check(RecoveryTarget.latest(), "0/5007DB0").judge("LOG: redo done at 0/5007D98", null).reached()).isFalse();
    }

    @Test
    void latestWithoutThePlansEndMustGetIntoTheLastFile() {
        RecoveryEndCheck c = check(RecoveryTarget.latest(), null);
        assertThat(c.judge("", Lsn.parse("0/5000100")).reached()).isTrue();
        assertThat(c.judge("", Lsn.parse("0/4FFFFF0")).reached()).isFalse();
    }

    @Test
    void lsnTargetNeedsTheServersStopAtOrPastIt() {
        RecoveryTarget t = RecoveryTarget.lsn("0/3000060");
        assertThat(check(t, null).judge("LOG: recovery stopping after WAL location (LSN) \"0/3000060\"", Lsn.parse("0/3000098")).reached()).isTrue();
        assertThat(check(t, null).judge("LOG: recovery stopping after WAL location (LSN) \"0/30000D8\"", null).reached()).isTrue();
        assertThat(check(t, null).judge("LOG: recovery stopping after WAL location (LSN) \"0/3000028\"", null).reached()).isFalse();
        assertThat(check(t, null).judge("LOG: recovery stopping before WAL location (LSN) \"0/3000060\"", null).reached()).isFalse();
        assertThat(check(t.withInclusive(false), null).judge("LOG: recovery stopping before WAL location (LSN) \"0/3000060\"", null)
                .reached()).isTrue();
        RecoveryEndCheck.Verdict none = check(t, null).judge("LOG: redo done at 0/3000028", Lsn.parse("0/3000040"));
        assertThat(none.reached()).isFalse();
        assertThat(none.detail()).contains("did not say it stopped at the planned target", "0/3000060", "redo done at 0/3000028");
    }

    @Test
    void restorePointMustBeTheOneNamed() {
        RecoveryTarget t = RecoveryTarget.name("after_second");
        assertThat(check(t, null).judge("LOG: recovery stopping at restore point \"after_second\", time 2026-12-04 18:59:24.740613+00",
                null).reached()).isTrue();
        assertThat(check(t, null).judge("LOG: recovery stopping at restore point \"after_second_b\", time 2026-12-04 18:59:24.740613+00",
                null).reached()).isFalse();
        assertThat(check(t, null).judge(null, null).reached()).isFalse();
    }

    @Test
    void xidMustBeTheTransactionNamedByItsLow32Bits() {
        assertThat(check(RecoveryTarget.xid("745"), null)
                .judge("LOG: recovery stopping after commit of transaction 745, time 2026-12-04 18:59:24.740613+00", null).reached()).isTrue();
        assertThat(check(RecoveryTarget.xid("745"), null)
                .judge("LOG: recovery stopping after abort of transaction 745, time 2026-12-04 18:59:24.740613+00", null).reached()).isTrue();
        assertThat(check(RecoveryTarget.xid(String.valueOf((1L << 32) + 745)), null)
                .judge("LOG: recovery stopping after commit of transaction 745, time 2026-12-04 18:59:24.740613+00", null).reached()).isTrue();
        assertThat(check(RecoveryTarget.xid("746"), null)
                .judge("LOG: recovery stopping after commit of transaction 745, time 2026-12-04 18:59:24.740613+00", null).reached()).isFalse();
    }

    @Test
    void timeTargetStopsAtTheFirstTransactionEndPastIt() {
        RecoveryTarget t = RecoveryTarget.time(OffsetDateTime.parse("2026-12-04T18:59:24.500+00:00"));
        String after = "LOG: recovery stopping before commit of transaction 746, time 2026-12-04 18:59:24.740613+00";
        String earlier = "LOG: recovery stopping before commit of transaction 745, time 2026-12-04 18:59:24.100000+00";
        String exactly = "LOG: recovery stopping before commit of transaction 745, time 2026-12-04 18:59:24.5+00";
        assertThat(check(t, null).judge(after, null).reached()).isTrue();
        assertThat(check(t, null).judge(earlier, null).reached()).isFalse();
        assertThat(check(t, null).judge(exactly, null).reached()).isFalse();
        assertThat(check(t.withInclusive(false), null).judge(exactly, null).reached()).isTrue();
        // another zone's offset is the same moment
        assertThat(check(t, null).judge("LOG: recovery stopping before abort of transaction 746, time 2026-12-04 20:29:24.6+01:30", null)
                .reached()).isTrue();
        assertThat(check(t, null).judge("LOG: redo done at 0/3000028", null).reached()).isFalse();
    }

    @Test
    void immediateNeedsConsistencyAtTheBackupsEnd() {
        assertThat(check(RecoveryTarget.immediate(), "0/2000100").judge("LOG: recovery stopping after reaching consistency",
                Lsn.parse("0/2000100")).reached()).isTrue();
        assertThat(check(RecoveryTarget.immediate(), "0/2000100").judge("LOG: redo done at 0/2000100", Lsn.parse("0/2000100"))
                .reached()).isFalse();
    }

    @Test
    void serverTimesParseWithEitherOffsetForm() {
        assertThat(RecoveryEndCheck.parseServerTime("2026-12-04 18:59:24.740613+00").toInstant())
                .isEqualTo(OffsetDateTime.parse("2026-12-04T18:59:24.740613Z").toInstant());
        assertThat(RecoveryEndCheck.parseServerTime("2026-12-04 18:59:24-05").toInstant())
                .isEqualTo(OffsetDateTime.parse("2026-12-04T23:59:24Z").toInstant());
        assertThat(RecoveryEndCheck.parseServerTime("2026-12-04 18:59:24.1+05:30").toInstant())
                .isEqualTo(OffsetDateTime.parse("2026-12-04T13:29:24.1Z").toInstant());
    }
}
