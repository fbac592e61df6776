package io.pitrconsole.ui;

import io.pitrconsole.ui.archiving.ArchivingPage;
import io.pitrconsole.ui.backups.BackupsPage;
import io.pitrconsole.ui.dashboard.DashboardPage;
import io.pitrconsole.ui.restore.RestorePage;
import io.pitrconsole.ui.schedule.SchedulePage;
import io.pitrconsole.ui.settings.SettingsPage;
import io.pitrconsole.ui.timeline.RecoveryTimelinePage;
import java.util.List;

/** The console's pages in navigation order (Ctrl+1..7); titles are how pages refer to each other. */
public final class Pages {
    public static final String DASHBOARD = "Dashboard";
    public static final String BACKUPS = "Backups";
    public static final String TIMELINE = "Recovery Timeline";
    public static final String RESTORE = "Restore";
    public static final String ARCHIVING = "WAL Archiving";
    public static final String SCHEDULE = "Schedule";
    public static final String SETTINGS = "Settings";

    private Pages() {
    }

    /** One instance of every page, over the given console state. */
    public static List<Page> create(ConsoleModel model) {
        return List.of(
                new DashboardPage(model),
                new BackupsPage(model),
                new RecoveryTimelinePage(model),
                new RestorePage(model),
                new ArchivingPage(model),
                new SchedulePage(model),
                new SettingsPage(model));
    }
}
