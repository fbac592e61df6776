package io.pitrconsole.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The window's Background: a cancelled job stays listed while its work cleans up and only then
 * ends (as cancelled, or with its report), failures become notices with their hint, and a page's
 * commands run one at a time.
 */
@ExtendWith(ApplicationExtension.class)
class FxBackgroundTest {
    private final List<Notice> notices = new CopyOnWriteArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final FxBackground background = new FxBackground(notices::add, log::add);

    @AfterEach
    void close() throws Exception {
        WaitForAsyncUtils.asyncFx(background::close).get();
    }

    /** Work that runs until cancelled, then cleans up until cleanedUp is released, then ends as the service would. */
    private static Background.Work<String> stoppable(CountDownLatch cleanedUp, boolean reportsWhenCancelled) {
        return (progress, cancel) -> {
            progress.progress(1, 2, "copying");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!cancel.isCancelled() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            cleanedUp.await(20, TimeUnit.SECONDS);
            if (!reportsWhenCancelled) {
                cancel.throwIfCancelled("backing up");
            }
            return "put the old data directory back";
        };
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get();
    }

    @Test
    void aCancelledJobIsListedUntilItHasCleanedUpAndThenEndsAsCancelled() throws Exception {
        CountDownLatch cleanedUp = new CountDownLatch(1);
        AtomicReference<String> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Background.Job job = onFx(() -> background.submit("Backing up itest", stoppable(cleanedUp, false), result::set, failure::set));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> onFx(() -> "copying".equals(job.messageProperty().get())));

        WaitForAsyncUtils.asyncFx(job::cancel).get();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(onFx(() -> job.cancellingProperty().get())).isTrue();
        assertThat(onFx(job::isDone)).isFalse();
        assertThat(onFx(() -> background.running().size())).isEqualTo(1);

        cleanedUp.countDown();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> onFx(job::isDone));
        assertThat(onFx(() -> background.running().isEmpty())).isTrue();
        assertThat(result.get()).isNull();
        assertThat(failure.get()).isInstanceOf(Cancellation.CancelledException.class);
        assertThat(notices).anyMatch(n -> n.message().equals("Backing up itest was cancelled"));
        assertThat(log).contains("Backing up itest: cancelled");
    }

    @Test
    void aRestoreAskedToStopStillHandsOverItsReport() throws Exception {
        CountDownLatch cleanedUp = new CountDownLatch(1);
        AtomicReference<String> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Background.Job job = onFx(() -> background.submit("Restoring (in place)", stoppable(cleanedUp, true), result::set, failure::set,
                Background.WhenCancelled.REPORT));
        WaitForAsyncUtils.asyncFx(job::cancel).get();
        cleanedUp.countDown();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> onFx(job::isDone));
        assertThat(result.get()).isEqualTo("put the old data directory back");
        assertThat(failure.get()).isNull();
    }

    @Test
    void aFailureIsANoticeWithItsHintAndTheOnFailureGetsIt() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Background.Job job = onFx(() -> background.submit("Verifying backup_x", (p, c) -> {
            throw new PitrException("backup_x is corrupt", "take a new backup");
        }, null, failure::set));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> onFx(job::isDone));
        assertThat(failure.get()).hasMessage("backup_x is corrupt");
        assertThat(notices).singleElement().satisfies(n -> {
            assertThat(n.level()).isEqualTo(Notice.Level.ERROR);
            assertThat(n.message()).isEqualTo("Verifying backup_x: backup_x is corrupt");
            assertThat(n.hint()).isEqualTo("take a new backup");
        });
    }

    @Test
    void aPagesCommandIsActiveUntilItHasEndedAndThePageRefreshesOnceAfter() throws Exception {
        AtomicInteger refreshes = new AtomicInteger();
        OneAtATime commands = new OneAtATime(background, refreshes::incrementAndGet);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> result = new AtomicReference<>();
        Background.Job job = onFx(() -> commands.run("Deleting backup_a", (p, c) -> {
            release.await(20, TimeUnit.SECONDS);
            return "deleted";
        }, result::set));
        assertThat(onFx(() -> commands.activeProperty().get())).isSameAs(job);
        release.countDown();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> onFx(() -> commands.activeProperty().get() == null));
        assertThat(result.get()).isEqualTo("deleted");
        assertThat(refreshes.get()).isEqualTo(1);
    }
}
