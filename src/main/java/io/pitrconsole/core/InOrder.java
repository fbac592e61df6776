package io.pitrconsole.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Maps a list with several threads at once, the results in the list's order: for reads that each wait on a service. */
public final class InOrder {
    private InOrder() {
    }

    /**
     * Applies {@code f} to every item, on up to {@code threads} daemon threads named {@code threadName} (on
     * this thread when one suffices); a failure of {@code f} is thrown as it was, and an interrupt as
     * "{@code what} was interrupted".
     */
    public static <T, R> List<R> map(List<T> items, int threads, String threadName, String what, Function<T, R> f) {
        int n = Math.min(threads, items.size());
        if (n <= 1) {
            return items.stream().map(f).toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = items.stream().map(i -> pool.submit(() -> f.apply(i))).toList();
            List<R> results = new ArrayList<>();
            for (Future<R> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cancellation.CancelledException(what + " was interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
