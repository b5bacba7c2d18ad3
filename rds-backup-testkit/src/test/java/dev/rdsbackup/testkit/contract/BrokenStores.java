package dev.rdsbackup.testkit.contract;

import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupProgress;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.Lease;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.api.spi.CreateResult;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Stores with one deliberate, plausible bug each; almost all differ from the correct {@link ReferenceStore}
 * in one overridden decision. {@link BrokenStoresFailTheContractTest} runs the store contract on each.
 */
final class BrokenStores {

    private BrokenStores() {
    }

    // ---------------------------------------------------------------- fields and precision

    /** Has no column for the lock and the failure: writes them nowhere and reads them as absent. */
    static final class DropsLockAndFailure extends ReferenceStore {
        @Override
        protected BackupRecord kept(BackupRecord written) {
            return written.toBuilder().lock(null).failure(null).build();
        }
    }

    /** Keeps every instant in milliseconds. */
    static final class KeepsMilliseconds extends ReferenceStore {
        @Override
        protected BackupRecord kept(BackupRecord written) {
            return allInstants(written, t -> t.truncatedTo(ChronoUnit.MILLIS));
        }
    }

    /** Keeps every instant in whole seconds. */
    static final class KeepsWholeSeconds extends ReferenceStore {
        @Override
        protected BackupRecord kept(BackupRecord written) {
            return allInstants(written, t -> t.truncatedTo(ChronoUnit.SECONDS));
        }
    }

    /** Keeps begin and end times in milliseconds (a DATETIME(3) column), lease expiries exactly. */
    static final class MillisecondBeginAndEnd extends ReferenceStore {
        @Override
        protected BackupRecord kept(BackupRecord written) {
            return written.toBuilder().beginTime(written.beginTime().truncatedTo(ChronoUnit.MILLIS))
                    .endTime(written.endTime() == null ? null : written.endTime().truncatedTo(ChronoUnit.MILLIS))
                    .build();
        }
    }

    static BackupRecord allInstants(BackupRecord r, UnaryOperator<Instant> f) {
        BackupProgress p = r.progress();
        return r.toBuilder().beginTime(f.apply(r.beginTime()))
                .endTime(r.endTime() == null ? null : f.apply(r.endTime()))
                .lease(r.lease() == null ? null : new Lease(r.lease().owner(), f.apply(r.lease().expiresAt())))
                .progress(p == null ? null : new BackupProgress(p.percent(), p.bytesCopied(), p.totalBytes(),
                        f.apply(p.estimatedCompletion())))
                .build();
    }

    /** Has no progress column. */
    static final class DropsProgress extends ReferenceStore {
        @Override
        protected BackupRecord kept(BackupRecord written) {
            return written.toBuilder().progress(null).build();
        }
    }

    /** Keeps 255 characters of the description. */
    static final class TruncatesDescription extends ReferenceStore {
        @Override
        protected BackupRecord kept(BackupRecord written) {
            String d = written.description();
            return d == null || d.length() < 256 ? written : written.toBuilder().description(d.substring(0, 255)).build();
        }
    }

    /** Keeps the databases in a sorted set. */
    static final class SortsDatabases extends ReferenceStore {
        @Override
        protected BackupRecord kept(BackupRecord written) {
            return written.toBuilder().databases(written.databases().stream().sorted().toList()).build();
        }
    }

    /** Writes the lease only when a record is created; compare-and-set leaves the stored lease. */
    static final class LeaseFixedAtCreate extends ReferenceStore {
        @Override
        public synchronized Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
            Optional<BackupRecord> current = find(next.id());
            return super.compareAndSet(next.toBuilder().lease(current.map(BackupRecord::lease).orElse(null)).build(),
                    expectedVersion);
        }
    }

    /** Updates with {@code COALESCE(?, column)}: a lock, failure or lease once set is never cleared. */
    static final class CannotClearColumns extends ReferenceStore {
        @Override
        public synchronized Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
            Optional<BackupRecord> found = find(next.id());
            if (found.isEmpty()) {
                return Optional.empty();
            }
            BackupRecord current = found.get();
            return super.compareAndSet(next.toBuilder()
                    .lock(next.lock() == null ? current.lock() : next.lock())
                    .failure(next.failure() == null ? current.failure() : next.failure())
                    .lease(next.lease() == null ? current.lease() : next.lease())
                    .build(), expectedVersion);
        }
    }

    /** Writes the end time only when a record is created. */
    static final class EndTimeFixedAtCreate extends ReferenceStore {
        @Override
        public synchronized Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
            Optional<BackupRecord> current = find(next.id());
            return super.compareAndSet(next.toBuilder().endTime(current.map(BackupRecord::endTime).orElse(null))
                    .build(), expectedVersion);
        }
    }

    /** Keeps a listing table written at create and never updated. */
    static final class StaleListing extends ReferenceStore {
        private final Map<String, BackupRecord> asCreated = new ConcurrentHashMap<>();

        @Override
        public synchronized CreateResult create(BackupRecord record) {
            CreateResult result = super.create(record);
            if (result instanceof CreateResult.Created created) {
                asCreated.put(record.id(), created.record());
            }
            return result;
        }

        @Override
        public synchronized BackupPage query(BackupQuery query) {
            BackupPage page = super.query(query);
            return new BackupPage(page.items().stream().map(r -> asCreated.getOrDefault(r.id(), r)).toList(),
                    page.totalCount(), query.offset(), query.limit());
        }
    }

    // ---------------------------------------------------------------- ids, names and filters

    /** Stores ids in a case-insensitive column: b and B are one record. */
    static final class CaseInsensitiveIds extends ReferenceStore {
        @Override
        protected String key(String id) {
            return id.toLowerCase(Locale.ROOT);
        }
    }

    /** Finds by {@code id LIKE ?}: _ and % in the id asked for match anything. */
    static final class LikeIdLookup extends ReferenceStore {
        @Override
        public synchronized Optional<BackupRecord> find(String backupId) {
            Pattern like = like(backupId);
            return inWritingOrder().stream().filter(r -> like.matcher(r.id()).matches()).findFirst();
        }
    }

    static Pattern like(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '_' ? "." : c == '%' ? ".*" : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }

    /** Filters listings by {@code instance_id LIKE ?}. */
    static final class LikeInstanceFilter extends ReferenceStore {
        @Override
        protected boolean matches(BackupQuery query, BackupRecord record) {
            return query.instanceId() == null ? query.matches(record)
                    : like(query.instanceId()).matcher(record.instanceId()).matches()
                            && BackupQuery.forProject(query.projectId()).build().matches(record);
        }
    }

    /** Filters listings by instance case-insensitively. */
    static final class CaseInsensitiveInstanceFilter extends ReferenceStore {
        @Override
        protected boolean matches(BackupQuery query, BackupRecord record) {
            return query.instanceId() == null ? query.matches(record)
                    : query.instanceId().equalsIgnoreCase(record.instanceId())
                            && BackupQuery.forProject(query.projectId()).build().matches(record);
        }
    }

    /** Compares names and client tokens case-insensitively. */
    static final class CaseInsensitiveNames extends ReferenceStore {
        @Override
        protected boolean same(String a, String b) {
            return a.equalsIgnoreCase(b);
        }
    }

    /** Orders ties in begin time by id ascending. */
    static final class TiesAscending extends ReferenceStore {
        @Override
        protected Comparator<BackupRecord> listingOrder() {
            return Comparator.comparing(BackupRecord::beginTime).reversed().thenComparing(BackupRecord::id);
        }
    }

    /** Orders ties by id under a case-insensitive collation. */
    static final class TiesCaseInsensitive extends ReferenceStore {
        @Override
        protected Comparator<BackupRecord> listingOrder() {
            return Comparator.comparing(BackupRecord::beginTime)
                    .thenComparing(BackupRecord::id, String.CASE_INSENSITIVE_ORDER).reversed();
        }
    }

    /** Ignores the end of the window: it is taken as inclusive. */
    static final class WindowEndInclusive extends ReferenceStore {
        @Override
        protected boolean matches(BackupQuery query, BackupRecord record) {
            return query.toBuilder().window(null, null).build().matches(record)
                    && (query.windowStart() == null || !record.beginTime().isBefore(query.windowStart()))
                    && (query.windowEnd() == null || !record.beginTime().isAfter(query.windowEnd()));
        }
    }

    /** Filters by the first status asked for only. */
    static final class FirstStatusOnly extends ReferenceStore {
        @Override
        protected boolean matches(BackupQuery query, BackupRecord record) {
            return query.toBuilder().statuses().build().matches(record)
                    && (query.statuses().isEmpty() || query.statuses().iterator().next() == record.status());
        }
    }

    /** Counts the instance's records across every project (the count query forgot the project). */
    static final class CountsEveryProject extends ReferenceStore {
        @Override
        public synchronized BackupPage query(BackupQuery query) {
            BackupPage page = super.query(query);
            long total = inWritingOrder().stream().filter(r -> query.instanceId() == null
                    || r.instanceId().equals(query.instanceId())).filter(r -> query.matches(r.toBuilder()
                    .projectId(query.projectId()).build())).count();
            return new BackupPage(page.items(), total, query.offset(), query.limit());
        }
    }

    /** Skips one record at every page boundary after the first. */
    static final class SkippingPages extends ReferenceStore {
        @Override
        public synchronized BackupPage query(BackupQuery query) {
            if (query.offset() == 0) {
                return super.query(query);
            }
            BackupPage shifted = super.query(query.toBuilder().offset(query.offset() + 1).build());
            return new BackupPage(shifted.items(), shifted.totalCount(), query.offset(), query.limit());
        }
    }

    // ---------------------------------------------------------------- create

    /** A DELETING backup blocks a new one, as if it were still active. */
    static final class DeletingBlocks extends ReferenceStore {
        @Override
        protected boolean blocks(BackupRecord other, BackupRecord record) {
            return record.status() == BackupStatus.BUILDING
                    && (other.status() == BackupStatus.BUILDING || other.status() == BackupStatus.DELETING);
        }
    }

    /** Every status with work in progress or owed blocks a new backup (DELETING, DELETE_FAILED). */
    static final class UnfinishedBlocks extends ReferenceStore {
        @Override
        protected boolean blocks(BackupRecord other, BackupRecord record) {
            return record.status() == BackupStatus.BUILDING && other.status() != BackupStatus.COMPLETED
                    && other.status() != BackupStatus.FAILED && other.status() != BackupStatus.CANCELLED;
        }
    }

    /** Replaces a stored record given to create again (an upsert). */
    static final class UpsertsStoredId extends ReferenceStore {
        @Override
        public synchronized CreateResult create(BackupRecord record) {
            if (find(record.id()).isPresent()) {
                BackupRecord stored = record.withVersion(0);
                put(stored);
                return new CreateResult.Created(stored);
            }
            return super.create(record);
        }
    }

    /** Checks the id only within the project; another project's record with that id is overwritten. */
    static final class IdUniquePerProject extends ReferenceStore {
        @Override
        public synchronized CreateResult create(BackupRecord record) {
            Optional<BackupRecord> same = find(record.id());
            if (same.isPresent() && !same.get().projectId().equals(record.projectId())) {
                remove(record.id());
            }
            return super.create(record);
        }
    }

    /** Checks client tokens across every project. */
    static final class GlobalClientTokens extends ReferenceStore {
        @Override
        public synchronized CreateResult create(BackupRecord record) {
            if (record.clientToken() != null) {
                for (BackupRecord other : inWritingOrder()) {
                    if (record.clientToken().equals(other.clientToken())) {
                        return new CreateResult.ClientTokenTaken(other);
                    }
                }
            }
            return super.create(record);
        }
    }

    /** Checks the active backup by instance id alone, across projects. */
    static final class BusyAcrossProjects extends ReferenceStore {
        @Override
        public synchronized CreateResult create(BackupRecord record) {
            if (record.status() == BackupStatus.BUILDING) {
                for (BackupRecord other : inWritingOrder()) {
                    if (other.instanceId().equals(record.instanceId()) && other.status() == BackupStatus.BUILDING
                            && !other.projectId().equals(record.projectId())) {
                        return new CreateResult.InstanceBusy(other);
                    }
                }
            }
            return super.create(record);
        }
    }

    /** Checks the name before the client token. */
    static final class NameBeforeToken extends ReferenceStore {
        @Override
        public synchronized CreateResult create(BackupRecord record) {
            for (BackupRecord other : inWritingOrder()) {
                if (other.projectId().equals(record.projectId()) && other.instanceId().equals(record.instanceId())
                        && other.name().equals(record.name())) {
                    return new CreateResult.NameTaken(other);
                }
            }
            return super.create(record);
        }
    }

    // ---------------------------------------------------------------- versions

    /** Writes whatever version is stored now: lost updates. */
    static final class VersionBlind extends ReferenceStore {
        @Override
        public synchronized Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
            return find(next.id()).flatMap(current -> super.compareAndSet(next, current.version()));
        }
    }

    /** Reads, compares the version, then writes, without holding anything in between (a round trip apart). */
    static final class NonAtomicCompareAndSet extends ReferenceStore {
        @Override
        public Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
            Optional<BackupRecord> current = find(next.id());
            if (current.isEmpty() || current.get().version() != expectedVersion) {
                return Optional.empty();
            }
            Thread.yield();
            BackupRecord stored = next.withVersion(expectedVersion + 1);
            put(stored);
            return Optional.of(stored);
        }
    }

    /** Reads, compares the version, then removes, without holding anything in between (a round trip apart). */
    static final class NonAtomicDelete extends ReferenceStore {
        @Override
        public boolean delete(String backupId, long expectedVersion) {
            Optional<BackupRecord> current = find(backupId);
            if (current.isEmpty() || current.get().version() != expectedVersion) {
                return false;
            }
            Thread.yield();
            remove(backupId);
            return true;
        }
    }

    // ---------------------------------------------------------------- leases

    /** Ignores {@code afterId}: every page starts from the smallest id. */
    static final class IgnoresAfterId extends ReferenceStore {
        @Override
        public synchronized List<BackupRecord> findExpiredLeases(Instant now, String afterId, int limit) {
            return super.findExpiredLeases(now, null, limit);
        }
    }

    /** Answers expired leases in the order they were written, not by id. */
    static final class ExpiredInWritingOrder extends ReferenceStore {
        @Override
        public synchronized List<BackupRecord> findExpiredLeases(Instant now, String afterId, int limit) {
            return inWritingOrder().stream()
                    .filter(r -> r.lease() != null && r.lease().isExpiredAt(now))
                    .filter(r -> afterId == null || r.id().compareTo(afterId) > 0)
                    .limit(limit).toList();
        }
    }

    /** Compares and orders ids case-insensitively when paging expired leases. */
    static final class ExpiredCaseInsensitive extends ReferenceStore {
        @Override
        protected Comparator<String> idOrder() {
            return String.CASE_INSENSITIVE_ORDER;
        }
    }

    /** Takes a lease expiring exactly now as still valid. */
    static final class ExpiredStrictlyBefore extends ReferenceStore {
        @Override
        protected boolean expired(Lease lease, Instant now) {
            return now.isAfter(lease.expiresAt());
        }
    }

    /** Looks for expired leases among BUILDING records only, as before leases outlived the build. */
    static final class ExpiredBuildingOnly extends ReferenceStore {
        @Override
        public synchronized List<BackupRecord> findExpiredLeases(Instant now, String afterId, int limit) {
            return super.findExpiredLeases(now, afterId, Integer.MAX_VALUE).stream()
                    .filter(r -> r.status() == BackupStatus.BUILDING).limit(limit).toList();
        }
    }

    /**
     * Applies the limit to leased records before keeping the expired ones: on a shared database with live
     * leases among them, a page comes back short and the reconciler stops paging early.
     */
    static final class LimitBeforeExpiry extends ReferenceStore {
        @Override
        public synchronized List<BackupRecord> findExpiredLeases(Instant now, String afterId, int limit) {
            return inWritingOrder().stream()
                    .filter(r -> r.lease() != null)
                    .filter(r -> afterId == null || r.id().compareTo(afterId) > 0)
                    .sorted(Comparator.comparing(BackupRecord::id))
                    .limit(limit)
                    .filter(r -> r.lease().isExpiredAt(now)).toList();
        }
    }

    /** Renews leases one record at a time; each broken renewal overrides which records and how. */
    abstract static class Renewing extends ReferenceStore {
        /** Whether the record's lease is renewed for {@code owner}. */
        abstract boolean renews(BackupRecord record, String owner);

        /** The record as renewed (the correct one: new lease, next version). */
        BackupRecord renewed(BackupRecord record, String owner, Instant expiresAt) {
            return record.toBuilder().lease(new Lease(owner, expiresAt)).build().withVersion(record.version() + 1);
        }

        @Override
        public synchronized int renewLeases(String owner, Collection<String> backupIds, Instant expiresAt) {
            int renewed = 0;
            for (String id : backupIds) {
                Optional<BackupRecord> found = find(id);
                if (found.isPresent() && renews(found.get(), owner)) {
                    put(renewed(found.get(), owner, expiresAt));
                    renewed++;
                }
            }
            return renewed;
        }

        static boolean owns(BackupRecord record, String owner) {
            return record.lease() != null && record.lease().owner().equals(owner);
        }
    }

    /** Renews every given lease, whoever owns it. */
    static final class RenewsOthersLeases extends Renewing {
        @Override
        boolean renews(BackupRecord record, String owner) {
            return record.lease() != null;
        }
    }

    /** Renews leases in place without moving the version. */
    static final class RenewKeepsVersion extends Renewing {
        @Override
        boolean renews(BackupRecord record, String owner) {
            return owns(record, owner);
        }

        @Override
        BackupRecord renewed(BackupRecord record, String owner, Instant expiresAt) {
            return record.toBuilder().lease(new Lease(owner, expiresAt)).build();
        }
    }

    /** Gives a lease to every given record that has none, as an upsert would. */
    static final class RenewLeasesUnleased extends Renewing {
        @Override
        boolean renews(BackupRecord record, String owner) {
            return record.lease() == null || owns(record, owner);
        }
    }

    /** Never moves a lease's expiry backwards ({@code GREATEST(expires_at, ?)}): work is never handed over. */
    static final class RenewNeverShortens extends Renewing {
        @Override
        boolean renews(BackupRecord record, String owner) {
            return owns(record, owner);
        }

        @Override
        BackupRecord renewed(BackupRecord record, String owner, Instant expiresAt) {
            Instant later = expiresAt.isAfter(record.lease().expiresAt()) ? expiresAt : record.lease().expiresAt();
            return super.renewed(record, owner, later);
        }
    }

    // ---------------------------------------------------------------- check, then insert

    /**
     * Checks the three conditions, then writes, without holding anything in between (nothing at all on the
     * create path, as a store doing a SELECT and then an INSERT). With {@code widen}, it yields between
     * check and write; without, the window is the few instructions between them.
     */
    static final class CheckThenInsert implements BackupStore {
        private final Map<String, BackupRecord> records = new ConcurrentHashMap<>();
        private final boolean widen;

        CheckThenInsert(boolean widen) {
            this.widen = widen;
        }

        @Override
        public CreateResult create(BackupRecord record) {
            for (BackupRecord other : records.values()) {
                if (other.projectId().equals(record.projectId()) && record.clientToken() != null
                        && record.clientToken().equals(other.clientToken())) {
                    return new CreateResult.ClientTokenTaken(other);
                }
            }
            for (BackupRecord other : records.values()) {
                if (other.projectId().equals(record.projectId()) && other.instanceId().equals(record.instanceId())
                        && other.name().equals(record.name())) {
                    return new CreateResult.NameTaken(other);
                }
            }
            for (BackupRecord other : records.values()) {
                if (other.projectId().equals(record.projectId()) && other.instanceId().equals(record.instanceId())
                        && record.status() == BackupStatus.BUILDING && other.status() == BackupStatus.BUILDING) {
                    return new CreateResult.InstanceBusy(other);
                }
            }
            if (widen) {
                Thread.yield();
            }
            BackupRecord stored = record.withVersion(0);
            if (records.putIfAbsent(record.id(), stored) != null) {
                throw new IllegalArgumentException("duplicate id " + record.id());
            }
            return new CreateResult.Created(stored);
        }

        @Override
        public Optional<BackupRecord> find(String backupId) {
            return Optional.ofNullable(records.get(backupId));
        }

        @Override
        public Optional<BackupRecord> findByClientToken(String projectId, String clientToken) {
            return records.values().stream()
                    .filter(r -> r.projectId().equals(projectId) && clientToken.equals(r.clientToken())).findFirst();
        }

        @Override
        public synchronized Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
            BackupRecord current = records.get(next.id());
            if (current == null || current.version() != expectedVersion) {
                return Optional.empty();
            }
            BackupRecord stored = next.withVersion(expectedVersion + 1);
            records.put(stored.id(), stored);
            return Optional.of(stored);
        }

        @Override
        public synchronized boolean delete(String backupId, long expectedVersion) {
            BackupRecord current = records.get(backupId);
            return current != null && current.version() == expectedVersion && records.remove(backupId, current);
        }

        @Override
        public BackupPage query(BackupQuery query) {
            List<BackupRecord> matching = records.values().stream().filter(query::matches)
                    .sorted(BackupQuery.NEWEST_FIRST).toList();
            return new BackupPage(matching.stream().skip(query.offset()).limit(query.limit()).toList(),
                    matching.size(), query.offset(), query.limit());
        }

        @Override
        public List<BackupRecord> findExpiredLeases(Instant now, String afterId, int limit) {
            return records.values().stream()
                    .filter(r -> r.lease() != null && r.lease().isExpiredAt(now))
                    .filter(r -> afterId == null || r.id().compareTo(afterId) > 0)
                    .sorted(Comparator.comparing(BackupRecord::id)).limit(limit).toList();
        }
    }

    /** Every broken store by name, each with the contract tests that must fail on it. */
    static Map<String, BrokenCase<BackupStore>> catalogue() {
        return BrokenCase.catalogue(
                BrokenCase.of("drops the lock and failure columns", DropsLockAndFailure::new,
                        "everyFieldSurvivesCreate", "everyFieldSurvivesCompareAndSet", "findsExpiredWork"),
                BrokenCase.of("keeps milliseconds", KeepsMilliseconds::new,
                        "keepsMicroseconds", "everyFieldSurvivesCreate", "everyFieldSurvivesCompareAndSet"),
                BrokenCase.of("keeps whole seconds", KeepsWholeSeconds::new,
                        "keepsMicroseconds", "everyFieldSurvivesCreate", "ignoresLiveLeases"),
                BrokenCase.of("keeps milliseconds for begin and end only", MillisecondBeginAndEnd::new,
                        "keepsMicroseconds", "everyFieldSurvivesCreate"),
                BrokenCase.of("drops progress", DropsProgress::new, "everyFieldSurvivesCreate"),
                BrokenCase.of("truncates a 256-character description", TruncatesDescription::new,
                        "everyFieldSurvivesCreate"),
                BrokenCase.of("sorts the databases", SortsDatabases::new, "everyFieldSurvivesCreate"),
                BrokenCase.of("writes the lease only at create", LeaseFixedAtCreate::new,
                        "everyFieldSurvivesCompareAndSet"),
                BrokenCase.of("cannot clear lock, failure or lease", CannotClearColumns::new,
                        "everyFieldSurvivesCompareAndSet"),
                BrokenCase.of("writes the end time only at create", EndTimeFixedAtCreate::new,
                        "everyFieldSurvivesCompareAndSet"),
                BrokenCase.of("lists records as they were created", StaleListing::new,
                        "seesLatestContent", "everyFieldSurvivesCompareAndSet"),
                BrokenCase.of("has case-insensitive ids", CaseInsensitiveIds::new, "idsAreCaseSensitive"),
                BrokenCase.of("finds ids with LIKE", LikeIdLookup::new, "idsAreNotPatterns"),
                BrokenCase.of("filters instances with LIKE", LikeInstanceFilter::new, "instanceIsNotAPattern"),
                BrokenCase.of("filters instances case-insensitively", CaseInsensitiveInstanceFilter::new,
                        "instanceIsNotAPattern"),
                BrokenCase.of("compares names and tokens case-insensitively", CaseInsensitiveNames::new,
                        "namesAreCaseSensitive"),
                BrokenCase.of("orders ties by id ascending", TiesAscending::new, "newestFirst", "tiesByteWise"),
                BrokenCase.of("orders ties case-insensitively", TiesCaseInsensitive::new, "tiesByteWise"),
                BrokenCase.of("takes the window end as inclusive", WindowEndInclusive::new, "filtersByWindow"),
                BrokenCase.of("filters by the first status only", FirstStatusOnly::new, "filtersByStatus"),
                BrokenCase.of("counts the instance across projects", CountsEveryProject::new, "listingIsScoped"),
                BrokenCase.of("skips a record at page boundaries", SkippingPages::new, "pagesCoverEveryRecordOnce"),
                BrokenCase.of("lets DELETING block a new backup", DeletingBlocks::new, "onlyBuildingBlocks"),
                BrokenCase.of("lets DELETE_FAILED block a new backup", UnfinishedBlocks::new, "onlyBuildingBlocks"),
                BrokenCase.of("replaces a record created again", UpsertsStoredId::new, "refusesStoredId"),
                BrokenCase.of("checks ids per project", IdUniquePerProject::new, "refusesStoredId"),
                BrokenCase.of("checks client tokens across projects", GlobalClientTokens::new,
                        "clientTokensAreScoped"),
                BrokenCase.of("checks the active backup across projects", BusyAcrossProjects::new,
                        "namesAndBusyAreScoped"),
                BrokenCase.of("checks the name before the client token", NameBeforeToken::new, "checksInOrder"),
                BrokenCase.of("ignores the version in compare-and-set", VersionBlind::new, "refusesStaleVersion"),
                BrokenCase.of("compares and sets in two steps", NonAtomicCompareAndSet::new, "oneCompareAndSetWins"),
                BrokenCase.of("deletes in two steps", NonAtomicDelete::new, "oneDeleteWins"),
                BrokenCase.of("ignores afterId", IgnoresAfterId::new, "pagesById", "pagesByteWise"),
                BrokenCase.of("answers expired leases unordered", ExpiredInWritingOrder::new, "pagesById"),
                BrokenCase.of("pages expired leases case-insensitively", ExpiredCaseInsensitive::new,
                        "pagesByteWise"),
                BrokenCase.of("takes a lease expiring now as valid", ExpiredStrictlyBefore::new, "findsExpiredWork"),
                BrokenCase.of("finds expired leases of BUILDING records only", ExpiredBuildingOnly::new,
                        "findsExpiredWork"),
                BrokenCase.of("limits before keeping expired leases", LimitBeforeExpiry::new, "pagesById"),
                BrokenCase.of("renews other owners' leases", RenewsOthersLeases::new, "renewsTheOwnersLeases"),
                BrokenCase.of("renews without moving the version", RenewKeepsVersion::new, "renewsTheOwnersLeases"),
                BrokenCase.of("gives leases to records without one", RenewLeasesUnleased::new,
                        "renewsTheOwnersLeases"),
                BrokenCase.of("never shortens a lease", RenewNeverShortens::new, "renewalInThePastHandsOver"),
                BrokenCase.anyOf("checks then inserts, yielding between", () -> new CheckThenInsert(true),
                        "oneBuildingPerInstance", "oneRecordPerName", "oneRecordPerClientToken"),
                BrokenCase.anyOf("checks then inserts with no delay", () -> new CheckThenInsert(false),
                        "oneBuildingPerInstance", "oneRecordPerName", "oneRecordPerClientToken"));
    }
}
