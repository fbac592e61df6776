package io.pitrconsole.archive;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A timeline of the archive that the DBA threw away: an in-place restore created it, and rolling
 * that restore back put the old cluster back on another timeline. Its WAL stays in the archive
 * (PostgreSQL needs its history file to pick the next timeline id), but restores follow it only
 * when asked for it by number.
 *
 * @param timeline      the abandoned timeline
 * @param parent        the timeline it branched from (null when unknown)
 * @param branchLsn     where it branched from its parent, as PostgreSQL writes it (null when unknown)
 * @param continuedOn   the timeline the rolled-back cluster went on with (null when it could not be read)
 * @param abandonedAt   when the rollback happened
 * @param restoreId     the in-place restore that created it and was rolled back
 * @param backupId      the backup that restore started from
 * @param target        that restore's target, for people
 * @param dataDirectory the data directory that was rolled back
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AbandonedTimeline(int timeline, Integer parent, String branchLsn, Integer continuedOn, Instant abandonedAt,
                                String restoreId, String backupId, String target, String dataDirectory) {

    /** One line for people: 'timeline 2 (branched from 1 at 0/5000A0), abandoned at ... by rolling back restore_...'. */
    public String describe() {
        String from = parent == null ? "" : " (branched from " + parent + (branchLsn == null ? "" : " at " + branchLsn) + ")";
        return "timeline " + timeline + from + " was abandoned at " + abandonedAt + " by rolling back " + restoreId
                + (continuedOn == null ? "" : "; the cluster went on on timeline " + continuedOn);
    }
}
