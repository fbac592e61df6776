package io.pitrconsole.ui;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The console's own settings (not a cluster's): theme, window geometry, defaults for new backups.
 * Values absent from the file take the defaults below.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UiPreferences(String theme, Double windowX, Double windowY, Double windowWidth, Double windowHeight,
                            String defaultCompression, Integer staleAfterHours) {
    public static final String LIGHT = "light";
    public static final String DARK = "dark";

    public static UiPreferences defaults() {
        return new UiPreferences(LIGHT, null, null, 1200.0, 780.0, "zstd", 24);
    }

    public boolean dark() {
        return DARK.equals(theme);
    }

    public UiPreferences withTheme(String t) {
        return new UiPreferences(t, windowX, windowY, windowWidth, windowHeight, defaultCompression, staleAfterHours);
    }

    public UiPreferences withWindow(double x, double y, double w, double h) {
        return new UiPreferences(theme, x, y, w, h, defaultCompression, staleAfterHours);
    }

    public UiPreferences withDefaults(String compression, int staleHours) {
        return new UiPreferences(theme, windowX, windowY, windowWidth, windowHeight, compression, staleHours);
    }

    /** Fills what the file left out. */
    public UiPreferences completed() {
        UiPreferences d = defaults();
        return new UiPreferences(theme != null ? theme : d.theme, windowX, windowY,
                windowWidth != null ? windowWidth : d.windowWidth, windowHeight != null ? windowHeight : d.windowHeight,
                defaultCompression != null ? defaultCompression : d.defaultCompression,
                staleAfterHours != null ? staleAfterHours : d.staleAfterHours);
    }
}
