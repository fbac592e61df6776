package io.pitrconsole.pg;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessTableTest {
    @Test
    void statLineIsReadAfterTheLastParenthesisSoAnyProgramNameParses() {
        ProcessTable.Entry e = ProcessTable.parse(42, "42 (pg_base) (x y)) S 7 42 42 0 -1 4194560 110 0 0 0");
        assertThat(e).isEqualTo(new ProcessTable.Entry(42, 'S', 7, 42));
        assertThat(e.running()).isTrue();
        assertThat(ProcessTable.parse(43, "43 (sleep) Z 1 40 40 0").running()).as("a zombie runs nothing").isFalse();
    }

    @Test
    void thisJvmIsListedAsARunningMemberOfItsGroup() {
        long me = ProcessHandle.current().pid();
        ProcessTable.Entry e = ProcessTable.entry(me).orElseThrow();
        assertThat(e.running()).isTrue();
        assertThat(ProcessTable.runningMembers(e.processGroup())).contains(me);
        assertThat(ProcessTable.entry(Long.MAX_VALUE)).isEmpty();
    }
}
