package io.pitrconsole.ui.restore;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** One restore step as the Run page shows it: its state, progress, duration and latest message. */
public final class StepRow {
    /** Where a step stands. */
    public enum State { RUNNING, DONE, FAILED }

    private final String name;
    private final ObjectProperty<State> state = new SimpleObjectProperty<>(State.RUNNING);
    private final DoubleProperty progress = new SimpleDoubleProperty(-1);
    private final DoubleProperty seconds = new SimpleDoubleProperty(Double.NaN);
    private final StringProperty message = new SimpleStringProperty("");

    public StepRow(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public ObjectProperty<State> stateProperty() {
        return state;
    }

    /** 0..1, or -1 while unknown. */
    public DoubleProperty progressProperty() {
        return progress;
    }

    /** Seconds the step took; NaN while it runs. */
    public DoubleProperty secondsProperty() {
        return seconds;
    }

    public StringProperty messageProperty() {
        return message;
    }
}
