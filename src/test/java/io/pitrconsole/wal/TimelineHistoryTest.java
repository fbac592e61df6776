package io.pitrconsole.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.PitrException;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TimelineHistoryTest {
    @Test
    void historyFilesGiveParentsAndBranchLocations() {
        String two = "1\t0/5000098\tno recovery target specified\n";
        String three = "1\t0/5000098\tno recovery target specified\n\n2\t0/9000000\tat restore point \"x\"\n";
        TimelineHistory h = TimelineHistory.of(Map.of(2, two, 3, three), List.of(1, 2, 3));

        assertThat(h.parentOf(3)).isEqualTo(OptionalInt.of(2));
        assertThat(h.branchLsn(3)).contains(Lsn.parse("0/9000000"));
        assertThat(h.parentOf(2)).isEqualTo(OptionalInt.of(1));
        assertThat(h.branchLsn(2)).contains(Lsn.parse("0/5000098"));
        assertThat(h.parentOf(1)).isEmpty();
        assertThat(h.childrenOf(1)).containsExactly(2);
        assertThat(h.timelines()).containsExactly(1, 2, 3);
    }

    @Test
    void ancestorsAreKnownFromADescendantsFileAlone() {
        String four = "1\t0/3000000\tr1\n2\t0/4000000\tr2\n3\t0/5000000\tr3\n";
        TimelineHistory h = TimelineHistory.of(Map.of(4, four), List.of());

        assertThat(h.parentOf(2)).isEqualTo(OptionalInt.of(1));
        assertThat(h.branchLsn(3)).contains(Lsn.parse("0/4000000"));
        assertThat(h.branchLsn(4)).contains(Lsn.parse("0/5000000"));
        assertThat(h.timelines()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void damagedHistoryFileIsAClearError() {
        assertThatThrownBy(() -> TimelineHistory.parse(2, "1\tnot-an-lsn\treason\n"))
                .isInstanceOf(PitrException.class).hasMessageContaining("00000002.history line 1");
        assertThatThrownBy(() -> TimelineHistory.parse(2, "5\t0/1000000\tparent newer than child\n"))
                .isInstanceOf(PitrException.class);
    }
}
