package dev.rdsbackup.api.spi;

import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.Lease;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
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
 *
 * <p><b>Fields and ids.</b> Every read ({@link #find}, {@link #findByClientToken}, {@link #query},
 * {@link #findExpiredLeases}) and the answers of {@link #create} and {@link #compareAndSet} return every field
 * of a record exactly as last written, absent ones included (lock, failure, lease, progress, size, end
 * time, attempts, databases in their order, datastore, a description of up to 256 characters, client
 * token). Ids, names and client tokens are compared exactly: case-sensitively and byte for byte, with no
 * pattern matching ({@code _} and {@code %} are plain characters), and ids are ordered byte-wise
 * ({@code B < _ < a < b}); in a SQL store, a binary collation.
 *
 * <p><b>Time.</b> Every instant the service writes (begin and end times, lease expiries) is already
 * truncated to {@link #TIMESTAMP_PRECISION}, microseconds. A store keeps instants at that precision or
 * finer and returns them exactly as written; a store that keeps milliseconds or whole seconds breaks the
 * service's check of a write whose outcome is unknown (it re-reads and compares with what it wrote).
 *
 * <p><b>Leases.</b> A record holds a {@link Lease} exactly as long as work is owed on it: while it is
 * {@code BUILDING} or {@code DELETING}, and after it ended while its backup lock must still be released or
 * its copy stopped. {@link #findExpiredLeases} finds the records whose owner stopped renewing.
 */
public interface BackupStore {

    /**
     * The finest unit of time the service relies on: every instant it writes is truncated to it, and a store
     * must return it unchanged.
     */
    ChronoUnit TIMESTAMP_PRECISION = ChronoUnit.MICROS;

    /**
     * Stores a new record, atomically checking, in this order, that:
     * <ol>
     *   <li>no record of the same project has the same client token (when the record has one);</li>
     *   <li>no record of the same project and instance has the same name (case-sensitive);</li>
     *   <li>no record of the same project and instance is {@code BUILDING} (when the new one is).</li>
     * </ol>
     * A {@code DELETING} or ended record does not make the instance busy. The id must be new across the
     * whole store, every project included: for an id it already holds, a store throws an unchecked exception
     * and keeps the stored record. The stored record has version 0.
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
     * One page of the records matching the query (see {@link BackupQuery#matches}: the instance id is matched
     * exactly, not as a pattern), ordered by {@link BackupQuery#NEWEST_FIRST} (ties in begin time by id
     * descending, byte-wise), with the total count of matches (of this project only).
     *
     * @param query filters and paging (already validated)
     * @return the page
     */
    BackupPage query(BackupQuery query);

    /**
     * Records holding a {@link Lease} that expired at or before {@code now}, whatever their status: work of
     * a replica that died or handed it over (a build, a deletion, or a lock to release or a copy to stop
     * after the backup ended). Used by the service's reconciler, which pages through them by id.
     *
     * @param now the current time
     * @param afterId only records whose id is greater than this one (compared as the store orders ids:
     *     byte-wise, case-sensitive), or {@code null} to start from the smallest id
     * @param limit the most records to return, 1 or more
     * @return up to {@code limit} records, ordered by id ascending
     */
    List<BackupRecord> findExpiredLeases(Instant now, String afterId, int limit);

    /**
     * Renews, in one operation where the store can, the leases that {@code owner} holds on the given
     * records: each such record's lease becomes {@code new Lease(owner, expiresAt)} and its version
     * increments (a renewal is a write, so a compare-and-set based on an earlier read fails). Records that
     * are gone, hold no lease, or hold another owner's lease are left alone. An {@code expiresAt} in the past
     * hands the work over: the reconciler of any replica takes it at once.
     *
     * <p>The service calls this once per renewal period for all the work it owns, so a SQL store should
     * override it with one {@code UPDATE ... WHERE lease_owner = ? AND id IN (...)} (in chunks where the
     * database limits the size of a statement). The default renews one record at a time with
     * {@link #find} and {@link #compareAndSet}, retrying a record whose version moved meanwhile.
     *
     * @param owner the replica whose leases to renew
     * @param backupIds the records it owns work on
     * @param expiresAt the new expiry
     * @return how many leases were renewed
     */
    default int renewLeases(String owner, Collection<String> backupIds, Instant expiresAt) {
        int renewed = 0;
        for (String id : backupIds) {
            for (int round = 0; round < 8; round++) {
                Optional<BackupRecord> found = find(id);
                if (found.isEmpty() || found.get().lease() == null || !found.get().lease().owner().equals(owner)) {
                    break;
                }
                BackupRecord current = found.get();
                BackupRecord next = current.toBuilder().lease(new Lease(owner, expiresAt)).build();
                if (compareAndSet(next, current.version()).isPresent()) {
                    renewed++;
                    break;
                }
            }
        }
        return renewed;
    }
}
