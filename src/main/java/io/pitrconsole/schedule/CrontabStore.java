package io.pitrconsole.schedule;

/** Where crontab text lives: the user's crontab (through the crontab program) or a plain file. */
public interface CrontabStore {
    /** The current text; empty when there is none. */
    String read();

    void write(String text);

    /** Where it is, for messages. */
    String describe();

    /** Why this crontab cannot be used on this machine, if it cannot. */
    default java.util.Optional<String> unavailable() {
        return java.util.Optional.empty();
    }
}
