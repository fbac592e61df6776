package io.pitrconsole.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ValueTypesTest {
    @Test
    void lsnParsesAndPrintsLikePostgres() {
        Lsn lsn = Lsn.parse("16/B374D848");
        assertThat(lsn.value()).isEqualTo(0x16B374D848L);
        assertThat(lsn.toString()).isEqualTo("16/B374D848");
        assertThat(Lsn.parse("0/3000028")).isGreaterThan(Lsn.parse("0/2FFFFFF"));
    }

    @Test
    void lsnRejectsGarbageWithAHint() {
        assertThatThrownBy(() -> Lsn.parse("12345"))
                .isInstanceOf(PitrException.class)
                .hasMessageContaining("not a WAL location")
                .satisfies(e -> assertThat(((PitrException) e).hint()).contains("0/3000028"));
    }

    @Test
    void segmentNameRoundTripsAndFollowsLsn() {
        long seg16 = WalSegmentName.DEFAULT_SEGMENT_SIZE;
        WalSegmentName n = WalSegmentName.parse("00000002000000010000003F", seg16);
        assertThat(n.timeline()).isEqualTo(2);
        assertThat(n.segmentNumber()).isEqualTo(256 + 63);
        assertThat(n.toString()).isEqualTo("00000002000000010000003F");
        assertThat(n.next().toString()).isEqualTo("000000020000000100000040");
        assertThat(new WalSegmentName(1, 255, seg16).next().toString()).isEqualTo("000000010000000100000000");
        assertThat(WalSegmentName.containing(1, Lsn.parse("1/3F000028"), seg16)).isEqualTo(new WalSegmentName(1, 256 + 63, seg16));
        assertThat(n.startLsn()).isEqualTo(Lsn.parse("1/3F000000"));
    }

    @Test
    void segmentNamesDependOnSegmentSize() {
        long seg1g = 1L << 30;
        WalSegmentName n = WalSegmentName.parse("000000010000000100000003", seg1g);
        assertThat(n.segmentNumber()).isEqualTo(4 + 3);
        assertThat(n.startLsn()).isEqualTo(Lsn.parse("1/C0000000"));
    }

    @Test
    void byteSizeIsHumanReadable() {
        assertThat(ByteSize.of(512).human()).isEqualTo("512 B");
        assertThat(ByteSize.of(1536).human()).isEqualTo("1.5 KB");
        assertThat(ByteSize.of(5L * 1024 * 1024 * 1024).human()).isEqualTo("5.0 GB");
    }

    @Test
    void cancellationRunsCallbacksOnceCancelledEvenWhenLate() {
        Cancellation c = new Cancellation();
        int[] calls = {0};
        c.onCancel(() -> calls[0]++);
        c.cancel();
        c.onCancel(() -> calls[0]++);
        assertThat(calls[0]).isEqualTo(2);
        assertThatThrownBy(() -> c.throwIfCancelled("backup")).isInstanceOf(Cancellation.CancelledException.class);
    }
}
