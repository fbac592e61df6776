package io.pitrconsole.schedule;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Grandfather-father-son: how many daily, weekly and monthly backups to keep. */
public record RetentionPolicy(@JsonProperty("daily") int daily, @JsonProperty("weekly") int weekly,
                              @JsonProperty("monthly") int monthly) {
}
