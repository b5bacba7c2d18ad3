package dev.rdsbackup.coretests.reliability;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupListener;
import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.BackupType;
import dev.rdsbackup.api.DeleteOutcome;
import dev.rdsbackup.api.InstanceDeletionReport;
import dev.rdsbackup.api.Lease;
import dev.rdsbackup.api.RecoveryReport;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.coretests.reliability.FaultPlan.Mode;
import dev.rdsbackup.coretests.reliability.FaultPlan.Op;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.core.RetryPolicy;
import dev.rdsbackup.core.TaskScheduler;
import dev.rdsbackup.testkit.FakeBackupEngine;
import dev.rdsbackup.testkit.InMemoryBackupStore;
import dev.rdsbackup.testkit.ManualScheduler;
import dev.rdsbackup.testkit.ScriptedInstanceProbe;
import dev.rdsbackup.testkit.SettableClock;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * The system under test of the lifecycle state machine, with its model: two control-plane replicas of the
 * real core sharing one store, over the testkit's fakes in virtual time, with faults a test can inject.
 * Every operation checks that the service's answer agrees with the store as it was before and after;
 * {@link #checkInvariants()} checks what must hold after every step, and {@link #healAndSettle()} plus
 * {@link #checkSettled()} what must hold once every fault is gone and time has passed all deadlines.
 *
 * <p>Single-threaded and deterministic: every id, jitter and time comes from the world itself.
 */
final class World {
    /** Bootstrapping Bean Validation costs more than a whole sequence: one validator for every world. */
    static final Validator VALIDATOR = Validation.byProvider(HibernateValidator.class).configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    static final String PROJECT_A = "proj-a";
    static final String PROJECT_B = "proj-b";
    /** Three instances; the third has the same instance id as the first, in another project. */
    static final List<String[]> INSTANCES = List.of(
            new String[] {PROJECT_A, "inst-1"}, new String[] {PROJECT_A, "inst-2"}, new String[] {PROJECT_B, "inst-1"});
    /** Valid names (two differ only in case) and invalid ones (too short, Cyrillic 'а', starts with a digit). */
    static final List<String> NAMES = List.of("Daily", "daily", "Nightly", "Weekly-01", "pre_upgrade",
            "ab", "D\u0430ily", "1abc");
    static final Set<String> VALID_NAMES = Set.of("Daily", "daily", "Nightly", "Weekly-01", "pre_upgrade");
    static final List<String> DESCRIPTIONS = List.of("", "before the upgrade", "<b>x</b>");
    static final List<String> TOKENS = new ArrayList<>(java.util.Arrays.asList(null, "tok-1", "tok-2", "tok-3"));
    static final int QUOTA = 4;
    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(20);
    static final long DATA_SIZE = ScriptedInstanceProbe.DEFAULT_DATA_SIZE_BYTES;
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);
    /** The most two replicas' clocks disagree by, each way: a tenth of the lease. */
    static final Duration MAX_SKEW = LEASE.dividedBy(10);

    /** Kinds of scripted verification trouble. */
    enum ProbeFault { DDL, LOCK, UNREACHABLE, THROW, FAIL, HANG }

    final SettableClock clock = new SettableClock();
    final InMemoryBackupStore memory;
    final AuditingStore audit;
    final FaultPlan faults = new FaultPlan();
    final ScriptedInstanceProbe probe = new ScriptedInstanceProbe();
    final List<ScriptedInstanceProbe.Instance> instances = new ArrayList<>();
    final FakeBackupEngine engine = new FakeBackupEngine().holdCopies();
    final EventLog events = new EventLog();
    final Replica[] replicas = new Replica[2];
    final List<Replica> crashed = new ArrayList<>();
    /** Replicas closed and still handing their work over (their schedulers still run). */
    final List<Replica> closing = new ArrayList<>();
    /** Replicas whose close completed (their schedulers stopped, as their JVM exited). */
    final List<Replica> retired = new ArrayList<>();
    /** Which replica each backup lock was handed to (by lock token). */
    final Map<String, String> lockObtainedBy = new HashMap<>();
    final Set<String> deadReplicas = new HashSet<>();
    /** Replicas whose process is gone: crashed or closed. */
    final Set<String> exitedReplicas = new HashSet<>();
    /** Locks handed to a replica after its process was gone (a late answer to a dead session). */
    final Set<String> deadOnArrival = new HashSet<>();
    /** Whether a replica's clock was ever skewed. */
    boolean everSkewed;
    private long nextId;
    private int generation;

    // The model.
    final List<String> seenIds = new ArrayList<>();
    final Map<String, BackupRecord> completedManual = new HashMap<>();
    final Set<String> deleteRequested = new HashSet<>();
    final Set<String> inUse = new HashSet<>();
    final Set<Integer> removedInstances = new HashSet<>();
    final Map<String, Long> copied = new HashMap<>();
    final List<Handle> handles = new ArrayList<>();
    /** Backups a create (or a replay of one) answered as accepted. */
    final Set<String> answeredAsCreated = new HashSet<>();

    /** Which replica (the instance, not its id) answered each new backup as created, and so builds it. */
    private final Map<String, Replica> builtBy = new HashMap<>();
    /** Backups seen ended (COMPLETED, FAILED or CANCELLED) at some step. */
    final Set<String> everEnded = new HashSet<>();

    /**
     * One replica: a service with its own scheduler (strict: all work stays on the test thread), built
     * with {@code TaskScheduler.of}, and its own clock, which may be skewed.
     */
    static final class Replica {
        final String id;
        final ManualScheduler scheduler;
        final ReplicaScheduler sched;
        final SkewedClock clock;
        final DefaultBackupService service;

        Replica(String id, ReplicaScheduler sched, SkewedClock clock, DefaultBackupService service) {
            this.id = id;
            this.scheduler = sched.manual;
            this.sched = sched;
            this.clock = clock;
            this.service = service;
        }
    }

    /** A create's handle and the replica that answered it. */
    record Handle(Replica replica, BackupHandle handle) {
    }

    World() {
        this(false);
    }

    /**
     * @param versionIgnoringStore {@code true} to run on a deliberately broken store whose compare-and-set
     *     ignores the version (for the test of the test)
     */
    World(boolean versionIgnoringStore) {
        memory = versionIgnoringStore ? new VersionIgnoringStore() : new InMemoryBackupStore();
        audit = new AuditingStore(memory, clock, MAX_SKEW);
        for (String[] i : INSTANCES) {
            instances.add(probe.addInstance(i[0], i[1]));
        }
        replicas[0] = newReplica("replica-a", true);
        replicas[1] = newReplica("replica-b", false);
    }

    /**
     * @param twoExecutors whether the replica's scheduler is {@code TaskScheduler.of(executor, timer)}
     *     (replica A) or {@code TaskScheduler.of(scheduledExecutor)} (replica B)
     */
    private Replica newReplica(String id, boolean twoExecutors) {
        ReplicaScheduler sched = new ReplicaScheduler(ManualScheduler.strict(clock), twoExecutors);
        SkewedClock own = new SkewedClock(clock);
        DefaultBackupService service = DefaultBackupService.builder()
                .store(new FaultyStore(id, audit, faults))
                .probe(new ReplicaProbe(id, probe, lockObtainedBy, exitedReplicas, deadOnArrival))
                .engine(engine)
                .clock(own)
                .scheduler(sched.tasks)
                .listener(events.forReplica(id))
                .validator(VALIDATOR)
                .random(new SplittableRandom(id.hashCode()))
                .idGenerator(() -> "b" + (++nextId))
                .replicaId(id)
                .leaseDuration(LEASE)
                .shutdownGracePeriod(SHUTDOWN_GRACE)
                .verificationTimeout(VERIFY_TIMEOUT)
                .retryPolicy(RetryPolicy.builder().delay(Duration.ofSeconds(10)).build())
                .manualBackupQuota(QUOTA)
                .build();
        return new Replica(id, sched, own, service);
    }

    Replica replica(int slot) {
        return replicas[Math.floorMod(slot, replicas.length)];
    }

    @Override
    public String toString() {
        return "World[t=" + Duration.between(SettableClock.DEFAULT_START, clock.instant()) + ", records="
                + audit.all().stream().map(r -> r.id() + ":" + r.status()).toList() + ", " + faults + "]";
    }

    // --------------------------------------------------------------------------------------------
    // Operations: each calls the real service and checks its answer against the store.

    void create(int slot, int instance, int nameIndex, int descriptionIndex, int tokenIndex, boolean automated) {
        String[] target = INSTANCES.get(instance);
        String name = NAMES.get(nameIndex);
        String description = DESCRIPTIONS.get(descriptionIndex);
        String token = TOKENS.get(tokenIndex);
        BackupType type = automated ? BackupType.AUTOMATED : BackupType.MANUAL;
        BackupRequest request = BackupRequest.builder().projectId(target[0]).instanceId(target[1]).name(name)
                .description(description).clientToken(token).type(type).build();
        boolean valid = VALID_NAMES.contains(name) && !description.contains("<");
        List<BackupRecord> before = audit.all();
        Replica replica = replica(slot);
        boolean armed = armed(replica);
        long unknownBefore = unknownOutcomes();
        BackupHandle handle;
        try {
            handle = replica.service.create(request);
        } catch (BackupException e) {
            ErrorCode code = e.code();
            if (code == ErrorCode.SERVICE_UNAVAILABLE && unknownOutcomes() > unknownBefore) {
                checkAtMostItselfLeftBehind(before, request, e);
            } else {
                check(audit.all().equals(before), "a refused create changed the store: " + e);
            }
            if (!valid) {
                check(code == ErrorCode.INVALID_REQUEST, "an invalid create was refused with " + code);
                return;
            }
            switch (code) {
                case INSTANCE_NOT_FOUND -> check(removedInstances.contains(instance), "NOT_FOUND for a live instance");
                case BACKUP_NAME_EXISTS -> check(before.stream().anyMatch(r -> sameInstance(r, target)
                        && r.name().equals(name)), "NAME_EXISTS but no backup of the instance has that name");
                case BACKUP_IN_PROGRESS -> check(before.stream().anyMatch(r -> sameInstance(r, target)
                        && r.status() == BackupStatus.BUILDING), "IN_PROGRESS but nothing of the instance builds");
                case BACKUP_QUOTA_EXCEEDED -> check(type == BackupType.MANUAL && before.stream().filter(r ->
                        sameInstance(r, target) && r.type() == BackupType.MANUAL).count() >= QUOTA,
                        "QUOTA_EXCEEDED below the quota");
                case IDEMPOTENCY_CONFLICT -> check(token != null && before.stream().anyMatch(r ->
                        r.projectId().equals(target[0]) && token.equals(r.clientToken())),
                        "IDEMPOTENCY_CONFLICT for an unused token");
                case SERVICE_UNAVAILABLE -> check(armed, "SERVICE_UNAVAILABLE with no store fault armed");
                default -> throw new AssertionError("create refused with an unexpected " + e);
            }
            return;
        }
        check(valid, "an invalid create was accepted");
        BackupRecord answered = handle.backup();
        Optional<BackupRecord> prior = before.stream().filter(r -> r.id().equals(answered.id())).findFirst();
        if (prior.isPresent()) {
            check(token != null && token.equals(prior.get().clientToken()), "a create answered an older backup "
                    + "without its client token");
            // A replay on the replica building the record answers it as it is; any other adopts it.
            BackupRecord expected = adoptable(prior.get()) && builtBy.get(answered.id()) != replica
                    ? adopted(prior.get(), answered) : prior.get();
            check(expected.equals(answered), "a replayed create answered " + answered + ", not " + expected);
            check(audit.all().equals(before.stream().map(r -> r.id().equals(answered.id()) ? answered : r)
                    .toList()), "a replayed create changed the store beyond adopting its record");
        } else {
            check(answered.status() == BackupStatus.BUILDING && answered.version() == 0, "new backup " + answered);
            check(answered.name().equals(name) && answered.type() == type && sameInstance(answered, target)
                    && Objects.equals(answered.clientToken(), token), "the new backup differs from the request");
            check(!removedInstances.contains(instance), "a backup of a deleted instance was accepted");
            check(before.stream().noneMatch(r -> sameInstance(r, target) && r.name().equals(name)),
                    "a duplicate name was accepted");
            check(before.stream().noneMatch(r -> sameInstance(r, target) && r.status() == BackupStatus.BUILDING),
                    "a second active backup was accepted");
            Optional<BackupRecord> stored = audit.find(answered.id());
            boolean movedOn = unknownOutcomes() > unknownBefore && stored.isPresent()
                    && stored.get().version() > answered.version();
            check(movedOn || Optional.of(answered).equals(stored), "create answered " + answered
                    + " but the store holds " + stored);
            seenIds.add(answered.id());
            builtBy.put(answered.id(), replica);
        }
        handles.add(new Handle(replica, handle));
        answeredAsCreated.add(answered.id());
    }

    void cancel(int slot, int pick, boolean otherProject) {
        String id = pickId(pick);
        String project = projectFor(id, otherProject);
        Optional<BackupRecord> before = visible(id, project);
        boolean armed = armed(replica(slot));
        long unknownBefore = unknownOutcomes();
        BackupRecord answered;
        try {
            answered = replica(slot).service.cancel(project, id);
        } catch (BackupException e) {
            Optional<BackupRecord> after = visible(id, project);
            boolean landed = e.code() == ErrorCode.SERVICE_UNAVAILABLE && unknownOutcomes() > unknownBefore
                    && before.isPresent() && before.get().status() == BackupStatus.BUILDING && after.isPresent()
                    && after.get().status() == BackupStatus.CANCELLED;
            check(landed || after.equals(before), "a refused cancel changed the store: " + e);
            switch (e.code()) {
                case BACKUP_NOT_FOUND -> check(before.isEmpty(), "cancel said NOT_FOUND for a stored backup");
                case BACKUP_STATUS_CONFLICT -> check(before.isPresent()
                        && before.get().status() != BackupStatus.BUILDING
                        && before.get().status() != BackupStatus.CANCELLED, "cancel said STATUS_CONFLICT for "
                        + before);
                case SERVICE_UNAVAILABLE -> check(armed, "SERVICE_UNAVAILABLE with no store fault armed");
                default -> throw new AssertionError("cancel refused with an unexpected " + e);
            }
            return;
        }
        check(before.isPresent(), "cancelled a backup that is not stored");
        check(answered.status() == BackupStatus.CANCELLED, "cancel answered " + answered.status());
        if (before.get().status() == BackupStatus.CANCELLED) {
            check(answered.equals(before.get()), "cancelling a CANCELLED backup changed it");
        } else {
            check(before.get().status() == BackupStatus.BUILDING, "cancelled a " + before.get().status() + " backup");
        }
        check(sameEnding(answered, audit.find(id)), "cancel answered " + answered + " but the store holds "
                + audit.find(id));
    }

    /**
     * Whether the store still holds the ending that was answered: same status, end time and reason, at the
     * answered version or later (a lock or lease still held by the answer is cleared once its obligation is
     * done).
     */
    private static boolean sameEnding(BackupRecord answered, Optional<BackupRecord> now) {
        return now.isPresent() && now.get().status() == answered.status()
                && Objects.equals(now.get().endTime(), answered.endTime())
                && Objects.equals(now.get().failure(), answered.failure())
                && now.get().version() >= answered.version()
                && now.get().toBuilder().lock(answered.lock()).lease(answered.lease()).version(answered.version())
                        .build().equals(answered);
    }

    /** A create refused after a write or a hand-over of unknown outcome left at most its own record. */
    private void checkAtMostItselfLeftBehind(List<BackupRecord> before, BackupRequest request, BackupException e) {
        List<BackupRecord> after = audit.all();
        for (BackupRecord r : before) {
            boolean adopted = adoptable(r) && Objects.equals(r.clientToken(), request.clientToken())
                    && r.projectId().equals(request.projectId()) && after.stream().anyMatch(a -> a.id().equals(r.id())
                    && a.equals(adopted(r, a)));
            check(adopted || after.contains(r), "a refused create changed other records: " + e);
        }
        List<BackupRecord> kept = before.stream().map(r -> after.stream().filter(a -> a.id().equals(r.id()))
                .findFirst().orElse(r)).toList();
        List<BackupRecord> added = after.stream().filter(r -> !kept.contains(r)).toList();
        check(added.size() <= 1, "a refused create left " + added);
        for (BackupRecord r : added) {
            check(r.name().equals(request.name()) && r.instanceId().equals(request.instanceId())
                    && r.projectId().equals(request.projectId()) && r.type() == request.type()
                    && Objects.equals(r.clientToken(), request.clientToken()),
                    "a refused create left a record that is not its own: " + r);
            if (!seenIds.contains(r.id())) {
                seenIds.add(r.id());
            }
        }
    }

    /**
     * Whether a replay adopts the record: one still at version 0 and building may be an insert in doubt that
     * its creator is withdrawing, so the replay writes it again unchanged (its version moves by one) before
     * answering it, and the withdrawal can no longer remove it.
     */
    private static boolean adoptable(BackupRecord r) {
        return r.version() == 0 && r.status() == BackupStatus.BUILDING;
    }

    /**
     * The record an adoption of {@code prior} writes: the same, one version on, its lease's owner kept and
     * its expiry renewed (to whatever {@code written} holds, if that is later: the replaying replica's clock).
     */
    private static BackupRecord adopted(BackupRecord prior, BackupRecord written) {
        Lease lease = prior.lease();
        if (lease != null && written.lease() != null && written.lease().owner().equals(lease.owner())
                && !written.lease().expiresAt().isBefore(lease.expiresAt())) {
            lease = written.lease();
        }
        return prior.toBuilder().version(prior.version() + 1).lease(lease).build();
    }

    /** Whether a store fault or a refusal by the replica's scheduler is armed. */
    private boolean armed(Replica replica) {
        return faults.armed() || replica.sched.armed();
    }

    /** How many writes committed and then threw, and scheduler refusals, happened so far. */
    private long unknownOutcomes() {
        long refusals = 0;
        for (Replica r : everyReplica()) {
            refusals += r.sched.refusals();
        }
        return faults.committedThenThrew() + refusals;
    }

    void delete(int slot, int pick, boolean otherProject) {
        String id = pickId(pick);
        String project = projectFor(id, otherProject);
        Optional<BackupRecord> before = visible(id, project);
        boolean armed = armed(replica(slot));
        long unknownBefore = unknownOutcomes();
        BackupRecord answered;
        try {
            answered = replica(slot).service.delete(project, id);
        } catch (BackupException e) {
            boolean unknown = e.code() == ErrorCode.SERVICE_UNAVAILABLE && unknownOutcomes() > unknownBefore;
            // A delete that reads an ending of this replica's whose write was in doubt settles it first: the
            // ending's obligations may clear lock and lease (nothing else) before the delete answers 409.
            Optional<BackupRecord> after = visible(id, project);
            boolean obligationsRan = e.code() == ErrorCode.CONCURRENT_MODIFICATION && before.isPresent()
                    && after.isPresent() && after.get().toBuilder().lock(before.get().lock())
                    .lease(before.get().lease()).version(before.get().version()).build().equals(before.get());
            check(unknown && deletionMayHaveLanded(id, project, before) || obligationsRan || after.equals(before),
                    "a refused delete changed the store: " + e);
            checkDeleteRefusal(e, before, armed);
            return;
        }
        checkDeleteAccepted(id, before, answered);
    }

    /**
     * After a refused delete whose write may have landed: the backup is as it was, or being deleted, or
     * gone; either way its deletion counts as asked for.
     */
    private boolean deletionMayHaveLanded(String id, String project, Optional<BackupRecord> before) {
        Optional<BackupRecord> now = visible(id, project);
        boolean moved = now.isEmpty() || now.get().status() == BackupStatus.DELETING
                || now.get().status() == BackupStatus.DELETE_FAILED;
        if (moved && before.isPresent()) {
            deleteRequested.add(id);
        }
        return moved || now.equals(before);
    }

    private void checkDeleteRefusal(BackupException e, Optional<BackupRecord> before, boolean armed) {
        switch (e.code()) {
            case BACKUP_NOT_FOUND -> check(before.isEmpty(), "delete said NOT_FOUND for a stored backup");
            case BACKUP_TYPE_NOT_DELETABLE -> check(before.isPresent() && before.get().type() == BackupType.AUTOMATED,
                    "TYPE_NOT_DELETABLE for " + before);
            case BACKUP_STATUS_CONFLICT -> check(before.isPresent() && before.get().status() == BackupStatus.BUILDING,
                    "delete said STATUS_CONFLICT for " + before);
            case CONCURRENT_MODIFICATION -> check(before.isPresent() && before.get().status().isDeletable()
                    && before.get().lease() != null, "delete said CONCURRENT_MODIFICATION for " + before);
            case BACKUP_IN_USE -> check(before.isPresent() && inUse.contains(before.get().id()),
                    "IN_USE for a backup nothing uses");
            case SERVICE_UNAVAILABLE -> check(armed, "SERVICE_UNAVAILABLE with no store fault armed");
            default -> throw new AssertionError("delete refused with an unexpected " + e);
        }
    }

    private void checkDeleteAccepted(String id, Optional<BackupRecord> before, BackupRecord answered) {
        check(before.isPresent(), "deleted a backup that is not stored");
        BackupRecord was = before.get();
        check(was.type() == BackupType.MANUAL, "deleted an automated backup on request");
        check(was.status().isDeletable() || was.status() == BackupStatus.DELETING, "deleted a " + was.status()
                + " backup");
        check(!inUse.contains(id) || was.status() == BackupStatus.DELETING, "deleted a backup in use");
        check(answered.status() == BackupStatus.DELETING && answered.id().equals(id), "delete answered " + answered);
        Optional<BackupRecord> after = audit.find(id);
        check(after.isEmpty() || after.get().status() == BackupStatus.DELETING
                || after.get().status() == BackupStatus.DELETE_FAILED, "after an accepted delete the store holds "
                + after);
        deleteRequested.add(id);
    }

    void deleteAll(int slot, List<Integer> picks) {
        List<String> ids = picks.stream().map(this::pickId).toList();
        String project = ids.isEmpty() ? PROJECT_A : projectFor(ids.get(0), false);
        boolean invalid = ids.isEmpty() || ids.size() > 50 || new HashSet<>(ids).size() < ids.size();
        List<BackupRecord> before = audit.all();
        boolean armed = armed(replica(slot));
        long unknownBefore = unknownOutcomes();
        List<DeleteOutcome> outcomes;
        try {
            outcomes = replica(slot).service.deleteAll(project, ids);
        } catch (BackupException e) {
            check(invalid && e.code() == ErrorCode.INVALID_REQUEST, "deleteAll refused " + ids + ": " + e);
            check(audit.all().equals(before), "a refused deleteAll changed the store");
            return;
        }
        check(!invalid, "deleteAll accepted an invalid list " + ids);
        check(outcomes.size() == ids.size(), "deleteAll answered " + outcomes.size() + " outcomes for " + ids.size());
        for (int i = 0; i < ids.size(); i++) {
            DeleteOutcome outcome = outcomes.get(i);
            String id = ids.get(i);
            check(outcome.backupId().equals(id), "outcome " + i + " is for " + outcome.backupId());
            Optional<BackupRecord> was = before.stream().filter(r -> r.id().equals(id)
                    && r.projectId().equals(project)).findFirst();
            if (outcome.accepted()) {
                checkDeleteAccepted(id, was, outcome.backup());
            } else {
                if (outcome.error().code() == ErrorCode.SERVICE_UNAVAILABLE && unknownOutcomes() > unknownBefore) {
                    check(deletionMayHaveLanded(id, project, was), "a refused delete in a batch changed the store");
                }
                checkDeleteRefusal(outcome.error(), was, armed);
            }
        }
    }

    void instanceDeleted(int slot, int instance) {
        String[] target = INSTANCES.get(instance);
        probe.removeInstance(target[0], target[1]);
        removedInstances.add(instance);
        List<BackupRecord> before = audit.all().stream().filter(r -> sameInstance(r, target)).toList();
        boolean armed = armed(replica(slot));
        InstanceDeletionReport report;
        try {
            report = replica(slot).service.instanceDeleted(target[0], target[1]);
        } catch (BackupException e) {
            // Retryable either way: the store failed, or an automated backup it must delete has just ended and
            // still owes its lock or copy (its deletion waits for that).
            boolean owesWork = audit.all().stream().anyMatch(r -> sameInstance(r, target)
                    && r.type() == BackupType.AUTOMATED && r.status().isDeletable() && r.lease() != null);
            check(e.code() == ErrorCode.SERVICE_UNAVAILABLE && armed
                    || e.code() == ErrorCode.CONCURRENT_MODIFICATION && owesWork, "instanceDeleted threw " + e);
            return;
        }
        Set<String> manual = before.stream().filter(r -> r.type() == BackupType.MANUAL).map(BackupRecord::id)
                .collect(Collectors.toSet());
        Set<String> automated = before.stream().filter(r -> r.type() == BackupType.AUTOMATED)
                .map(BackupRecord::id).collect(Collectors.toSet());
        Set<String> building = before.stream().filter(r -> r.status() == BackupStatus.BUILDING)
                .map(BackupRecord::id).collect(Collectors.toSet());
        check(new HashSet<>(report.retained()).equals(manual), "retained " + report.retained() + ", manual were "
                + manual);
        check(new HashSet<>(report.deleting()).equals(automated), "deleting " + report.deleting()
                + ", automated were " + automated);
        check(new HashSet<>(report.cancelled()).equals(building), "cancelled " + report.cancelled()
                + ", building were " + building);
        for (BackupRecord was : before) {
            Optional<BackupRecord> now = audit.find(was.id());
            if (was.type() == BackupType.MANUAL) {
                check(now.isPresent(), "manual backup " + was.id() + " was lost with its instance");
                BackupStatus expected = was.status() == BackupStatus.BUILDING ? BackupStatus.CANCELLED : was.status();
                check(now.get().status() == expected, "manual backup " + was.id() + " went " + was.status()
                        + " -> " + now.get().status() + " with its instance");
            }
        }
        check(audit.all().stream().noneMatch(r -> sameInstance(r, target) && r.status() == BackupStatus.BUILDING),
                "a backup of a deleted instance is still building");
    }

    void recover(int slot) {
        boolean armed = armed(replica(slot));
        RecoveryReport report;
        try {
            report = replica(slot).service.recover();
        } catch (BackupException e) {
            check(e.code() == ErrorCode.SERVICE_UNAVAILABLE && armed, "recover threw " + e);
            return;
        }
        advance(Duration.ZERO);
        Invariants.reconciled(this);
        for (String id : report.failed()) {
            Optional<BackupRecord> now = audit.find(id);
            check(now.isPresent() && now.get().status() == BackupStatus.FAILED
                    && now.get().failure().code() == ErrorCode.INTERRUPTED, "recovery failed " + id + " but it is "
                    + now);
        }
    }

    /**
     * The second replica dies: its timers and queued work are lost; adapters' answers still reach its
     * objects (a partitioned zombie), but nothing it hands to its scheduler runs any more.
     */
    void crash() {
        Replica dead = replicas[1];
        dead.sched.stop();
        deadReplicas.add(dead.id);
        exitedReplicas.add(dead.id);
        crashed.add(dead);
        replicas[1] = newReplica("replica-b" + (++generation + 1), false);
    }

    /** Moves virtual time, running every live replica's due work in due order. */
    void advance(Duration amount) {
        Instant target = clock.instant().plus(amount);
        for (int guard = 0; ; guard++) {
            check(guard < 100_000, "background work keeps rescheduling itself");
            ManualScheduler next = null;
            Instant due = null;
            retireClosed();
            for (Replica r : running()) {
                Optional<Instant> d = r.scheduler.nextDueTime();
                if (d.isPresent() && !d.get().isAfter(target) && (due == null || d.get().isBefore(due))) {
                    due = d.get();
                    next = r.scheduler;
                }
            }
            if (next == null) {
                break;
            }
            try {
                next.advanceTo(due);
            } catch (RuntimeException e) {
                throw new AssertionError("a background task of the service threw", e);
            }
        }
        clock.advanceTo(target);
        retireClosed();
    }

    /** The replicas whose schedulers run: the two live ones and those still closing. */
    List<Replica> running() {
        List<Replica> all = new ArrayList<>(java.util.Arrays.asList(replicas));
        all.addAll(closing);
        return all;
    }

    /** Every replica the world ever had. */
    List<Replica> everyReplica() {
        List<Replica> all = running();
        all.addAll(crashed);
        all.addAll(retired);
        return all;
    }

    /**
     * A replica shuts down: {@code close()}; a create on it is then refused (503, retryable) and stores
     * nothing; its scheduler keeps running until {@code closed()} completes (work in flight may finish within
     * the grace period, the rest is handed over), then stops. A new replica takes its slot.
     */
    void close(int slot) {
        int index = Math.floorMod(slot, replicas.length);
        Replica leaving = replicas[index];
        leaving.service.close();
        List<BackupRecord> before = audit.all();
        try {
            leaving.service.create(BackupRequest.builder().projectId(PROJECT_A).instanceId("inst-1").name("Daily")
                    .build());
            throw new AssertionError("a closed replica accepted a create");
        } catch (BackupException e) {
            check(e.code() == ErrorCode.SERVICE_UNAVAILABLE && e.retryable(), "a closed replica refused a create "
                    + "with " + e);
            check(audit.all().equals(before), "a create refused by a closed replica changed the store");
        }
        closing.add(leaving);
        replicas[index] = newReplica(leaving.id + "-" + (++generation), leaving.sched.twoExecutors);
        retireClosed();
    }

    private void retireClosed() {
        for (Replica r : List.copyOf(closing)) {
            if (r.service.closed().toCompletableFuture().isDone()) {
                closing.remove(r);
                r.sched.stop();
                retired.add(r);
                exitedReplicas.add(r.id);
            }
        }
    }

    void probeFault(int instance, ProbeFault fault, int n) {
        ScriptedInstanceProbe.Instance i = instances.get(instance);
        switch (fault) {
            case DDL -> i.ddlRunningFor(n);
            case LOCK -> i.lockUnavailableFor(n);
            case UNREACHABLE -> i.unreachableFor(n);
            case THROW -> i.verifyThrowsFor(n);
            case FAIL -> i.verifyFailsFor(n);
            case HANG -> i.hangFor(n);
        }
    }

    void resolveHung(boolean verified) {
        if (verified) {
            probe.completeHungVerifications();
        } else {
            probe.failHungVerifications(new IllegalStateException("injected: verification failed late"));
        }
    }

    void copy(int pick, String how) {
        List<String> running = new ArrayList<>(new TreeSet<>(engine.runningCopies()));
        if (running.isEmpty()) {
            return;
        }
        String id = running.get(Math.floorMod(pick, running.size()));
        switch (how) {
            case "complete" -> engine.complete(id);
            case "fail" -> engine.fail(id, new IllegalStateException("injected: copy failed"));
            default -> engine.progress(id, copied.merge(id, DATA_SIZE / 4, Long::sum));
        }
    }

    void setInUse(int pick, boolean used) {
        String id = pickId(pick);
        engine.setInUse(id, used ? "restore job 7" : null);
        if (used) {
            inUse.add(id);
        } else {
            inUse.remove(id);
        }
    }

    void storeFault(Op op, Mode mode, int n) {
        faults.arm(op, mode, n);
    }

    /** The replica's scheduler refuses the next {@code n} submissions, or hand-overs of due tasks. */
    void schedulerFault(int slot, boolean whenDue, int n) {
        ReplicaScheduler sched = replica(slot).sched;
        if (whenDue) {
            sched.refuseWhenDue(n);
        } else {
            sched.refuseSubmissions(n);
        }
    }

    /** Sets the replica's clock ahead of (or behind) the world's by at most {@link #MAX_SKEW}. */
    void skew(int slot, Duration offset) {
        check(offset.abs().compareTo(MAX_SKEW) <= 0, "skew beyond the tenth of the lease: " + offset);
        replica(slot).clock.offset(offset);
        everSkewed |= !offset.isZero();
    }

    /**
     * Whether the sequence had any fault after which a lock may be released twice (at least once, never
     * leaked): a store fault, a scheduler refusal or skewed clocks. Without one, exactly once.
     */
    boolean hadFaults() {
        return faults.everArmed() || everSkewed || everyReplica().stream().anyMatch(r -> r.sched.everRefused());
    }

    /** Whether some live replica has work due now (an adapter's answer handed over and not yet handled). */
    boolean workDueNow() {
        Instant now = clock.instant();
        for (Replica r : running()) {
            Optional<Instant> due = r.scheduler.nextDueTime();
            if (due.isPresent() && !due.get().isAfter(now)) {
                return true;
            }
        }
        return false;
    }

    // --------------------------------------------------------------------------------------------
    // Invariants (see Invariants)

    /** What must hold after every step. */
    void checkInvariants() {
        Invariants.afterEveryStep(this);
    }

    /** Removes every fault, then lets time pass every deadline (with recovery runs) until all work ends. */
    void healAndSettle() {
        faults.clear();
        events.throwing = EventLog.Throwing.NOTHING;
        for (Replica r : replicas) {
            r.sched.heal();
        }
        instances.forEach(ScriptedInstanceProbe.Instance::clearScript);
        engine.completeCopiesAtOnce().failNextCopies(0).failNextDeletes(0);
        for (String id : Set.copyOf(inUse)) {
            engine.setInUse(id, null);
        }
        inUse.clear();
        for (int round = 0; round < 4; round++) {
            probe.completeHungVerifications();
            engine.completeAll();
            advance(Duration.ofHours(1));
            replicas[round % 2].service.recover();
            advance(Duration.ofHours(1));
        }
    }

    /** What must hold once faults are healed and time passed every deadline. */
    void checkSettled() {
        Invariants.settled(this);
    }

    // --------------------------------------------------------------------------------------------

    private String pickId(int pick) {
        if (pick < 0 || seenIds.isEmpty()) {
            return "no-such-backup";
        }
        return seenIds.get(pick % seenIds.size());
    }

    private String projectFor(String id, boolean other) {
        String owner = audit.find(id).map(BackupRecord::projectId).orElse(PROJECT_A);
        if (!other) {
            return owner;
        }
        return owner.equals(PROJECT_A) ? PROJECT_B : PROJECT_A;
    }

    private Optional<BackupRecord> visible(String id, String project) {
        return audit.find(id).filter(r -> r.projectId().equals(project));
    }

    private static boolean sameInstance(BackupRecord r, String[] target) {
        return r.projectId().equals(target[0]) && r.instanceId().equals(target[1]);
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new LinkedHashSet<>(a);
        d.removeAll(b);
        return d;
    }

    static void check(boolean condition, String violation) {
        if (!condition) {
            throw new AssertionError(violation);
        }
    }

    static void check(boolean condition, Supplier<String> violation) {
        if (!condition) {
            throw new AssertionError(violation.get());
        }
    }

    /** A deliberately broken store: compare-and-set and delete ignore the expected version. */
    static final class VersionIgnoringStore extends InMemoryBackupStore {
        @Override
        public Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
            Optional<BackupRecord> current = find(next.id());
            return current.isEmpty() ? Optional.empty() : super.compareAndSet(next, current.get().version());
        }

        @Override
        public boolean delete(String backupId, long expectedVersion) {
            Optional<BackupRecord> current = find(backupId);
            return current.isPresent() && super.delete(backupId, current.get().version());
        }
    }
}
