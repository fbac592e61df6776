package io.pitrconsole.ui;

import io.pitrconsole.core.PitrException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How every Background reports how a job ended: the same notices and log lines, with a window or without. */
final class JobOutcomes {
    private static final Logger LOG = LoggerFactory.getLogger(JobOutcomes.class);

    private final Consumer<Notice> notices;
    private final Consumer<String> log;

    JobOutcomes(Consumer<Notice> notices, Consumer<String> log) {
        this.notices = notices;
        this.log = log;
    }

    void succeeded(String title) {
        log.accept(title + ": done");
    }

    void cancelled(String title) {
        log.accept(title + ": cancelled");
        notices.accept(Notice.info(title + " was cancelled"));
    }

    void failed(String title, Throwable e) {
        Notice notice = Notice.failure(title, e);
        LOG.warn("{} failed", title, e);
        log.accept(notice.message() + (notice.hint().isBlank() ? "" : "\n  hint: " + notice.hint())
                + (e instanceof PitrException ? "" : "\n" + stackTrace(e)));
        notices.accept(notice);
    }

    static String title(String title) {
        return title == null || title.isBlank() ? "task" : title;
    }

    private static String stackTrace(Throwable e) {
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
