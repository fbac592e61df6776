package io.pitrconsole.recovery.run;

import io.pitrconsole.recovery.RestoreListener;
import io.pitrconsole.recovery.report.RestoreReport;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Runs a restore's steps one after another, timing each and telling the listener. */
final class StepClock {
    private final RestoreListener listener;
    private final List<RestoreReport.Step> steps = new ArrayList<>();

    StepClock(RestoreListener listener) {
        this.listener = listener;
    }

    <T> T run(String name, Supplier<T> work) {
        return run(name, work, r -> null);
    }

    /** Runs one step; detail describes its result in the report. A failed step is recorded too. */
    <T> T run(String name, Supplier<T> work, java.util.function.Function<T, String> detail) {
        listener.stepStarted(name);
        long t0 = System.nanoTime();
        try {
            T result = work.get();
            finish(name, t0, detail.apply(result));
            return result;
        } catch (RuntimeException e) {
            finish(name, t0, "failed: " + e.getMessage());
            throw e;
        }
    }

    void run(String name, Runnable work) {
        run(name, () -> {
            work.run();
            return null;
        });
    }

    private void finish(String name, long t0, String detail) {
        double seconds = (System.nanoTime() - t0) / 1e9;
        steps.add(new RestoreReport.Step(name, Math.round(seconds * 1000) / 1000.0, detail));
        listener.stepFinished(name, seconds);
    }

    List<RestoreReport.Step> steps() {
        return List.copyOf(steps);
    }
}
