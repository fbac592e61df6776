package io.pitrconsole.ui.backups;

import atlantafx.base.theme.Styles;
import io.pitrconsole.archive.BackupManifest;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.Tablespace;
import io.pitrconsole.archive.VerifyProblem;
import io.pitrconsole.ui.DisplayFormats;
import java.util.Locale;
import java.util.stream.Collectors;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.material2.Material2OutlinedAL;

/** The selected backup in full: LSNs, tablespaces, manifest summary, recovery window, verification, folder. */
final class BackupDetailsPane extends ScrollPane {
    private final VBox box = new VBox(10);

    BackupDetailsPane(BackupsViewModel vm) {
        setId("backup-details");
        setFitToWidth(true);
        box.setPadding(new Insets(8));
        setContent(box);
        vm.detailsProperty().addListener((obs, old, d) -> show(d));
        show(null);
    }

    private void show(BackupDetails d) {
        box.getChildren().clear();
        if (d == null) {
            Label none = new Label("Select a backup to see its details.");
            none.getStyleClass().add(Styles.TEXT_MUTED);
            box.getChildren().add(none);
            return;
        }
        BackupRecord r = d.record();
        Label title = new Label(r.id());
        title.setId("details-id");
        title.getStyleClass().add(Styles.TITLE_4);

        GridPane grid = new GridPane();
        grid.setHgap(12);
        grid.setVgap(4);
        int row = 0;
        row = add(grid, row, "Label", r.label(), "details-label");
        row = add(grid, row, "Status", r.status().label() + (r.error() == null ? "" : " (" + r.error() + ")"), "details-status");
        row = add(grid, row, "Started", DisplayFormats.time(r.startTime()), null);
        row = add(grid, row, "Stopped", DisplayFormats.time(r.stopTime())
                + ("client-clock".equals(r.stopTimeSource()) ? " (this machine's clock)" : ""), null);
        row = add(grid, row, "Duration", r.durationSeconds() == null ? "-" : DisplayFormats.seconds(r.durationSeconds()), null);
        row = add(grid, row, "WAL", r.startLsn() + " .. " + r.stopLsn() + " (checkpoint " + r.checkpointLsn() + ")", "details-lsns");
        row = add(grid, row, "Timeline", String.valueOf(r.timeline()), null);
        row = add(grid, row, "Server", "PostgreSQL " + r.pgVersion() + " on " + r.host() + ":" + r.port()
                + ", system " + r.systemIdentifier(), null);
        row = add(grid, row, "Size", DisplayFormats.bytes(r.sizeBytes()) + " on disk, " + DisplayFormats.bytes(r.originalSizeBytes())
                + " original (" + r.compression() + String.format(Locale.ROOT, ", %.1fx)", r.compressionRatio()), null);
        row = add(grid, row, "Tablespaces", r.tablespaces().isEmpty() ? "none besides the default"
                : r.tablespaces().stream().map(Tablespace::location).collect(Collectors.joining(", ")), "details-tablespaces");
        row = add(grid, row, "Manifest", d.manifest().map(BackupDetailsPane::manifest).orElse(d.manifestProblem()), "details-manifest");
        row = add(grid, row, "Window", d.windows().isEmpty() ? "not known (no WAL indexed after this backup yet)"
                : d.windows().stream().map(w -> DisplayFormats.time(w.from()) + " .. " + DisplayFormats.time(w.to())
                        + " on timeline " + w.timeline() + w.endedByGap().map(g -> " (ends at a WAL gap)").orElse(""))
                        .collect(Collectors.joining("\n")), "details-window");
        row = add(grid, row, "Verified", r.lastVerified() == null ? "never"
                : DisplayFormats.time(r.lastVerified()) + ": " + r.verifyDetail(), "details-verified");

        box.getChildren().addAll(title, grid);
        if (!d.problems().isEmpty()) {
            Label head = new Label("Problems found by the last verification");
            head.getStyleClass().addAll(Styles.DANGER, Styles.TEXT_BOLD);
            VBox list = new VBox(2);
            list.setId("details-problems");
            for (VerifyProblem p : d.problems()) {
                Label l = new Label(p.toString());
                l.getStyleClass().add(Styles.DANGER);
                l.setWrapText(true);
                list.getChildren().add(l);
            }
            box.getChildren().addAll(head, list);
        }
        box.getChildren().add(folder(d));
    }

    private static String manifest(BackupDetails.ManifestSummary m) {
        String wal = m.walRanges().stream().map((BackupManifest.WalRange w) -> w.start() + " .. " + w.end() + " on timeline " + w.timeline())
                .collect(Collectors.joining(", "));
        return m.files() + " files, " + DisplayFormats.bytes(m.bytes()) + (m.checksumValid() ? ", checksum valid" : ", CHECKSUM INVALID")
                + (wal.isEmpty() ? "" : "; needs WAL " + wal);
    }

    /** The folder with a copy button: a page cannot reach HostServices, and a desktop may have no file manager. */
    private static HBox folder(BackupDetails d) {
        Label path = new Label(d.folder().toString());
        path.setId("details-folder");
        path.setWrapText(true);
        Button copy = new Button("Copy path", new FontIcon(Material2OutlinedAL.CONTENT_COPY));
        copy.setId("details-copy-path");
        copy.getStyleClass().add(Styles.SMALL);
        copy.setTooltip(new Tooltip("Copy the backup's folder to the clipboard"));
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(d.folder().toString());
            javafx.scene.input.Clipboard.getSystemClipboard().setContent(c);
        });
        HBox h = new HBox(8, new Label("Folder"), path, copy);
        h.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        return h;
    }

    private static int add(GridPane grid, int row, String key, String value, String id) {
        Label k = new Label(key);
        k.getStyleClass().add(Styles.TEXT_MUTED);
        Label v = new Label(value == null ? "-" : value);
        v.setWrapText(true);
        if (id != null) {
            v.setId(id);
        }
        grid.addRow(row, k, v);
        return row + 1;
    }
}
