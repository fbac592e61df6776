package io.pitrconsole.recovery.window;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Xids wrap at 2^32; nearness is measured as PostgreSQL's TransactionIdPrecedes orders them. */
class XidLookupTest {
    @Test
    void anIdJustBeforeTheWrapPrecedesOneJustAfterIt() {
        int target = 3;
        assertThat(XidLookup.distance(4_294_967_295L, target)).isEqualTo(-4);
        assertThat(XidLookup.distance(10, target)).isEqualTo(7);
        assertThat(XidLookup.distance(3, target)).isZero();
    }

    @Test
    void anIdMoreThanHalfTheSpaceAheadCountsAsBehind() {
        int target = (int) 4_000_000_000L;
        assertThat(XidLookup.distance(100, target)).isPositive();
        assertThat(XidLookup.distance(3_999_999_000L, target)).isEqualTo(-1000);
    }

    @Test
    void theEpochOfATxidCurrentValueIsDropped() {
        long withEpoch = (7L << 32) + 1234;
        assertThat(new XidLookup(java.util.Optional.empty(), withEpoch, (d, t, m) -> { }, io.pitrconsole.core.Cancellation.none()).xid32()).isEqualTo(1234);
    }
}
