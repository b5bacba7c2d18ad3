package dev.rdsbackup.core.internal;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.BackupType;
import dev.rdsbackup.api.Lease;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.BackupValidationException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.api.error.Violation;
import dev.rdsbackup.api.spi.CreateResult;
import dev.rdsbackup.api.spi.InstanceInfo;
import dev.rdsbackup.api.spi.InstanceRole;
import dev.rdsbackup.core.internal.RecordWriter.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission of a create: the request checked, a replayed client token answered, the instance described
 * (and the answer checked: an instance described with another project or id does not exist), the quota,
 * the atomic insert (an insert whose outcome is unknown is read back), and the build run started.
 */
final class Admission {
    private static final Logger LOG = LoggerFactory.getLogger(Admission.class);
    /** How many adoption writes a replay makes before it answers {@code SERVICE_UNAVAILABLE}. */
    private static final int ADOPTION_ROUNDS = 3;
    /** How many failed store calls the background withdrawal (or build) of a create in doubt makes. */
    private static final int MAX_WITHDRAWAL_FAILURES = 8;

    private final Context c;
    private final Obligations obligations;
    private final Estimator estimator;
    private final Completions completions;
    private final Runnable onNewWork;

    Admission(Context context, Obligations obligations, Completions completions, Runnable onNewWork) {
        this.c = context;
        this.obligations = obligations;
        this.completions = completions;
        this.onNewWork = onNewWork;
        this.estimator = new Estimator(context.s.bytesPerSecond(), context.s.perTableCost());
    }

    BackupHandle create(BackupRequest request) {
        if (request == null) {
            throw new BackupValidationException(List.of(new Violation("request", "NotNull", "must not be null")));
        }
        c.s.validator().validate(request);
        try {
            return admit(request);
        } catch (Withdrawn withdrawn) {
            // The replayed record was withdrawn before it could be adopted: its token is free again, and
            // this request is a new create (once: a second withdrawal would need a second in-doubt insert
            // with the same token, which this request's own attempt cannot be).
            try {
                return admit(request);
            } catch (Withdrawn again) {
                throw new BackupException(ErrorCode.SERVICE_UNAVAILABLE,
                        "The backup store is unavailable right now; try again later.");
            }
        }
    }

    private BackupHandle admit(BackupRequest request) {
        if (request.clientToken() != null) {
            Optional<BackupRecord> prior = StoreCalls.call(
                    () -> c.s.store().findByClientToken(request.projectId(), request.clientToken()));
            if (prior.isPresent()) {
                return replay(request, prior.get());
            }
        }
        InstanceInfo instance = describe(request.projectId(), request.instanceId());
        checkInstance(request, instance);
        checkQuota(request, 0);

        String id = c.s.ids().get();
        if (!Ids.valid(id)) {
            throw new IllegalStateException("The configured idGenerator returned an id that is not 1 to 64 ASCII "
                    + "letters, digits, '-' and '_'");
        }
        BackupRecord draft = BackupRecord.builder()
                .id(id)
                .projectId(request.projectId())
                .instanceId(request.instanceId())
                .name(request.name())
                .description(request.description())
                .type(request.type())
                .status(BackupStatus.BUILDING)
                .datastore(instance.datastore())
                .databases(request.databases())
                .clientToken(request.clientToken())
                .beginTime(c.now())
                .progress(estimator.initial(c.now(), instance.dataSizeBytes(), instance.tableCount()))
                .lease(c.newLease())
                .build();
        Optional<CreateResult> answered = StoreCalls.call(() -> c.writer.create(draft));
        if (answered.isEmpty()) {
            LOG.warn("Backup {}: whether it was stored is unknown; withdrawing it in the background", id);
            withdrawLater(RecordWriter.truncated(draft), 1);
            throw new BackupException(ErrorCode.SERVICE_UNAVAILABLE,
                    "The backup store is unavailable right now; try again later.");
        }
        CreateResult result = answered.get();
        if (result instanceof CreateResult.NameTaken) {
            throw new BackupException(ErrorCode.BACKUP_NAME_EXISTS, "A backup named '" + request.name()
                    + "' already exists for DB instance " + request.instanceId() + "; choose another name.");
        }
        if (result instanceof CreateResult.InstanceBusy busy) {
            throw new BackupException(ErrorCode.BACKUP_IN_PROGRESS, "Backup " + busy.active().id()
                    + " of DB instance " + request.instanceId()
                    + " is in progress; wait for it to finish or cancel it, then try again.");
        }
        if (result instanceof CreateResult.ClientTokenTaken taken) {
            return replay(request, taken.existing());
        }
        BackupRecord created = ((CreateResult.Created) result).record();
        enforceQuotaAfterCreate(request, created);
        BuildRun run = new BuildRun(c, obligations, estimator, created, instance);
        c.local.hold(run);
        if (LOG.isInfoEnabled()) {
            LOG.info("Backup {} ({}) of instance {} in project {} created as {} by replica {}", created.id(),
                    LogSafe.escape(created.name()), created.instanceId(), created.projectId(), created.type(),
                    c.s.replicaId());
        }
        c.events.created(created);
        onNewWork.run();
        run.start();
        return new BackupHandle(created, run.completion.minimalCompletionStage());
    }

    private BackupHandle replay(BackupRequest request, BackupRecord existing) {
        boolean same = existing.projectId().equals(request.projectId())
                && existing.instanceId().equals(request.instanceId())
                && existing.name().equals(request.name())
                && Objects.equals(existing.description(), request.description())
                && existing.databases().equals(request.databases())
                && existing.type() == request.type();
        if (!same) {
            throw new BackupException(ErrorCode.IDEMPOTENCY_CONFLICT, "The client token was already used for "
                    + "backup " + existing.id() + " with different parameters; use a new token for a new backup.");
        }
        BackupRecord answered = adopt(existing);
        LOG.debug("Create with a known client token returns backup {}", answered.id());
        return new BackupHandle(answered, completions.of(answered));
    }

    /**
     * Makes a replayed record safe to answer as created. A record still at version 0 and building may be
     * an insert whose creator answered {@code SERVICE_UNAVAILABLE} and is withdrawing it (on any replica:
     * the withdrawal removes only at version 0). Writing it again (the same content, its lease's owner kept
     * and its expiry renewed) moves it past version 0 in one atomic step, so either the withdrawal's delete
     * or this write wins, never both: the record answered here is never removed by a withdrawal, and its
     * creator, finding it adopted, builds it (or, if the creator is gone, the reconciler fails it when the
     * lease expires). To a run already building it the write looks like a lease renewal. A record this
     * replica is building is answered as it is: only a create answered as failed is ever withdrawn.
     *
     * @throws Withdrawn if the record is gone: the token is free again
     */
    private BackupRecord adopt(BackupRecord existing) {
        if (existing.version() != 0 || existing.status() != BackupStatus.BUILDING
                || c.local.get(existing.id()) != null) {
            return existing;
        }
        BackupRecord current = existing;
        for (int round = 0; round < ADOPTION_ROUNDS; round++) {
            Lease renewed = renewedFor(current.lease());
            Outcome outcome = c.writer.write(current.toBuilder().lease(renewed).build(), current.version());
            if (outcome instanceof Outcome.Written written && written.record().version() != 0) {
                return written.record();
            }
            if (outcome instanceof Outcome.Written unmoved) {
                // A write that threw, read back with the same content: only the lease's expiry differs, which
                // the comparison leaves aside, so only the version can tell, and it did not move. Try again.
                current = unmoved.record();
                continue;
            }
            if (outcome instanceof Outcome.Conflict conflict) {
                if (conflict.current().isEmpty()) {
                    LOG.info("Backup {}: withdrawn before its client token was replayed; creating anew",
                            existing.id());
                    throw new Withdrawn();
                }
                current = conflict.current().get();
                if (current.version() != 0) {
                    return current; // past version 0: no withdrawal removes it any more
                }
                continue;
            }
            break; // Failed or Unknown: whether the record may still be withdrawn cannot be told
        }
        throw new BackupException(ErrorCode.SERVICE_UNAVAILABLE,
                "The backup store is unavailable right now; try again later.");
    }

    /**
     * The lease an adoption writes: the owner kept, the expiry renewed from now, never shortened (this
     * replica's clock may run behind the owner's).
     */
    private Lease renewedFor(Lease lease) {
        if (lease == null) {
            return null;
        }
        Instant renewed = c.newLease().expiresAt();
        return new Lease(lease.owner(), renewed.isAfter(lease.expiresAt()) ? renewed : lease.expiresAt());
    }

    /** A replayed record that was withdrawn before it could be adopted. */
    private static final class Withdrawn extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Withdrawn() {
            super(null, null, false, false);
        }
    }

    private InstanceInfo describe(String projectId, String instanceId) {
        Optional<InstanceInfo> info;
        try {
            info = c.s.probe().describe(projectId, instanceId);
        } catch (RuntimeException e) {
            LOG.warn("Describing instance {} failed: {}", instanceId, LogSafe.describe(e));
            throw new BackupException(ErrorCode.SERVICE_UNAVAILABLE, "DB instance " + instanceId
                    + " could not be described right now; try again later.", e);
        }
        if (info != null && info.isPresent() && !(info.get().projectId().equals(projectId)
                && info.get().instanceId().equals(instanceId))) {
            LOG.warn("The probe described instance {} of project {} as another instance; treated as not found",
                    instanceId, projectId);
            info = Optional.empty();
        }
        if (info == null || info.isEmpty()) {
            throw new BackupException(ErrorCode.INSTANCE_NOT_FOUND,
                    "DB instance " + instanceId + " was not found in project " + projectId + ".");
        }
        return info.get();
    }

    private void checkInstance(BackupRequest request, InstanceInfo instance) {
        String id = request.instanceId();
        if (instance.role() != InstanceRole.PRIMARY) {
            throw new BackupException(ErrorCode.INSTANCE_NOT_PRIMARY, "DB instance " + id
                    + " is a read replica; create the backup of its primary instance instead.");
        }
        switch (instance.status().category()) {
            case RUNNING:
                break;
            case BUSY:
                throw new BackupException(ErrorCode.INSTANCE_BUSY, "DB instance " + id + " is "
                        + instance.status() + ": another operation is in progress; try again when it is ACTIVE.");
            default:
                throw new BackupException(ErrorCode.INSTANCE_STATUS_NOT_ALLOWED, "DB instance " + id + " is "
                        + instance.status() + "; a backup can be created only while it is ACTIVE.");
        }
        if (instance.tableCount() > c.s.maxTableCount()) {
            throw new BackupException(ErrorCode.TOO_MANY_TABLES, "DB instance " + id + " has "
                    + instance.tableCount() + " tables; a backup supports at most " + c.s.maxTableCount() + ".");
        }
        if (request.isPartial()) {
            if (!instance.partialBackupSupported()) {
                throw new BackupException(ErrorCode.PARTIAL_BACKUP_NOT_SUPPORTED, "The "
                        + LogSafe.escape(instance.datastore().engine()) + " engine of DB instance " + id
                        + " cannot back up chosen databases; leave 'databases' empty for a full backup.");
            }
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < request.databases().size(); i++) {
                if (!instance.databases().contains(request.databases().get(i))) {
                    missing.add("databases[" + i + "]");
                }
            }
            if (!missing.isEmpty()) {
                throw new BackupException(ErrorCode.DATABASE_NOT_FOUND, String.join(", ", missing)
                        + (missing.size() == 1 ? " names a database that does not" : " name databases that do not")
                        + " exist on DB instance " + id + ".");
            }
        }
    }

    private long manualCount(BackupRequest request) {
        BackupQuery manual = BackupQuery.forInstance(request.projectId(), request.instanceId())
                .type(BackupType.MANUAL).limit(1).build();
        return c.s.store().query(manual).totalCount();
    }

    private void checkQuota(BackupRequest request, long including) {
        if (c.s.manualBackupQuota() <= 0 || request.type() != BackupType.MANUAL) {
            return;
        }
        long count = StoreCalls.call(() -> manualCount(request)) - including;
        if (count >= c.s.manualBackupQuota()) {
            throw quotaExceeded(request, count);
        }
    }

    private BackupException quotaExceeded(BackupRequest request, long count) {
        return new BackupException(ErrorCode.BACKUP_QUOTA_EXCEEDED, "DB instance " + request.instanceId()
                + " already has " + count + " manual backups, the most allowed is " + c.s.manualBackupQuota()
                + "; delete one first.");
    }

    /**
     * The quota check before the create is not atomic with it: a backup of the instance may have finished
     * in between and another been stored. Counting again after the atomic create (which admits one
     * building backup per instance at a time) and withdrawing this one if the quota is now exceeded makes
     * the quota exact. Nothing has started for the withdrawn backup.
     */
    private void enforceQuotaAfterCreate(BackupRequest request, BackupRecord created) {
        if (c.s.manualBackupQuota() <= 0 || request.type() != BackupType.MANUAL) {
            return;
        }
        long count;
        try {
            count = manualCount(request);
        } catch (RuntimeException e) {
            LOG.warn("Backup {}: the quota could not be checked again: {}", created.id(), LogSafe.describe(e));
            return;
        }
        if (count <= c.s.manualBackupQuota()) {
            return;
        }
        Outcome removed = c.writer.remove(created);
        if (removed instanceof Outcome.Failed) {
            LOG.warn("Backup {}: could not be withdrawn over the quota; it goes on", created.id());
            return;
        }
        if (!(removed instanceof Outcome.Written)) {
            withdrawLater(created, 1);
        }
        throw quotaExceeded(request, count - 1);
    }

    /**
     * Removes, in the background, a new record this replica answered as not created, if it was stored; or
     * builds it, if a replay of its client token adopted it meanwhile. Left to the reconciler (which fails
     * the record when its lease expires) once the store failed too often or the replica is closing.
     */
    private void withdrawLater(BackupRecord draft, int failures) {
        if (gaveUp(draft, failures)) {
            return;
        }
        c.scheduling.schedule("withdrawing backup " + draft.id(), () -> {
            if (c.closing.get()) {
                LOG.info("Backup {}: not withdrawn, the replica is closing; the reconciler fails it when its "
                        + "lease expires", draft.id());
                return;
            }
            Optional<BackupRecord> fresh;
            try {
                fresh = c.writer.find(draft.id());
            } catch (RuntimeException e) {
                withdrawLater(draft, failures + 1);
                return;
            }
            settleWithdrawal(draft, fresh, failures);
        }, Context.retryDelay(failures));
    }

    /** Whether the background work on a create answered as unknown stops here, left to the reconciler. */
    private static boolean gaveUp(BackupRecord draft, int failures) {
        if (failures <= MAX_WITHDRAWAL_FAILURES) {
            return false;
        }
        LOG.warn("Backup {}: left to the reconciler, which fails it when its lease expires", draft.id());
        return true;
    }

    private void settleWithdrawal(BackupRecord draft, Optional<BackupRecord> fresh, int failures) {
        if (fresh.isEmpty() || !c.holdsLease(fresh.get()) || fresh.get().status() != BackupStatus.BUILDING) {
            return;
        }
        if (gaveUp(draft, failures)) {
            return;
        }
        if (fresh.get().version() != 0) {
            buildAdopted(draft, fresh.get(), failures);
            return;
        }
        Outcome removed = c.writer.remove(fresh.get());
        if (removed instanceof Outcome.Conflict conflict && conflict.current().isPresent()
                && conflict.current().get().version() != fresh.get().version()) {
            settleWithdrawal(draft, conflict.current(), failures + 1); // adopted meanwhile, say
        } else if (removed instanceof Outcome.Conflict conflict && conflict.current().isEmpty()) {
            LOG.debug("Backup {}: already gone", draft.id());
        } else if (!(removed instanceof Outcome.Written)) {
            withdrawLater(draft, failures + 1);
        } else {
            LOG.info("Backup {}: withdrawn", draft.id());
        }
    }

    /**
     * Builds a record that this replica answered as not created but that a replay of its client token
     * adopted (and so answered as created). Nothing else builds it: no run was started for it, and its lease
     * is still this replica's. On the backup's queue, the record is claimed with a fresh lease (a write at
     * the version read), held as this replica's work, told as created and its run started, so that an ending
     * written by anyone after the claim is told after {@code onCreated} and found by the run's first write.
     * A describe that fails for now is tried again later; an instance that is gone leaves the record to the
     * reconciler, which fails it when the lease expires, as it does when this replica is closing.
     */
    private void buildAdopted(BackupRecord draft, BackupRecord adopted, int failures) {
        if (adopted.lock() != null || c.local.get(adopted.id()) != null) {
            return;
        }
        InstanceInfo instance;
        try {
            instance = describe(adopted.projectId(), adopted.instanceId());
        } catch (BackupException e) {
            if (e.code() == ErrorCode.SERVICE_UNAVAILABLE) {
                withdrawLater(draft, failures + 1);
            } else {
                LOG.warn("Backup {}: adopted by a replay, but its instance could not be described ({}); the "
                        + "reconciler fails it when its lease expires", adopted.id(), e.code());
            }
            return;
        }
        SerialQueue queue = c.local.queue(adopted.id());
        if (!queue.runExclusive(() -> claimAndBuild(draft, adopted, instance, failures))) {
            withdrawLater(draft, failures + 1); // another thread works on the backup right now: later
            return;
        }
        queue.drainHere();
    }

    private void claimAndBuild(BackupRecord draft, BackupRecord adopted, InstanceInfo instance, int failures) {
        if (c.closing.get() || c.local.get(adopted.id()) != null) {
            return;
        }
        Outcome claimed = c.writer.write(adopted.toBuilder().lease(c.newLease()).build(), adopted.version());
        if (claimed instanceof Outcome.Conflict conflict) {
            Optional<BackupRecord> now = conflict.current();
            if (now.isPresent() && now.get().version() != adopted.version()) {
                settleWithdrawal(draft, now, failures + 1);
            }
            return;
        }
        if (!(claimed instanceof Outcome.Written written) || written.record().version() == adopted.version()) {
            withdrawLater(draft, failures + 1); // read again: the claim may or may not have landed
            return;
        }
        BackupRecord record = written.record();
        LOG.info("Backup {}: its create was answered as unknown, a replay of its client token adopted it; "
                + "building it", record.id());
        BuildRun run = new BuildRun(c, obligations, estimator, record, instance);
        c.local.hold(run);
        c.events.created(record); // queued now: an ending written after the claim is told after it
        onNewWork.run();
        run.start();
    }
}
