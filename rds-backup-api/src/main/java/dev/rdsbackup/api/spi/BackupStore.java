package dev.rdsbackup.api.spi;

import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where backup records live. The library's guarantees (one active backup per instance, unique names, no
 * lost update) come from the atomic operations here, so they hold across several control-plane replicas
 * sharing one store. A SQL store gets them from unique indexes (a partial unique index on the instance for
 * {@code status = 'BUILDING'}) and {@code UPDATE ... WHERE version = ?}.
 *
 * <p>Implementations must be thread-safe and throw unchecked exceptions on failure. The testkit's
 * {@code BackupStoreContract} checks an implementation against this contract.
 */
public interface BackupStore {

    /**
     * Stores a new record, atomically checking, in this order, that:
     * <ol>
     *   <li>no record of the same project has the same client token (when the record has one);</li>
     *   <li>no record of the same project and instance has the same name (case-sensitive);</li>
     *   <li>no record of the same project and instance is {@code BUILDING} (when the new one is).</li>
     * </ol>
     * The id must be new. The stored record has version 0.
     *
     * @param record the record to store
     * @return {@link CreateResult.Created} with the stored record, or the condition that stopped it
     */
    CreateResult create(BackupRecord record);

    /**
     * Reads a record.
     *
     * @param backupId the id
     * @return the record, or empty if there is none
     */
    Optional<BackupRecord> find(String backupId);

    /**
     * Finds the record a project created with a client token.
     *
     * @param projectId the project
     * @param clientToken the token
     * @return the record, or empty
     */
    Optional<BackupRecord> findByClientToken(String projectId, String clientToken);

    /**
     * Replaces a record if, and only if, its stored version is {@code expectedVersion}. The stored record
     * is {@code next} with version {@code expectedVersion + 1}. The service never changes the id, project,
     * instance, name, client token or begin time of a record (they are fixed at creation, and uniqueness rests
     * on them); a store may refuse such a change with an {@link IllegalArgumentException}.
     *
     * @param next the new content (its own version is ignored)
     * @param expectedVersion the version the caller read
     * @return the stored record, or empty if the record is gone or its version differs
     */
    Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion);

    /**
     * Removes a record if, and only if, its stored version is {@code expectedVersion}.
     *
     * @param backupId the id
     * @param expectedVersion the version the caller read
     * @return {@code true} if removed; {@code false} if gone already or the version differs
     */
    boolean delete(String backupId, long expectedVersion);

    /**
     * One page of the records matching the query (see {@link BackupQuery#matches}), ordered by
     * {@link BackupQuery#NEWEST_FIRST}, with the total count of matches.
     *
     * @param query filters and paging (already validated)
     * @return the page
     */
    BackupPage query(BackupQuery query);

    /**
     * Records whose work is in progress ({@code BUILDING} or {@code DELETING}) and whose lease expired at
     * or before {@code now}: work of a replica that died. Used by recovery.
     *
     * @param now the current time
     * @param limit the most records to return
     * @return up to {@code limit} records, in any order
     */
    List<BackupRecord> findExpiredLeases(Instant now, int limit);
}
