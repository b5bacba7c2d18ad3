package dev.rdsbackup.core.internal;

import dev.rdsbackup.api.BackupFailure;
import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupProgress;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.BackupService;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.BackupType;
import dev.rdsbackup.api.DeleteOutcome;
import dev.rdsbackup.api.InstanceDeletionReport;
import dev.rdsbackup.api.Lease;
import dev.rdsbackup.api.RecoveryReport;
import dev.rdsbackup.api.constraints.ResourceId;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.BackupValidationException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.api.error.Violation;
import dev.rdsbackup.api.spi.CopyJob;
import dev.rdsbackup.api.spi.CopyProgress;
import dev.rdsbackup.api.spi.CopyRequest;
import dev.rdsbackup.api.spi.CreateResult;
import dev.rdsbackup.api.spi.InstanceInfo;
import dev.rdsbackup.api.spi.InstanceRole;
import dev.rdsbackup.api.spi.Verification;
import dev.rdsbackup.core.TaskScheduler.ScheduledTask;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup lifecycle behind {@link dev.rdsbackup.core.DefaultBackupService}.
 *
 * <p>How the guarantees are kept:
 * <ul>
 *   <li>One active backup per instance, unique names and idempotency come from {@code BackupStore.create}.</li>
 *   <li>Every change of a stored record is a compare-and-set on its version. The replica that owns a
 *       building backup (named in its lease) is its only writer until someone else ends it (a cancel from
 *       another replica, recovery after the lease expired); the owner finds out at its next write or lease
 *       renewal and stops.</li>
 *   <li>A backup lock is stored on the record while held. Whoever writes the transition that clears it
 *       releases it, so it is released exactly once; a lock that was never stored (it arrived too late, or
 *       storing it failed) is released by the replica that received it.</li>
 *   <li>Nothing sleeps or blocks: waits are scheduled tasks; adapter answers arrive on stages.</li>
 * </ul>
 */
public final class BackupLifecycle implements BackupService {
    private static final Logger LOG = LoggerFactory.getLogger(BackupLifecycle.class);
    private static final Pattern RESOURCE_ID = Pattern.compile(ResourceId.REGEXP);
    private static final int MAX_BATCH_DELETE = 50;
    private static final int MAX_CAS_ROUNDS = 16;
    private static final int RECOVERY_BATCH = 100;
    private static final Duration MAX_STORE_RETRY_DELAY = Duration.ofSeconds(30);

    private final Settings s;
    private final Estimator estimator;
    private final Map<String, Work> owned = new ConcurrentHashMap<>();
    private final Object renewalMonitor = new Object();
    private ScheduledTask renewal;

    /**
     * Creates the lifecycle.
     *
     * @param settings checked settings
     */
    public BackupLifecycle(Settings settings) {
        this.s = settings;
        this.estimator = new Estimator(settings.bytesPerSecond(), settings.perTableCost());
    }

    /** This replica's id. */
    public String replicaId() {
        return s.replicaId();
    }

    /** How many backups this replica is working on now (building or deleting). */
    public int inFlight() {
        return owned.size();
    }

    // ------------------------------------------------------------------------------------------------
    // Create

    @Override
    public BackupHandle create(BackupRequest request) {
        if (request == null) {
            throw new BackupValidationException(List.of(new Violation("request", "NotNull", "must not be null")));
        }
        s.validator().validate(request);
        if (request.clientToken() != null) {
            Optional<BackupRecord> prior = storeCall(
                    () -> s.store().findByClientToken(request.projectId(), request.clientToken()));
            if (prior.isPresent()) {
                return replay(request, prior.get());
            }
        }
        InstanceInfo instance = describe(request.projectId(), request.instanceId());
        checkInstance(request, instance);
        checkQuota(request);

        Instant now = s.clock().instant();
        String id = s.ids().get();
        if (id == null || !RESOURCE_ID.matcher(id).matches()) {
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
                .beginTime(now)
                .progress(estimator.initial(now, instance.dataSizeBytes(), instance.tableCount()))
                .lease(newLease(now))
                .build();
        CreateResult result = storeCall(() -> s.store().create(draft));
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
        Run run = new Run(created, instance);
        owned.put(created.id(), run);
        if (LOG.isInfoEnabled()) {
            LOG.info("Backup {} ({}) of instance {} in project {} created as {} by replica {}", created.id(),
                    created.name(), created.instanceId(), created.projectId(), created.type(), s.replicaId());
        }
        s.listeners().onCreated(created);
        try {
            ensureRenewal();
            s.scheduler().execute(() -> startAttempt(run));
        } catch (RuntimeException e) {
            LOG.warn("Scheduler refused the work of backup {}: {}", created.id(), LogSafe.describe(e));
            failInBackground(run, new BackupFailure(ErrorCode.SERVICE_UNAVAILABLE,
                    "The service's scheduler refused the backup's work: " + LogSafe.describe(e)));
        }
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
        LOG.debug("Create with a known client token returns backup {}", existing.id());
        return new BackupHandle(existing, completionOf(existing));
    }

    private CompletionStage<BackupRecord> completionOf(BackupRecord backup) {
        Work work = owned.get(backup.id());
        if (work instanceof Run run) {
            return run.completion.minimalCompletionStage();
        }
        if (backup.status() != BackupStatus.BUILDING) {
            CompletableFuture<BackupRecord> known = new CompletableFuture<>();
            settle(known, backup.id(), backup);
            return known.minimalCompletionStage();
        }
        CompletableFuture<BackupRecord> watched = new CompletableFuture<>();
        watch(backup, watched);
        return watched.minimalCompletionStage();
    }

    /** Polls a backup that another replica builds until it ends. */
    private void watch(BackupRecord last, CompletableFuture<BackupRecord> result) {
        Duration every = s.leaseDuration().dividedBy(4);
        try {
            scheduleWatch(last, result, every);
        } catch (RuntimeException e) {
            result.completeExceptionally(new BackupException(ErrorCode.SERVICE_UNAVAILABLE,
                    "Backup " + last.id() + " cannot be watched right now; poll it with get.", e));
        }
    }

    private void scheduleWatch(BackupRecord last, CompletableFuture<BackupRecord> result, Duration every) {
        s.scheduler().schedule(() -> {
            try {
                Optional<BackupRecord> now = s.store().find(last.id());
                if (now.isPresent() && now.get().status() == BackupStatus.BUILDING) {
                    watch(now.get(), result);
                } else {
                    settle(result, last.id(), now.orElse(null));
                }
            } catch (RuntimeException e) {
                LOG.debug("Watching backup {} failed once: {}", last.id(), LogSafe.describe(e));
                watch(last, result);
            }
        }, every);
    }

    private InstanceInfo describe(String projectId, String instanceId) {
        Optional<InstanceInfo> info;
        try {
            info = s.probe().describe(projectId, instanceId);
        } catch (RuntimeException e) {
            LOG.warn("Describing instance {} failed: {}", instanceId, LogSafe.describe(e));
            throw new BackupException(ErrorCode.SERVICE_UNAVAILABLE, "DB instance " + instanceId
                    + " could not be described right now; try again later.", e);
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
        if (instance.tableCount() > s.maxTableCount()) {
            throw tooManyTables(id, instance.tableCount());
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

    private BackupException tooManyTables(String instanceId, long tableCount) {
        return new BackupException(ErrorCode.TOO_MANY_TABLES, "DB instance " + instanceId + " has " + tableCount
                + " tables; a backup supports at most " + s.maxTableCount() + ".");
    }

    private void checkQuota(BackupRequest request) {
        if (s.manualBackupQuota() <= 0 || request.type() != BackupType.MANUAL) {
            return;
        }
        BackupQuery manual = BackupQuery.forInstance(request.projectId(), request.instanceId())
                .type(BackupType.MANUAL).limit(1).build();
        long count = storeCall(() -> s.store().query(manual)).totalCount();
        if (count >= s.manualBackupQuota()) {
            throw new BackupException(ErrorCode.BACKUP_QUOTA_EXCEEDED, "DB instance " + request.instanceId()
                    + " already has " + count + " manual backups, the most allowed is " + s.manualBackupQuota()
                    + "; delete one first.");
        }
    }

    /**
     * The quota check before the create is not atomic with it: a backup of the instance may have finished
     * in between and another been stored. Counting again after the atomic create (which admits one
     * building backup per instance at a time) and withdrawing this one if the quota is now exceeded makes
     * the quota exact. Nothing has started for the withdrawn backup.
     */
    private void enforceQuotaAfterCreate(BackupRequest request, BackupRecord created) {
        if (s.manualBackupQuota() <= 0 || request.type() != BackupType.MANUAL) {
            return;
        }
        BackupQuery manual = BackupQuery.forInstance(request.projectId(), request.instanceId())
                .type(BackupType.MANUAL).limit(1).build();
        try {
            long count = s.store().query(manual).totalCount();
            if (count <= s.manualBackupQuota()) {
                return;
            }
            if (s.store().delete(created.id(), created.version())) {
                throw new BackupException(ErrorCode.BACKUP_QUOTA_EXCEEDED, "DB instance " + request.instanceId()
                        + " already has " + (count - 1) + " manual backups, the most allowed is "
                        + s.manualBackupQuota() + "; delete one first.");
            }
        } catch (BackupException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("Backup {}: the quota could not be checked again: {}", created.id(), LogSafe.describe(e));
        }
    }

    /** The end time to record: now, but never before the begin time another replica's clock wrote. */
    private static Instant endTimeOf(BackupRecord record, Instant now) {
        return now.isBefore(record.beginTime()) ? record.beginTime() : now;
    }

    private Lease newLease(Instant now) {
        return new Lease(s.replicaId(), now.plus(s.leaseDuration()));
    }

    // ------------------------------------------------------------------------------------------------
    // Verification with retry

    private void startAttempt(Run run) {
        int attempt;
        synchronized (run) {
            if (run.done) {
                return;
            }
            run.phase = Phase.VERIFYING;
            run.retryTask = null;
            attempt = ++run.attempt;
            if (attempt == 1) {
                run.firstAttemptAt = s.clock().instant();
            }
        }
        LOG.debug("Backup {}: verification attempt {}", run.id, attempt);
        CompletionStage<Verification> answer;
        try {
            answer = s.probe().verify(run.instance.projectId(), run.instance.instanceId());
            if (answer == null) {
                throw new IllegalStateException("the probe returned no verification stage");
            }
        } catch (RuntimeException e) {
            onVerification(run, attempt, null, e);
            return;
        }
        answer.whenComplete((verification, failure) -> onVerification(run, attempt, verification, failure));
        // Only an answer still outstanding needs a deadline (a probe that answers at once costs no timer).
        Effects fx = new Effects();
        synchronized (run) {
            if (!run.done && run.attempt == attempt && run.phase == Phase.VERIFYING && run.timeoutTask == null) {
                try {
                    run.timeoutTask = s.scheduler().schedule(() -> attemptTimedOut(run, attempt),
                            s.verificationTimeout());
                } catch (RuntimeException e) {
                    schedulerRefused(run, e, fx);
                }
            }
        }
        fx.run();
    }

    private void attemptTimedOut(Run run, int attempt) {
        Effects fx = new Effects();
        synchronized (run) {
            if (run.done || run.attempt != attempt || run.phase != Phase.VERIFYING) {
                return;
            }
            run.timeoutTask = null;
            attemptFailed(run, ErrorCode.VERIFICATION_UNREACHABLE,
                    "no answer within " + s.verificationTimeout(), fx);
        }
        fx.run();
    }

    private void onVerification(Run run, int attempt, Verification verification, Throwable failure) {
        Effects fx = new Effects();
        synchronized (run) {
            boolean current = !run.done && run.attempt == attempt && run.phase == Phase.VERIFYING;
            if (!current) {
                if (verification instanceof Verification.Verified late) {
                    LOG.info("Backup {}: a backup lock arrived after attempt {} ended; releasing it", run.id, attempt);
                    fx.add(() -> releaseLock(run.id, late.lock()));
                }
            } else {
                cancel(run.timeoutTask);
                run.timeoutTask = null;
                if (failure != null || verification == null) {
                    String why = failure == null ? "the probe answered nothing" : LogSafe.describe(failure);
                    attemptFailed(run, ErrorCode.VERIFICATION_UNREACHABLE, "the probe failed: " + why, fx);
                } else if (verification instanceof Verification.Verified verified) {
                    verified(run, verified, fx);
                } else {
                    attemptFailed(run, verification.failureCode(), detailOf(verification), fx);
                }
            }
        }
        fx.run();
    }

    private static String detailOf(Verification verification) {
        if (verification instanceof Verification.DdlInProgress ddl) {
            return LogSafe.escape(ddl.detail());
        } else if (verification instanceof Verification.LockNotObtained lock) {
            return LogSafe.escape(lock.detail());
        } else if (verification instanceof Verification.Unreachable unreachable) {
            return LogSafe.escape(unreachable.detail());
        }
        return "";
    }

    /** Called holding the run's monitor. */
    private void attemptFailed(Run run, ErrorCode reason, String detail, Effects fx) {
        int made = run.attempt;
        Instant now = s.clock().instant();
        Duration delay;
        synchronized (s.random()) {
            delay = s.retryPolicy().delayAfter(made, s.random());
        }
        Duration elapsedAtNext = Duration.between(run.firstAttemptAt, now.plus(delay));
        if (s.retryPolicy().allowsAnotherAttempt(made, elapsedAtNext)) {
            BackupRecord written;
            try {
                written = write(run, r -> r.toBuilder().attempts(made).lock(null).build());
            } catch (RuntimeException e) {
                LOG.warn("Backup {}: could not record attempt {}: {}", run.id, made, LogSafe.describe(e));
                written = run.record.toBuilder().attempts(made).build();
            }
            if (written == null) {
                abandon(run, fx);
                return;
            }
            run.phase = Phase.WAITING;
            try {
                run.retryTask = s.scheduler().schedule(() -> startAttempt(run), delay);
            } catch (RuntimeException e) {
                schedulerRefused(run, e, fx);
                return;
            }
            LOG.info("Backup {}: verification attempt {} failed ({}: {}); retrying in {}", run.id, made, reason,
                    detail, delay);
            BackupRecord event = written;
            fx.add(() -> s.listeners().onVerificationRetry(event, reason, delay));
        } else {
            String message = "Verification failed after " + made + (made == 1 ? " attempt: " : " attempts: ")
                    + reason.summary() + " (" + detail + ").";
            finish(run, BackupStatus.FAILED, new BackupFailure(reason, message), 0L, fx);
        }
    }

    /** Called holding the run's monitor. */
    private void verified(Run run, Verification.Verified verified, Effects fx) {
        BackupLock lock = verified.lock();
        int made = run.attempt;
        if (verified.tableCount() > s.maxTableCount()) {
            fx.add(() -> releaseLock(run.id, lock));
            finish(run, BackupStatus.FAILED, new BackupFailure(ErrorCode.TOO_MANY_TABLES,
                    tooManyTables(run.instance.instanceId(), verified.tableCount()).getMessage()), 0L, fx);
            return;
        }
        BackupRecord withLock;
        try {
            withLock = write(run, r -> r.toBuilder().attempts(made).lock(lock).build());
        } catch (NotWrittenException e) {
            LOG.warn("Backup {}: the backup lock was not recorded: {}", run.id, LogSafe.describe(e));
            fx.add(() -> releaseLock(run.id, lock));
            attemptFailed(run, ErrorCode.SERVICE_UNAVAILABLE, "the backup lock could not be recorded", fx);
            return;
        } catch (RuntimeException e) {
            LOG.warn("Backup {}: could not store the backup lock: {}", run.id, LogSafe.describe(e));
            withLock = resolveLockWrite(run, lock, fx);
            if (withLock == null) {
                return;
            }
        }
        if (withLock == null) {
            fx.add(() -> releaseLock(run.id, lock));
            abandon(run, fx);
            return;
        }
        run.phase = Phase.STARTING;
        run.copyStart = s.clock().instant();
        run.tableCount = verified.tableCount();
        if (LOG.isInfoEnabled()) {
            LOG.info("Backup {}: instance {} verified on attempt {}; copying", run.id, run.instance.instanceId(),
                    made);
        }
        BackupRecord copying = withLock;
        fx.add(() -> startCopy(run, copying, lock, verified.tableCount()));
    }

    /**
     * The write that records a backup lock failed: it may or may not have landed. Re-reads the record to
     * find out, so the lock is released exactly once. Holding the run's monitor.
     *
     * @return the record holding the lock, to go on copying; or {@code null} when the run stops here
     */
    private BackupRecord resolveLockWrite(Run run, BackupLock lock, Effects fx) {
        long before = run.record.version();
        Optional<BackupRecord> fresh;
        try {
            fresh = s.store().find(run.id);
        } catch (RuntimeException again) {
            // Cannot tell: keep the instance unlocked rather than locked, and make sure the next write of
            // this run clears the lock from the record so no one else releases it.
            run.released.add(lock);
            fx.add(() -> releaseLock(run.id, lock));
            attemptFailed(run, ErrorCode.SERVICE_UNAVAILABLE, "the backup lock could not be recorded", fx);
            return null;
        }
        if (fresh.isPresent() && lock.equals(fresh.get().lock()) && run.stillOwns(fresh.get())) {
            run.record = fresh.get();
            return fresh.get();
        }
        if (fresh.isPresent() && run.stillOwns(fresh.get())) {
            run.record = fresh.get();
            fx.add(() -> releaseLock(run.id, lock));
            attemptFailed(run, ErrorCode.SERVICE_UNAVAILABLE, "the backup lock could not be recorded", fx);
            return null;
        }
        // Ended elsewhere. Whoever ended it released the lock if our write had landed: then their write
        // came after ours (version two or more past ours) and the record shows that ending. If it has moved
        // on further (deleting, gone) there is no telling: release it, since a lock left held blocks DDL on
        // the instance while a second release of the same lock is one the probe must tolerate.
        boolean landed = fresh.isPresent() && fresh.get().version() >= before + 2
                && isBuildEnding(fresh.get().status());
        if (!landed) {
            if (fresh.isEmpty()) {
                LOG.warn("Backup {}: ended and deleted elsewhere while its lock write was in doubt; releasing "
                        + "the lock", run.id);
            }
            fx.add(() -> releaseLock(run.id, lock));
        }
        run.lostTo = fresh.orElse(null);
        abandon(run, fx);
        return null;
    }

    // ------------------------------------------------------------------------------------------------
    // Copy

    /**
     * Starts the copy, with no lock held while the listener and the engine are called. While the run is
     * {@code STARTING}, an ending written meanwhile (a cancel, say) leaves the release of the lock to this
     * thread, which then does not start the engine, or cancels what it started, before releasing it.
     */
    private void startCopy(Run run, BackupRecord withLock, BackupLock lock, long tableCount) {
        s.listeners().onCopyStarted(withLock);
        CopyRequest request;
        synchronized (run) {
            if (run.done) {
                releaseDeferredLock(run);
                return;
            }
            BackupRecord record = run.record;
            request = new CopyRequest(record.id(), record.projectId(), record.instanceId(), record.datastore(),
                    record.databases(), lock, tableCount, run.instance.dataSizeBytes());
        }
        CopyJob job = null;
        CompletionStage<Long> result = null;
        RuntimeException startFailure = null;
        try {
            job = s.engine().startCopy(request, progress -> onProgress(run, progress));
            result = job == null ? null : job.result();
            if (result == null) {
                throw new IllegalStateException("the engine returned no copy job or result");
            }
        } catch (RuntimeException e) {
            startFailure = e;
        }
        boolean endedMeanwhile;
        synchronized (run) {
            endedMeanwhile = run.done;
            if (!endedMeanwhile && startFailure == null) {
                run.job = job;
                run.phase = Phase.COPYING;
                run.lastProgressAt = s.clock().instant();
            }
        }
        if (endedMeanwhile) {
            if (job != null) {
                cancelJob(run.id, job);
            }
            synchronized (run) {
                releaseDeferredLock(run);
            }
            return;
        }
        if (startFailure != null) {
            synchronized (run) {
                run.phase = Phase.COPYING;
            }
            onCopyResult(run, null, startFailure);
            return;
        }
        result.whenComplete((size, failure) -> onCopyResult(run, size, failure));
        // Only a copy still running needs a stall deadline (an engine that finishes at once costs no timer).
        Effects fx = new Effects();
        synchronized (run) {
            if (!run.done && run.phase == Phase.COPYING && run.stallTask == null) {
                try {
                    scheduleStallCheck(run);
                } catch (RuntimeException e) {
                    schedulerRefused(run, e, fx);
                }
            }
        }
        fx.run();
    }

    /** Releases a lock whose release an ending left to the starting thread. Holding the run's monitor. */
    private void releaseDeferredLock(Run run) {
        BackupLock deferred = run.deferredLock;
        run.deferredLock = null;
        if (deferred != null) {
            releaseLock(run.id, deferred);
        }
    }

    /** Fails a copy that reports neither progress nor an end for the stall timeout. Holding the run's monitor. */
    private void scheduleStallCheck(Run run) {
        Duration wait = Duration.between(s.clock().instant(), run.lastProgressAt.plus(s.stallTimeout()));
        run.stallTask = s.scheduler().schedule(() -> {
            Effects fx = new Effects();
            synchronized (run) {
                if (run.done || run.phase != Phase.COPYING) {
                    return;
                }
                if (s.clock().instant().isBefore(run.lastProgressAt.plus(s.stallTimeout()))) {
                    try {
                        scheduleStallCheck(run);
                        return;
                    } catch (RuntimeException e) {
                        schedulerRefused(run, e, fx);
                    }
                } else {
                    LOG.warn("Backup {}: the engine reported nothing for {}; failing the copy", run.id,
                            s.stallTimeout());
                    finish(run, BackupStatus.FAILED, new BackupFailure(ErrorCode.ENGINE_FAILED, "The backup "
                            + "engine reported no progress for " + s.stallTimeout() + "; the copy was stopped."),
                            0L, fx);
                }
            }
            fx.run();
        }, wait.isNegative() ? Duration.ZERO : wait);
    }

    private void onProgress(Run run, CopyProgress progress) {
        if (progress == null) {
            return;
        }
        Effects fx = new Effects();
        synchronized (run) {
            if (run.done || run.phase != Phase.COPYING) {
                return;
            }
            run.lastProgressAt = s.clock().instant();
            BackupProgress next = estimator.update(run.copyStart, s.clock().instant(), progress.bytesCopied(),
                    progress.totalBytes(), run.instance.dataSizeBytes(), run.tableCount);
            BackupProgress last = run.record.progress();
            if (last != null && (next.percent() <= last.percent() || next.bytesCopied() < last.bytesCopied())) {
                return;
            }
            try {
                if (write(run, r -> r.toBuilder().progress(next).build()) == null) {
                    abandon(run, fx);
                }
            } catch (RuntimeException e) {
                LOG.debug("Backup {}: progress not recorded: {}", run.id, LogSafe.describe(e));
            }
        }
        fx.run();
    }

    private void onCopyResult(Run run, Long size, Throwable failure) {
        Effects fx = new Effects();
        synchronized (run) {
            if (run.done) {
                return;
            }
            if (failure == null && size != null && size >= 0) {
                finish(run, BackupStatus.COMPLETED, null, size, fx);
            } else {
                String why = failure == null ? "the engine reported no size" : LogSafe.describe(failure);
                finish(run, BackupStatus.FAILED, new BackupFailure(ErrorCode.ENGINE_FAILED,
                        "The backup engine failed while copying data: " + why + "."), 0L, fx);
            }
        }
        fx.run();
    }

    // ------------------------------------------------------------------------------------------------
    // Ending a build

    /**
     * Ends a build, holding the run's monitor. If the store fails, the final write is retried later in the
     * background (the run stays alive, its lease renewed, until it is written).
     */
    private void finish(Run run, BackupStatus status, BackupFailure failure, long size, Effects fx) {
        try {
            finishNow(run, status, failure, size, fx);
        } catch (RuntimeException e) {
            LOG.warn("Backup {}: could not record {} ({}); retrying", run.id, status, LogSafe.describe(e));
            run.phase = Phase.FINISHING;
            cancel(run.retryTask);
            cancel(run.timeoutTask);
            retryLater(run, () -> {
                Effects later = new Effects();
                synchronized (run) {
                    if (run.done) {
                        return;
                    }
                    finish(run, status, failure, size, later);
                }
                later.run();
            });
        }
    }

    /** Writes the end of a build; throws if the store fails. Holding the run's monitor. */
    private BackupRecord finishNow(Run run, BackupStatus status, BackupFailure failure, long size, Effects fx) {
        Instant now = s.clock().instant();
        BackupLock[] held = new BackupLock[1];
        BackupRecord ended = write(run, r -> {
            held[0] = r.lock();
            return r.toBuilder()
                    .status(status)
                    .endTime(endTimeOf(r, now))
                    .attempts(Math.max(r.attempts(), run.attempt))
                    .sizeBytes(status == BackupStatus.COMPLETED ? size : 0L)
                    .failure(failure)
                    .progress(null)
                    .lock(null)
                    .lease(null)
                    .build();
        });
        if (ended == null) {
            abandon(run, fx);
            return run.lostTo != null ? run.lostTo : run.record;
        }
        boolean starting = run.phase == Phase.STARTING;
        CopyJob job = stopLocalWork(run);
        BackupLock lock = held[0];
        if (job != null && status != BackupStatus.COMPLETED) {
            fx.add(() -> cancelJob(run.id, job));
        }
        if (lock != null && !run.released.contains(lock)) {
            if (starting) {
                run.deferredLock = lock; // the starting thread releases it once the engine is stopped
            } else {
                fx.add(() -> releaseLock(run.id, lock));
            }
        }
        switch (status) {
            case COMPLETED:
                LOG.info("Backup {} completed: {} bytes", run.id, ended.sizeBytes());
                fx.add(() -> s.listeners().onCompleted(ended));
                break;
            case CANCELLED:
                LOG.info("Backup {} cancelled{}", run.id, failure == null ? "" : " (" + failure.code() + ")");
                fx.add(() -> s.listeners().onCancelled(ended));
                break;
            default:
                LOG.warn("Backup {} failed: {}", run.id, failure == null ? "unknown" : failure.code());
                fx.add(() -> s.listeners().onFailed(ended));
                break;
        }
        fx.add(() -> run.completion.complete(ended));
        return ended;
    }

    /**
     * Stops local work on a backup that someone else ended (a cancel from another replica, or recovery).
     * Its stored lock, if any, was released by whoever ended it. Holding the run's monitor.
     */
    private void abandon(Run run, Effects fx) {
        if (run.done) {
            return;
        }
        CopyJob job = stopLocalWork(run);
        if (job != null) {
            fx.add(() -> cancelJob(run.id, job));
        }
        BackupRecord last = run.lostTo;
        LOG.info("Backup {} was ended elsewhere ({}); local work stopped", run.id,
                last == null ? "record gone" : last.status());
        fx.add(() -> settle(run.completion, run.id, last));
    }

    /** {@code true} for the statuses a build ends in. */
    private static boolean isBuildEnding(BackupStatus status) {
        return status == BackupStatus.COMPLETED || status == BackupStatus.FAILED
                || status == BackupStatus.CANCELLED;
    }

    /**
     * Completes a handle's stage with how the build ended; when that can no longer be known (another
     * replica ended the build and the backup was deleted, or its deletion started, before this replica
     * read the ending), completes it exceptionally with a {@link BackupException} saying so.
     */
    private static void settle(CompletableFuture<BackupRecord> completion, String backupId, BackupRecord last) {
        if (last != null && isBuildEnding(last.status())) {
            completion.complete(last);
        } else if (last == null) {
            completion.completeExceptionally(new BackupException(ErrorCode.BACKUP_NOT_FOUND, "Backup " + backupId
                    + " was ended by another replica and deleted before its ending could be read here."));
        } else if (last.status() != BackupStatus.BUILDING) {
            completion.completeExceptionally(new BackupException(ErrorCode.BACKUP_STATUS_CONFLICT, "Backup "
                    + backupId + " was ended by another replica and is now " + last.status()
                    + "; its ending can no longer be read here."));
        }
    }

    /**
     * Stops this replica's run of a backup that it has just read as ended (for example by another
     * replica's cancel), so its handle completes with that ending at once.
     */
    private void settleIfEndedElsewhere(BackupRecord seen) {
        if (!isBuildEnding(seen.status()) || !(owned.get(seen.id()) instanceof Run run)) {
            return;
        }
        Effects fx = new Effects();
        synchronized (run) {
            if (!run.done) {
                run.lostTo = seen;
                abandon(run, fx);
            }
        }
        fx.run();
    }

    /** Marks the run done, stops its timers and forgets it; returns its copy job, if any. Holding its monitor. */
    private CopyJob stopLocalWork(Run run) {
        run.done = true;
        run.phase = Phase.DONE;
        cancel(run.retryTask);
        cancel(run.timeoutTask);
        cancel(run.stallTask);
        owned.remove(run.id, run);
        return run.job;
    }

    /** The scheduler refused the run's next step: the backup fails now rather than wait forever. Holding its monitor. */
    private void schedulerRefused(Run run, RuntimeException e, Effects fx) {
        LOG.warn("Backup {}: the scheduler refused its next step: {}", run.id, LogSafe.describe(e));
        finish(run, BackupStatus.FAILED, new BackupFailure(ErrorCode.SERVICE_UNAVAILABLE,
                "The service's scheduler refused the backup's work: " + LogSafe.describe(e) + "."), 0L, fx);
    }

    private void failInBackground(Run run, BackupFailure failure) {
        Effects fx = new Effects();
        synchronized (run) {
            if (!run.done) {
                finish(run, BackupStatus.FAILED, failure, 0L, fx);
            }
        }
        fx.run();
    }

    // ------------------------------------------------------------------------------------------------
    // Store writes

    /**
     * Compare-and-set of the work's record. Re-reads on a version conflict and applies the change again
     * while this replica still owns the work.
     *
     * @return the stored record, or {@code null} if the work was ended or taken by someone else
     */
    private BackupRecord write(Work work, UnaryOperator<BackupRecord> change) {
        for (int round = 0; round < MAX_CAS_ROUNDS; round++) {
            BackupRecord current = work.record;
            BackupRecord next = change.apply(current);
            Optional<BackupRecord> stored = compareAndSet(next, current.version());
            if (stored.isPresent()) {
                work.record = stored.get();
                work.storeFailures = 0;
                return stored.get();
            }
            Optional<BackupRecord> fresh;
            try {
                fresh = s.store().find(work.id);
            } catch (RuntimeException e) {
                throw new NotWrittenException(e);
            }
            if (fresh.isEmpty() || !work.stillOwns(fresh.get())) {
                work.lostTo = fresh.orElse(null);
                return null;
            }
            work.record = fresh.get();
        }
        throw new BackupException(ErrorCode.CONCURRENT_MODIFICATION,
                "Backup " + work.id + " kept changing under this replica's writes.");
    }

    /**
     * The store's compare-and-set, made safe against an outcome that is unknown: when the store throws (a
     * connection lost during the commit, say), the record is read again, and if it holds exactly what was
     * written at the next version the write did land. Whoever writes an ending releases the lock it
     * clears, so a write that landed must not be taken for one that failed.
     *
     * @return the stored record, or empty if the version differed
     * @throws RuntimeException the store's exception when the outcome cannot be told
     */
    private Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
        try {
            return s.store().compareAndSet(next, expectedVersion);
        } catch (RuntimeException e) {
            Optional<BackupRecord> fresh;
            try {
                fresh = s.store().find(next.id());
            } catch (RuntimeException again) {
                e.addSuppressed(again);
                throw e;
            }
            if (fresh.isPresent() && fresh.get().version() == expectedVersion + 1) {
                if (sameContent(fresh.get(), next)) {
                    LOG.info("Backup {}: the store failed after recording a write; the write stands", next.id());
                    return fresh;
                }
                return Optional.empty(); // someone else's write took this version: ours cannot have landed
            }
            if (fresh.isPresent() && fresh.get().version() == expectedVersion) {
                throw new NotWrittenException(e);
            }
            throw e; // moved on further, or gone: whether ours landed cannot be told from here
        }
    }

    /**
     * Whether two records hold the same content, version aside and times compared to the millisecond (a
     * database column may keep less precision than an {@link Instant}).
     */
    private static boolean sameContent(BackupRecord a, BackupRecord b) {
        return normalized(a).equals(normalized(b));
    }

    private static BackupRecord normalized(BackupRecord r) {
        BackupRecord.Builder b = r.toBuilder().version(0)
                .beginTime(millis(r.beginTime()))
                .endTime(r.endTime() == null ? null : millis(r.endTime()));
        if (r.progress() != null) {
            b.progress(new BackupProgress(r.progress().percent(), r.progress().bytesCopied(),
                    r.progress().totalBytes(), millis(r.progress().estimatedCompletion())));
        }
        if (r.lease() != null) {
            b.lease(new Lease(r.lease().owner(), millis(r.lease().expiresAt())));
        }
        return b.build();
    }

    private static Instant millis(Instant instant) {
        return instant.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    /** A write that certainly did not land: the store refused or failed it, and the record did not change. */
    private static final class NotWrittenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotWrittenException(RuntimeException cause) {
            super("the write did not land", cause);
        }
    }

    private void retryLater(Work work, Runnable step) {
        int failures = ++work.storeFailures;
        long seconds = Math.min(MAX_STORE_RETRY_DELAY.toSeconds(), 1L << Math.min(failures - 1, 5));
        try {
            s.scheduler().schedule(step, Duration.ofSeconds(seconds));
        } catch (RuntimeException e) {
            // Left to lease expiry and recovery, which resolve the work without this replica.
            LOG.warn("Backup {}: the scheduler refused a retry: {}", work.id, LogSafe.describe(e));
        }
    }

    private <T> T storeCall(Supplier<T> call) {
        try {
            return call.get();
        } catch (BackupException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("The backup store failed: {}", LogSafe.describe(e));
            throw new BackupException(ErrorCode.SERVICE_UNAVAILABLE,
                    "The backup store is unavailable right now; try again later.", e);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Leases

    private void ensureRenewal() {
        synchronized (renewalMonitor) {
            if (renewal == null && !owned.isEmpty()) {
                try {
                    renewal = s.scheduler().schedule(this::renewLeases, s.leaseDuration().dividedBy(3));
                } catch (RuntimeException e) {
                    // Without renewals the leases lapse and recovery (here or elsewhere) resolves the work.
                    LOG.warn("The scheduler refused the lease renewal: {}", LogSafe.describe(e));
                }
            }
        }
    }

    private void renewLeases() {
        synchronized (renewalMonitor) {
            renewal = null;
        }
        for (Work work : owned.values()) {
            Effects fx = new Effects();
            synchronized (work) {
                if (work.isDone()) {
                    continue;
                }
                try {
                    Lease lease = newLease(s.clock().instant());
                    if (write(work, r -> r.toBuilder().lease(lease).build()) == null) {
                        work.lost(fx);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("Backup {}: lease not renewed: {}", work.id, LogSafe.describe(e));
                }
            }
            fx.run();
        }
        ensureRenewal();
    }

    // ------------------------------------------------------------------------------------------------
    // Read

    @Override
    public BackupRecord get(String projectId, String backupId) {
        requireIds(projectId, backupId);
        BackupRecord found = find(projectId, backupId);
        settleIfEndedElsewhere(found);
        return found;
    }

    private BackupRecord find(String projectId, String backupId) {
        Optional<BackupRecord> found = storeCall(() -> s.store().find(backupId));
        if (found.isEmpty() || !found.get().projectId().equals(projectId)) {
            throw new BackupException(ErrorCode.BACKUP_NOT_FOUND,
                    "Backup " + backupId + " was not found in project " + projectId + ".");
        }
        return found.get();
    }

    @Override
    public BackupPage list(BackupQuery query) {
        if (query == null) {
            throw new BackupValidationException(List.of(new Violation("query", "NotNull", "must not be null")));
        }
        s.validator().validate(query);
        return storeCall(() -> s.store().query(query));
    }

    private void requireIds(String projectId, String backupId) {
        List<Violation> violations = new ArrayList<>(2);
        checkId(violations, "projectId", projectId);
        checkId(violations, "backupId", backupId);
        if (!violations.isEmpty()) {
            throw new BackupValidationException(violations);
        }
    }

    private static void checkId(List<Violation> violations, String field, String value) {
        if (value == null) {
            violations.add(new Violation(field, "NotNull", "must not be null"));
        } else if (!RESOURCE_ID.matcher(value).matches()) {
            violations.add(new Violation(field, "ResourceId", "must be 1 to 64 ASCII letters, digits, '-' and '_'"));
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Cancel

    @Override
    public BackupRecord cancel(String projectId, String backupId) {
        requireIds(projectId, backupId);
        return cancel(find(projectId, backupId), null);
    }

    private BackupRecord cancel(BackupRecord backup, BackupFailure reason) {
        settleIfEndedElsewhere(backup);
        if (backup.status() == BackupStatus.CANCELLED) {
            return backup;
        }
        if (backup.status() != BackupStatus.BUILDING) {
            throw new BackupException(ErrorCode.BACKUP_STATUS_CONFLICT, "Backup " + backup.id() + " is "
                    + backup.status() + "; only a BUILDING backup can be cancelled.");
        }
        Work work = owned.get(backup.id());
        if (work instanceof Run run) {
            Effects fx = new Effects();
            BackupRecord ended;
            synchronized (run) {
                if (run.done) {
                    ended = null;
                } else if (run.phase == Phase.FINISHING) {
                    throw new BackupException(ErrorCode.SERVICE_UNAVAILABLE, "Backup " + backup.id()
                            + " has already finished and its outcome is being recorded; try again shortly.");
                } else {
                    ended = storeCall(() -> finishNow(run, BackupStatus.CANCELLED, reason, 0L, fx));
                }
            }
            fx.run();
            if (ended != null && ended.status() == BackupStatus.BUILDING) {
                throw new BackupException(ErrorCode.BACKUP_NOT_FOUND,
                        "Backup " + backup.id() + " was not found in project " + backup.projectId() + ".");
            }
            if (ended != null) {
                return cancelResult(ended);
            }
            return cancelResult(find(backup.projectId(), backup.id()));
        }
        return cancelElsewhere(backup, reason);
    }

    private BackupRecord cancelResult(BackupRecord ended) {
        if (ended.status() == BackupStatus.CANCELLED) {
            return ended;
        }
        throw new BackupException(ErrorCode.BACKUP_STATUS_CONFLICT, "Backup " + ended.id() + " is "
                + ended.status() + "; only a BUILDING backup can be cancelled.");
    }

    /** Cancels a backup another replica (maybe a dead one) builds: it stops at its next write. */
    private BackupRecord cancelElsewhere(BackupRecord backup, BackupFailure reason) {
        BackupRecord current = backup;
        for (int round = 0; round < MAX_CAS_ROUNDS; round++) {
            if (current.status() != BackupStatus.BUILDING) {
                return cancelResult(current);
            }
            BackupRecord next = current.toBuilder()
                    .status(BackupStatus.CANCELLED)
                    .endTime(endTimeOf(current, s.clock().instant()))
                    .failure(reason)
                    .progress(null)
                    .lock(null)
                    .lease(null)
                    .build();
            long version = current.version();
            Optional<BackupRecord> stored = storeCall(() -> compareAndSet(next, version));
            if (stored.isPresent()) {
                BackupLock lock = current.lock();
                if (lock != null) {
                    releaseLock(current.id(), lock);
                }
                LOG.info("Backup {} cancelled (it was built by replica {})", current.id(),
                        current.lease() == null ? "none" : current.lease().owner());
                s.listeners().onCancelled(stored.get());
                return stored.get();
            }
            current = find(backup.projectId(), backup.id());
        }
        throw new BackupException(ErrorCode.CONCURRENT_MODIFICATION,
                "Backup " + backup.id() + " kept changing while being cancelled; try again.");
    }

    // ------------------------------------------------------------------------------------------------
    // Delete

    @Override
    public BackupRecord delete(String projectId, String backupId) {
        requireIds(projectId, backupId);
        return startDelete(find(projectId, backupId), true);
    }

    private BackupRecord startDelete(BackupRecord backup, boolean onRequest) {
        BackupRecord current = backup;
        for (int round = 0; round < MAX_CAS_ROUNDS; round++) {
            if (onRequest && current.type() != BackupType.MANUAL) {
                throw new BackupException(ErrorCode.BACKUP_TYPE_NOT_DELETABLE, "Backup " + current.id()
                        + " is an automated backup; only manual backups can be deleted. Automated backups "
                        + "follow the instance's backup policy.");
            }
            settleIfEndedElsewhere(current);
            if (current.status() == BackupStatus.DELETING) {
                return current;
            }
            if (!current.status().isDeletable()) {
                throw new BackupException(ErrorCode.BACKUP_STATUS_CONFLICT, "Backup " + current.id()
                        + " is still BUILDING; cancel it first, then delete it.");
            }
            if (onRequest) {
                BackupRecord asked = current;
                Optional<String> user;
                try {
                    user = s.engine().inUseBy(asked);
                } catch (RuntimeException e) {
                    LOG.warn("Asking whether backup {} is in use failed: {}", asked.id(), LogSafe.describe(e));
                    throw new BackupException(ErrorCode.SERVICE_UNAVAILABLE, "Could not check whether backup "
                            + asked.id() + " is in use; try again later.", e);
                }
                if (user != null && user.isPresent()) {
                    throw new BackupException(ErrorCode.BACKUP_IN_USE, "Backup " + asked.id() + " is in use by "
                            + LogSafe.escape(user.get()) + "; try again when that has finished.");
                }
            }
            BackupRecord next = current.toBuilder()
                    .status(BackupStatus.DELETING)
                    .failure(null)
                    .lease(newLease(s.clock().instant()))
                    .build();
            long version = current.version();
            Optional<BackupRecord> stored = storeCall(() -> compareAndSet(next, version));
            if (stored.isPresent()) {
                BackupRecord deleting = stored.get();
                LOG.info("Backup {} deleting", deleting.id());
                s.listeners().onDeleting(deleting);
                runDeletion(deleting);
                return deleting;
            }
            current = find(backup.projectId(), backup.id());
        }
        throw new BackupException(ErrorCode.CONCURRENT_MODIFICATION,
                "Backup " + backup.id() + " kept changing while being deleted; try again.");
    }

    private void runDeletion(BackupRecord deleting) {
        Deletion deletion = new Deletion(deleting);
        owned.put(deleting.id(), deletion);
        ensureRenewal();
        CompletionStage<Void> done;
        try {
            done = s.engine().deleteArtifact(deleting);
            if (done == null) {
                throw new IllegalStateException("the engine returned no delete stage");
            }
        } catch (RuntimeException e) {
            onArtifactDeleted(deletion, e);
            return;
        }
        done.whenComplete((ignored, failure) -> onArtifactDeleted(deletion, failure));
        synchronized (deletion) {
            if (deletion.done) {
                return;
            }
        }
        try {
            ScheduledTask deadline = s.scheduler().schedule(() -> onArtifactDeleted(deletion,
                    new java.util.concurrent.TimeoutException("no answer within " + s.stallTimeout())),
                    s.stallTimeout());
            synchronized (deletion) {
                if (deletion.done) {
                    deadline.cancel();
                } else {
                    deletion.deadline = deadline;
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Backup {}: no deadline for its deletion: {}", deletion.id, LogSafe.describe(e));
        }
    }

    private void onArtifactDeleted(Deletion deletion, Throwable failure) {
        Effects fx = new Effects();
        synchronized (deletion) {
            if (deletion.done) {
                return;
            }
            try {
                if (failure == null) {
                    removeRecord(deletion, fx);
                } else {
                    String message = "The stored backup data could not be deleted: " + LogSafe.describe(failure)
                            + "; delete the backup again to retry.";
                    BackupRecord failed = write(deletion, r -> r.toBuilder()
                            .status(BackupStatus.DELETE_FAILED)
                            .failure(new BackupFailure(ErrorCode.ARTIFACT_DELETE_FAILED, message))
                            .lease(null)
                            .build());
                    deletion.done = true;
                    owned.remove(deletion.id, deletion);
                    if (failed != null) {
                        LOG.warn("Backup {}: deleting its data failed", deletion.id);
                        fx.add(() -> s.listeners().onDeleteFailed(failed));
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("Backup {}: could not record the end of its deletion ({}); retrying", deletion.id,
                        LogSafe.describe(e));
                retryLater(deletion, () -> onArtifactDeleted(deletion, failure));
            }
            if (deletion.done) {
                cancel(deletion.deadline);
            }
        }
        fx.run();
    }

    /** Holding the deletion's monitor. */
    private void removeRecord(Deletion deletion, Effects fx) {
        for (int round = 0; round < MAX_CAS_ROUNDS; round++) {
            BackupRecord current = deletion.record;
            if (s.store().delete(current.id(), current.version())) {
                deletion.done = true;
                owned.remove(deletion.id, deletion);
                LOG.info("Backup {} deleted", deletion.id);
                fx.add(() -> s.listeners().onDeleted(current));
                return;
            }
            Optional<BackupRecord> fresh = s.store().find(deletion.id);
            if (fresh.isEmpty() || !deletion.stillOwns(fresh.get())) {
                deletion.done = true;
                owned.remove(deletion.id, deletion);
                return;
            }
            deletion.record = fresh.get();
        }
        throw new BackupException(ErrorCode.CONCURRENT_MODIFICATION,
                "Backup " + deletion.id + " kept changing while its record was being removed.");
    }

    @Override
    public List<DeleteOutcome> deleteAll(String projectId, List<String> backupIds) {
        List<Violation> violations = new ArrayList<>();
        checkId(violations, "projectId", projectId);
        if (backupIds == null) {
            violations.add(new Violation("backupIds", "NotNull", "must not be null"));
        } else {
            if (backupIds.isEmpty() || backupIds.size() > MAX_BATCH_DELETE) {
                violations.add(new Violation("backupIds", "Size", "must name 1 to " + MAX_BATCH_DELETE + " backups"));
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < backupIds.size(); i++) {
                String id = backupIds.get(i);
                checkId(violations, "backupIds[" + i + "]", id);
                if (id != null && !seen.add(id)) {
                    violations.add(new Violation("backupIds[" + i + "]", "DistinctElements",
                            "must not repeat an earlier id"));
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new BackupValidationException(violations);
        }
        List<DeleteOutcome> outcomes = new ArrayList<>(backupIds.size());
        for (String id : backupIds) {
            try {
                outcomes.add(DeleteOutcome.accepted(delete(projectId, id)));
            } catch (BackupException e) {
                outcomes.add(DeleteOutcome.refused(id, e));
            }
        }
        return outcomes;
    }

    // ------------------------------------------------------------------------------------------------
    // Instance deletion

    @Override
    public InstanceDeletionReport instanceDeleted(String projectId, String instanceId) {
        List<Violation> violations = new ArrayList<>(2);
        checkId(violations, "projectId", projectId);
        checkId(violations, "instanceId", instanceId);
        if (!violations.isEmpty()) {
            throw new BackupValidationException(violations);
        }
        List<BackupRecord> all = new ArrayList<>();
        BackupQuery page = BackupQuery.forInstance(projectId, instanceId).limit(BackupQuery.MAX_LIMIT).build();
        while (true) {
            BackupQuery query = page;
            BackupPage found = storeCall(() -> s.store().query(query));
            all.addAll(found.items());
            if (!found.hasMore() || found.items().isEmpty()) {
                break;
            }
            page = page.toBuilder().offset(page.offset() + found.items().size()).build();
        }
        List<String> cancelled = new ArrayList<>();
        List<String> deleting = new ArrayList<>();
        List<String> retained = new ArrayList<>();
        BackupFailure reason = new BackupFailure(ErrorCode.INSTANCE_DELETED,
                "The DB instance was deleted while the backup was running.");
        for (BackupRecord backup : all) {
            try {
                BackupRecord current = backup;
                if (current.status() == BackupStatus.BUILDING) {
                    try {
                        current = cancel(current, reason);
                        cancelled.add(current.id());
                    } catch (BackupException e) {
                        if (e.code() != ErrorCode.BACKUP_STATUS_CONFLICT) {
                            throw e;
                        }
                        current = find(projectId, current.id());
                    }
                }
                if (current.type() == BackupType.MANUAL) {
                    retained.add(current.id());
                } else {
                    startDelete(current, false);
                    deleting.add(current.id());
                }
            } catch (BackupException e) {
                if (e.code() != ErrorCode.BACKUP_NOT_FOUND) {
                    throw e;
                }
                LOG.debug("Backup {} disappeared while its instance was being deleted", backup.id());
            }
        }
        LOG.info("Instance {} of project {} deleted: {} backups cancelled, {} automated deleting, {} manual kept",
                instanceId, projectId, cancelled.size(), deleting.size(), retained.size());
        return new InstanceDeletionReport(projectId, instanceId, cancelled, deleting, retained);
    }

    // ------------------------------------------------------------------------------------------------
    // Recovery

    @Override
    public RecoveryReport recover() {
        Set<String> seen = new HashSet<>();
        List<String> failed = new ArrayList<>();
        List<String> resumed = new ArrayList<>();
        Instant now = s.clock().instant();
        while (true) {
            // Ask for enough to get past the records already handled (ours, or lost to a race).
            int limit = seen.size() + RECOVERY_BATCH;
            List<BackupRecord> expired = storeCall(() -> s.store().findExpiredLeases(now, limit));
            boolean progressed = false;
            for (BackupRecord backup : expired) {
                if (!seen.add(backup.id())) {
                    continue;
                }
                progressed = true;
                Work mine = owned.get(backup.id());
                if (mine instanceof Run run && backup.status() == BackupStatus.BUILDING
                        && run.phase != Phase.FINISHING) {
                    // Our own lease lapsed: renewals did not get through, so other replicas would call this
                    // work dead. Treat it the same way.
                    failInBackground(run, new BackupFailure(ErrorCode.INTERRUPTED, "The backup was interrupted: "
                            + "this replica could not renew its lease in time."));
                    failed.add(backup.id());
                } else if (mine != null) {
                    continue;
                } else if (backup.status() == BackupStatus.BUILDING) {
                    if (failInterrupted(backup, now)) {
                        failed.add(backup.id());
                    }
                } else if (backup.status() == BackupStatus.DELETING) {
                    if (resumeDeletion(backup, now)) {
                        resumed.add(backup.id());
                    }
                }
            }
            if (!progressed || expired.size() < limit) {
                break;
            }
        }
        if (!failed.isEmpty() || !resumed.isEmpty()) {
            LOG.info("Recovery by replica {}: {} interrupted backups failed, {} deletions resumed", s.replicaId(),
                    failed.size(), resumed.size());
        }
        return new RecoveryReport(failed, resumed);
    }

    private boolean failInterrupted(BackupRecord backup, Instant now) {
        String owner = backup.lease() == null ? "unknown" : backup.lease().owner();
        BackupRecord next = backup.toBuilder()
                .status(BackupStatus.FAILED)
                .endTime(endTimeOf(backup, now))
                .failure(new BackupFailure(ErrorCode.INTERRUPTED, "The backup was interrupted: control-plane "
                        + "replica " + owner + " stopped before it finished. Create a new backup."))
                .progress(null)
                .lock(null)
                .lease(null)
                .build();
        Optional<BackupRecord> stored = storeCall(() -> compareAndSet(next, backup.version()));
        if (stored.isEmpty()) {
            return false;
        }
        if (backup.lock() != null) {
            releaseLock(backup.id(), backup.lock());
        }
        LOG.warn("Backup {} failed: its replica {} stopped before it finished", backup.id(), owner);
        s.listeners().onFailed(stored.get());
        return true;
    }

    private boolean resumeDeletion(BackupRecord backup, Instant now) {
        BackupRecord next = backup.toBuilder().lease(newLease(now)).build();
        Optional<BackupRecord> stored = storeCall(() -> compareAndSet(next, backup.version()));
        if (stored.isEmpty()) {
            return false;
        }
        LOG.info("Backup {}: resuming the deletion that replica {} left", backup.id(),
                backup.lease() == null ? "unknown" : backup.lease().owner());
        runDeletion(stored.get());
        return true;
    }

    // ------------------------------------------------------------------------------------------------
    // Adapter calls that must never throw into the lifecycle

    private void releaseLock(String backupId, BackupLock lock) {
        try {
            s.probe().releaseLock(lock);
            LOG.debug("Backup {}: backup lock released", backupId);
        } catch (RuntimeException e) {
            LOG.warn("Backup {}: releasing the backup lock failed: {}", backupId, LogSafe.describe(e));
        }
    }

    private static void cancelJob(String backupId, CopyJob job) {
        try {
            job.cancel();
        } catch (RuntimeException e) {
            LOG.warn("Backup {}: cancelling the copy failed: {}", backupId, LogSafe.describe(e));
        }
    }

    private static void cancel(ScheduledTask task) {
        if (task != null) {
            task.cancel();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Work owned by this replica

    private enum Phase { VERIFYING, WAITING, STARTING, COPYING, FINISHING, DONE }

    /** Work this replica owns; guarded by its own monitor. */
    private abstract static class Work {
        final String id;
        BackupRecord record;
        BackupRecord lostTo;
        int storeFailures;

        Work(BackupRecord record) {
            this.id = record.id();
            this.record = record;
        }

        abstract boolean isDone();

        abstract boolean stillOwns(BackupRecord fresh);

        abstract void lost(Effects fx);
    }

    private final class Run extends Work {
        final InstanceInfo instance;
        final CompletableFuture<BackupRecord> completion = new CompletableFuture<>();
        Phase phase = Phase.VERIFYING;
        boolean done;
        int attempt;
        Instant firstAttemptAt;
        Instant copyStart;
        long tableCount;
        ScheduledTask retryTask;
        ScheduledTask timeoutTask;
        ScheduledTask stallTask;
        Instant lastProgressAt;
        CopyJob job;
        /** A lock an ending left for the starting thread to release (see {@code startCopy}). */
        BackupLock deferredLock;
        /** Locks this replica released before the record stopped holding them. */
        final Set<BackupLock> released = new HashSet<>(2);

        Run(BackupRecord record, InstanceInfo instance) {
            super(record);
            this.instance = instance;
            this.tableCount = instance.tableCount();
        }

        @Override
        boolean isDone() {
            return done;
        }

        @Override
        boolean stillOwns(BackupRecord fresh) {
            return fresh.status() == BackupStatus.BUILDING;
        }

        @Override
        void lost(Effects fx) {
            abandon(this, fx);
        }
    }

    private final class Deletion extends Work {
        boolean done;
        ScheduledTask deadline;

        Deletion(BackupRecord record) {
            super(record);
        }

        @Override
        boolean isDone() {
            return done;
        }

        @Override
        boolean stillOwns(BackupRecord fresh) {
            return fresh.status() == BackupStatus.DELETING && fresh.lease() != null
                    && fresh.lease().owner().equals(s.replicaId());
        }

        @Override
        void lost(Effects fx) {
            done = true;
            owned.remove(id, this);
            LOG.info("Backup {}: its deletion was taken over by another replica", id);
        }
    }
}
