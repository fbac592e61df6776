package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.BackupCatalog;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.FileTrees;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.pg.OsUser;
import io.pitrconsole.pg.PgContext;
import io.pitrconsole.practice.HistoryProgress;
import io.pitrconsole.practice.PracticeCluster;
import io.pitrconsole.practice.PracticeLayout;
import io.pitrconsole.practice.PracticeListener;
import io.pitrconsole.practice.PracticeState;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.recovery.window.WindowService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A new user's first minute: the practice cluster's first restorable range is archived, and its
 * profile usable, before the rest of its history is written in real time; that history then
 * completes with its three backups and two restore points.
 */
class PracticeFirstRangeTest {
    private Path tmp;
    private PracticeCluster practice;

    @BeforeEach
    void setUp() throws Exception {
        tmp = Files.createTempDirectory("pitr-practice-first-");
        // as root the server runs as another OS user, which must be able to reach the practice directory
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        practice = new PracticeCluster(new PracticeLayout(tmp.resolve("practice")),
                new PgContext(Optional.empty(), Map.of("PATH", System.getenv("PATH")), new OsUser(OsUser.DEFAULT)),
                new ProfileStore(tmp.resolve("config/profiles.json")));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (Files.exists(practice.layout().base())) {
            practice.remove();
        }
        FileTrees.deleteRecursively(tmp);
    }

    /** What was seen when the listener said the first range is there. */
    private record AtFirstRange(double seconds, PracticeState state, List<RecoveryWindow> merged, boolean moment, boolean profile) {
    }

    @Test
    void theFirstRangeIsRestorableBeforeTheHistoryIsWrittenAndTheHistoryThenCompletes() {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<AtFirstRange> first = new AtomicReference<>();
        long start = System.nanoTime();
        PracticeState done = practice.create(Duration.ofSeconds(30), new PracticeListener() {
            @Override
            public void firstRange(PracticeState state) {
                order.add("first range");
                double seconds = (System.nanoTime() - start) / 1e9;
                RecoveryWindows w = new WindowService(practice.archive()).windows(ProgressListener.NONE, Cancellation.none());
                List<RecoveryWindow> merged = w.liveMerged();
                boolean moment = !merged.isEmpty() && w.covering(middle(merged.get(0)), OptionalInt.empty()).isPresent();
                boolean profile = new ProfileStore(tmp.resolve("config/profiles.json")).find(PracticeCluster.PROFILE).isPresent();
                first.set(new AtFirstRange(seconds, state, merged, moment, profile));
            }

            @Override
            public void history(HistoryProgress p) {
                if (p.backups() > 1 && !order.contains("second backup")) {
                    order.add("second backup");
                }
                if (p.complete() && !order.contains("history complete")) {
                    order.add("history complete");
                }
            }
        }, Cancellation.none());
        double total = (System.nanoTime() - start) / 1e9;

        AtFirstRange seen = first.get();
        assertThat(seen).as("the listener heard of the first range").isNotNull();
        System.out.printf("practice cluster: first restorable range after %.1f s, whole history after %.1f s%n", seen.seconds(), total);
        assertThat(order).containsExactly("first range", "second backup", "history complete");
        // what the console and the CLI show at that moment: one backup, a restorable range, a moment inside it, the profile
        assertThat(seen.state().backups()).isEqualTo(1);
        assertThat(seen.state().restorePoints()).isZero();
        assertThat(seen.state().historyPending()).isTrue();
        assertThat(seen.merged()).isNotEmpty();
        assertThat(seen.moment()).isTrue();
        assertThat(seen.profile()).isTrue();

        // then the history completes in the background: three complete backups, both restore points inside the range
        assertThat(done.backups()).isEqualTo(3);
        assertThat(done.restorePoints()).isEqualTo(2);
        assertThat(done.historyPending()).isFalse();
        assertThat(practice.status().state()).contains(done);
        assertThat(new BackupCatalog(practice.archive()).records()).hasSize(3)
                .allSatisfy(b -> assertThat(b.status()).isEqualTo(BackupStatus.COMPLETE));
        RecoveryWindows w = new WindowService(practice.archive()).windows(ProgressListener.NONE, Cancellation.none());
        assertThat(w.gaps()).isEmpty();
        assertThat(w.windows()).hasSize(3);
        assertThat(w.liveMerged()).hasSize(1);
        RecoveryWindow range = w.liveMerged().get(0);
        assertThat(w.index().restorePoints()).extracting(p -> p.name()).containsExactly("before_price_change", "before_cleanup");
        assertThat(w.index().restorePoints()).allSatisfy(p -> assertThat(p.time()).isBetween(range.from(), range.to()));
    }

    private static Instant middle(RecoveryWindow r) {
        return r.from().plus(Duration.between(r.from(), r.to()).dividedBy(2));
    }
}
