package io.pitrconsole.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.core.Cancellation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The runner owns the process group of what it starts: output, exit and cancel never depend on stray children. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PgToolRunnerTest {
    private final PgToolRunner runner = new PgToolRunner(new OsUser(OsUser.DEFAULT));

    private static ToolCommand sh(String script) {
        return ToolCommand.of(Path.of("/bin/sh"), "-c", script);
    }

    @Test
    void awaitReturnsSoonAfterTheProgramExitsThoughAChildStillHoldsItsOutput() {
        long start = System.nanoTime();
        // a duration of its own, so no other run's sleep is taken for this one's stray child
        String stray = "sleep 300." + ProcessHandle.current().pid() % 1000 + System.nanoTime() % 1000;
        ToolResult r = runner.runAllowingFailure(sh(stray + " & echo started; exit 3"), Cancellation.none(), l -> { });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).contains("started");
        assertThat(pidsRunning(stray)).as("the stray child was ended with its group").isEmpty();
    }

    @Test
    void cancelEndsEveryProcessOfTheGroup() throws Exception {
        Cancellation c = new Cancellation();
        PgToolRunner.RunningTool tool = runner.start(sh("sleep 301 & sleep 302 & echo up; wait"), c, l -> { });
        long group = tool.processGroup();
        waitFor(() -> ProcessTable.runningMembers(group).size() >= 3);
        c.cancel();
        assertThatThrownBy(tool::await).isInstanceOf(Cancellation.CancelledException.class);
        assertThat(ProcessTable.runningMembers(group)).isEmpty();
    }

    @Test
    void programRunsInAProcessGroupOfItsOwnEvenAsTheServerUser() throws Exception {
        // as root this goes through runuser: the group must still be the one the console ends
        ToolCommand cmd = new ToolCommand(Path.of("/bin/sh"), List.of("-c", "sleep 303 & ps -o pgid= -p $$; wait"), Map.of(),
                true, Optional.empty());
        Cancellation c = new Cancellation();
        PgToolRunner.RunningTool tool = runner.start(cmd, c, l -> { });
        long group = tool.processGroup();
        long console = ProcessTable.entry(ProcessHandle.current().pid()).orElseThrow().processGroup();
        assertThat(group).isNotEqualTo(console);
        waitFor(() -> !pidsRunning("sleep 303").isEmpty());
        assertThat(pidsRunning("sleep 303")).allSatisfy(pid ->
                assertThat(ProcessTable.entry(pid).orElseThrow().processGroup()).isEqualTo(group));
        tool.kill();
        assertThat(pidsRunning("sleep 303")).isEmpty();
        assertThat(tool.awaitAllowingFailure().exitCode()).isNotZero();
    }

    @Test
    void passwordInTheCommandsEnvironmentIsNotPassedOn() {
        ToolCommand cmd = sh("echo \"pw=${PGPASSWORD-unset} file=${PGPASSFILE-unset}\"")
                .withEnv(Map.of("PGPASSWORD", "hunter2", "PGPASSFILE", "/nonexistent/pgpass"));
        ToolResult r = runner.run(cmd);
        assertThat(r.stdout()).contains("pw=unset").contains("file=/nonexistent/pgpass").doesNotContain("hunter2");
    }

    /**
     * A kill of the console stops its programs from a shutdown hook, which can run before the
     * command's own cancellation is set: the program's death is then the interruption it is, not
     * "killed by something outside this console" (a killed CLI backup was once recorded so).
     */
    @Test
    void aProgramStoppedByThisProcessShuttingDownEndsAsInterrupted() throws Exception {
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ToolUnderShutdownMain.class.getName()).redirectErrorStream(true).start();
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(jvm.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("started");
        jvm.toHandle().destroy(); // SIGTERM; Process.destroy() would also close the stream read below
        String ended = out.readLine();
        assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ended).startsWith("ended: CancelledException: sh was interrupted");
    }

    @Test
    void programKilledBySignalIsReportedAsKilled() {
        assertThatThrownBy(() -> runner.run(sh("kill -9 $$")))
                .isInstanceOf(PgToolException.class)
                .hasMessage("sh was killed by signal 9 (SIGKILL) before it finished")
                .satisfies(e -> assertThat(((PgToolException) e).hint()).contains("outside this console"));
    }

    @Test
    void missingProgramIsNamedBeforeAnythingStarts() {
        assertThatThrownBy(() -> runner.run(ToolCommand.of(Path.of("/nonexistent/bin/pg_basebackup"), "--version")))
                .isInstanceOf(io.pitrconsole.core.PitrException.class)
                .hasMessageContaining("could not start pg_basebackup")
                .satisfies(e -> assertThat(((io.pitrconsole.core.PitrException) e).hint()).contains("--pg-bin"));
    }

    private static List<Long> pidsRunning(String commandLine) {
        return ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().map(s -> s.contains(commandLine)).orElse(false))
                .filter(h -> ProcessTable.entry(h.pid()).map(ProcessTable.Entry::running).orElse(false))
                .map(ProcessHandle::pid).toList();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(20);
        }
    }
}
