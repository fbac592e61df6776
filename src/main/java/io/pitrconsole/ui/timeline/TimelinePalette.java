package io.pitrconsole.ui.timeline;

import javafx.scene.paint.Color;

/** The timeline's colours for the light and the dark theme. */
public record TimelinePalette(Color background, Color laneBand, Color grid, Color majorGrid, Color text, Color mutedText,
                              Color coverage, Color segmentEdge, Color restorable, Color gap, Color backup,
                              Color unrestorableBackup, Color restorePoint, Color branch, Color cursor, Color selection) {

    public static TimelinePalette light() {
        return new TimelinePalette(Color.web("#ffffff"), Color.web("#f6f8fa"), Color.web("#eaeef2"), Color.web("#d0d7de"),
                Color.web("#1f2328"), Color.web("#656d76"), Color.web("#8fb8e8"), Color.web("#ffffff"), Color.web("#2da44e"),
                Color.web("#cf222e"), Color.web("#0969da"), Color.web("#8c959f"), Color.web("#bf8700"), Color.web("#8250df"),
                Color.web("#1f2328", 0.6), Color.web("#fb8500"));
    }

    public static TimelinePalette dark() {
        return new TimelinePalette(Color.web("#0d1117"), Color.web("#161b22"), Color.web("#21262d"), Color.web("#30363d"),
                Color.web("#e6edf3"), Color.web("#8d96a0"), Color.web("#1f4f85"), Color.web("#0d1117"), Color.web("#3fb950"),
                Color.web("#f85149"), Color.web("#58a6ff"), Color.web("#6e7681"), Color.web("#d29922"), Color.web("#a371f7"),
                Color.web("#e6edf3", 0.6), Color.web("#ffa657"));
    }
}
