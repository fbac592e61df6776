package io.pitrconsole.ui.restore;

/** The restore wizard's steps, in order. */
public enum WizardStep {
    TARGET("Target"), MODE("Mode"), PLAN("Plan"), RUN("Run"), REPORT("Report");

    private final String title;

    WizardStep(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }
}
