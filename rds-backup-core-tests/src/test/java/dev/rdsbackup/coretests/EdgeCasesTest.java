package dev.rdsbackup.coretests;

import static dev.rdsbackup.coretests.Harness.INSTANCE;
import static dev.rdsbackup.coretests.Harness.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupListener;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.BackupValidationException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.api.error.Violation;
import dev.rdsbackup.api.spi.BackupEngine;
import dev.rdsbackup.api.spi.CopyJob;
import dev.rdsbackup.api.spi.CopyProgress;
import dev.rdsbackup.api.spi.CopyRequest;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.core.TaskScheduler;
import dev.rdsbackup.testkit.ForwardingBackupStore;
import dev.rdsbackup.testkit.ManualScheduler;
import dev.rdsbackup.testkit.SettableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Interleavings and failures found in review, each kept as a regression test. */
@DisplayName("Edge cases")
class EdgeCasesTest {

    /** An engine that records copies started under a lock the probe no longer holds. */
    private static BackupEngine lockCheckingEngine(Harness[] h, List<String> startedUnlocked) {
        return new BackupEngine() {
            @Override
            public CopyJob startCopy(CopyRequest request, Consumer<CopyProgress> progress) {
                if (!h[0].probe.heldLocks().contains(request.lock())) {
                    startedUnlocked.add(request.backupId());
                }
                return h[0].engine.startCopy(request, progress);
            }

            @Override
            public java.util.concurrent.CompletionStage<Void> stopCopy(BackupRecord backup) {
                return h[0].engine.stopCopy(backup);
            }

            @Override
            public CompletionStage<Void> deleteArtifact(BackupRecord backup) {
                return h[0].engine.deleteArtifact(backup);
            }
        };
    }

    @Test
    @DisplayName("a cancel between verification and the copy's start means the engine is never started")
    void cancelBeforeCopyStarts() {
        AtomicReference<DefaultBackupService> service = new AtomicReference<>();
        List<String> startedUnlocked = new ArrayList<>();
        Harness[] hh = new Harness[1];
        Harness h = new Harness(b -> b.listener(new BackupListener() {
            @Override
            public void onCopyStarted(BackupRecord backup) {
                service.get().cancel(backup.projectId(), backup.id());
            }
        }).engine(lockCheckingEngine(hh, startedUnlocked)));
        hh[0] = h;
        service.set(h.service);
        h.engine.holdCopies();
        BackupHandle handle = h.create("Nightly");
        h.settle();
        assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.CANCELLED);
        assertThat(startedUnlocked).isEmpty();
        assertThat(h.engine.copyRequests()).isEmpty();
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("a cancel from a replica whose clock lags the creator's records the begin time as end time")
    void laggingClock() {
        Harness h = new Harness();
        h.engine.holdCopies();
        BackupHandle handle = h.create("Nightly");
        h.settle();
        SettableClock lagging = new SettableClock(h.clock.instant().minusMillis(50));
        DefaultBackupService other = h.baseBuilder("replica-b", ManualScheduler.strict(lagging)).clock(lagging)
                .build();
        BackupRecord cancelled = other.cancel(PROJECT, handle.backupId());
        assertThat(cancelled.status()).isEqualTo(BackupStatus.CANCELLED);
        assertThat(cancelled.endTime()).isEqualTo(cancelled.beginTime());
    }

    @Test
    @DisplayName("a lock write that commits and then throws, with a cancel from another replica in between,"
            + " still releases the lock once")
    void ambiguousLockWrite() {
        Harness h = new Harness();
        DefaultBackupService other = h.baseBuilder("replica-b", ManualScheduler.strict(h.clock)).build();
        ForwardingBackupStore faulty = commitsThenThrows(h, next -> next.lock() != null,
                next -> other.cancel(next.projectId(), next.id()));
        DefaultBackupService a = h.baseBuilder("replica-a2", h.scheduler).store(faulty).build();
        h.engine.holdCopies();
        BackupHandle handle = a.create(Harness.request("Nightly").build());
        h.settle();
        h.advance(Duration.ofMinutes(5));
        h.probe.assertEveryLockReleasedExactlyOnce();
        assertThat(h.engine.copyRequests()).isEmpty();
        assertThat(handle.completion().toCompletableFuture()).isCompletedWithValueMatching(
                r -> r.status() == BackupStatus.CANCELLED);
    }

    @Test
    @DisplayName("a lock write that commits and then throws, alone, goes on copying with the lock it holds")
    void ambiguousLockWriteThatLanded() {
        Harness h = new Harness();
        ForwardingBackupStore faulty = commitsThenThrows(h, next -> next.lock() != null, next -> { });
        DefaultBackupService a = h.baseBuilder("replica-a2", h.scheduler).store(faulty).build();
        BackupHandle handle = a.create(Harness.request("Nightly").build());
        h.settle();
        assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.COMPLETED);
        assertThat(h.probe.verificationCount()).isEqualTo(1);
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("a lock that could not be recorded because the backup was ended elsewhere is released even"
            + " when the store then fails to read it back")
    void lockWriteRefusedThenReadFails() {
        Harness h = new Harness();
        boolean[] failNextFind = {false};
        ForwardingBackupStore flaky = new ForwardingBackupStore(h.store) {
            @Override
            public Optional<BackupRecord> find(String backupId) {
                if (failNextFind[0]) {
                    failNextFind[0] = false;
                    throw new IllegalStateException("store briefly unreachable");
                }
                return super.find(backupId);
            }
        };
        DefaultBackupService a = h.baseBuilder("replica-a2", h.scheduler).store(flaky).build();
        DefaultBackupService b = h.baseBuilder("replica-b", ManualScheduler.strict(h.clock)).build();
        h.probe.instance(PROJECT, INSTANCE).hangFor(1);
        BackupHandle handle = a.create(Harness.request("Nightly").build());
        h.settle();
        b.cancel(PROJECT, handle.backupId());
        b.delete(PROJECT, handle.backupId());
        failNextFind[0] = true;
        h.probe.completeHungVerifications();
        h.advance(Duration.ofMinutes(5));
        h.probe.assertEveryLockReleasedExactlyOnce();
        assertThat(h.probe.heldLocks()).isEmpty();
        assertThat(handle.completion().toCompletableFuture()).isCompletedExceptionally();
    }

    @Nested
    @DisplayName("a scheduler that refuses work")
    class RefusingScheduler {
        private final Harness h = new Harness();

        private TaskScheduler refusingDelays(int refusals) {
            int[] left = {refusals};
            return new TaskScheduler() {
                @Override
                public void execute(Runnable task) {
                    h.scheduler.execute(task);
                }

                @Override
                public ScheduledTask schedule(Runnable task, Duration delay) {
                    if (left[0]-- > 0) {
                        throw new RejectedExecutionException("pool saturated");
                    }
                    return h.scheduler.schedule(task, delay);
                }
            };
        }

        @Test
        @DisplayName("for the lease renewal does not stop a backup (an expired lease is left to recovery)")
        void refusedRenewal() {
            DefaultBackupService s = h.baseBuilder("replica-x", h.scheduler).scheduler(refusingDelays(1)).build();
            BackupHandle handle = s.create(Harness.request("Nightly").build());
            h.advance(Duration.ofDays(1));
            assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.COMPLETED);
            h.probe.assertEveryLockReleasedExactlyOnce();
        }

        @Test
        @DisplayName("for a verification deadline schedules it again on the lease tick instead of leaving it BUILDING")
        void refusedVerificationDeadline() {
            h.probe.instance(PROJECT, INSTANCE).hangFor(1);
            DefaultBackupService s = h.baseBuilder("replica-x", h.scheduler).scheduler(refusingDelays(2)).build();
            BackupHandle handle = s.create(Harness.request("Nightly").build());
            h.advance(Duration.ofDays(1));
            BackupRecord last = h.stored(handle.backupId());
            assertThat(last.status()).as("the deadline fired, the retry verified and copied")
                    .isEqualTo(BackupStatus.COMPLETED);
            assertThat(h.probe.verificationCount()).isEqualTo(2);
            h.probe.completeHungVerifications();
            h.settle(); // the probe's answer is handed to the service's scheduler
            h.probe.assertEveryLockReleasedExactlyOnce();
        }

        @Test
        @DisplayName("for a retry schedules it again on the lease tick instead of leaving it waiting")
        void refusedRetry() {
            h.probe.instance(PROJECT, INSTANCE).ddlRunningFor(1);
            // Refused: the first two delayed tasks (the reconciler timer, then the verification deadline or
            // the retry after the DDL answer).
            DefaultBackupService s = h.baseBuilder("replica-x", h.scheduler).scheduler(refusingDelays(2)).build();
            BackupHandle handle = s.create(Harness.request("Nightly").build());
            h.advance(Duration.ofDays(1));
            BackupRecord last = h.stored(handle.backupId());
            assertThat(last.status()).isEqualTo(BackupStatus.COMPLETED);
            assertThat(h.probe.verificationCount()).isEqualTo(2);
        }
    }

    @Nested
    @DisplayName("an engine that never answers")
    class HungEngine {
        private final Harness h = new Harness(b -> b.stallTimeout(Duration.ofMinutes(30)));

        @Test
        @DisplayName("fails the copy after the stall timeout without progress, stops it and releases the lock")
        void stalledCopy() {
            h.engine.holdCopies();
            BackupHandle handle = h.create("Nightly");
            h.settle();
            h.advance(Duration.ofMinutes(20));
            h.engine.progress(handle.backupId(), 1_000);
            h.advance(Duration.ofMinutes(29));
            assertThat(h.stored(handle.backupId()).status()).as("progress moved the deadline")
                    .isEqualTo(BackupStatus.BUILDING);
            h.advance(Duration.ofMinutes(1));
            BackupRecord failed = h.stored(handle.backupId());
            assertThat(failed.status()).isEqualTo(BackupStatus.FAILED);
            assertThat(failed.failure().code()).isEqualTo(ErrorCode.ENGINE_FAILED);
            assertThat(h.engine.cancelCount(handle.backupId())).isEqualTo(1);
            h.probe.assertEveryLockReleasedExactlyOnce();
        }

        @Test
        @DisplayName("leaves a delete that gets no answer DELETE_FAILED after the stall timeout")
        void stalledDelete() {
            String id = h.create("Nightly").backupId();
            h.settle();
            DefaultBackupService s = h.baseBuilder("replica-d", h.scheduler).stallTimeout(Duration.ofMinutes(30))
                    .engine(new BackupEngine() {
                        @Override
                        public CopyJob startCopy(CopyRequest request, Consumer<CopyProgress> progress) {
                            return h.engine.startCopy(request, progress);
                        }

                        @Override
                        public java.util.concurrent.CompletionStage<Void> stopCopy(BackupRecord backup) {
                            return h.engine.stopCopy(backup);
                        }

                        @Override
                        public CompletionStage<Void> deleteArtifact(BackupRecord backup) {
                            return new CompletableFuture<>();
                        }
                    }).build();
            s.delete(PROJECT, id);
            h.advance(Duration.ofMinutes(30));
            BackupRecord failed = h.stored(id);
            assertThat(failed.status()).isEqualTo(BackupStatus.DELETE_FAILED);
            assertThat(failed.failure().code()).isEqualTo(ErrorCode.ARTIFACT_DELETE_FAILED);
        }
    }

    @Test
    @DisplayName("create(null) is a 400 naming the request")
    void createNull() {
        Harness h = new Harness();
        assertThatThrownBy(() -> h.service.create(null))
                .isInstanceOfSatisfying(BackupValidationException.class, e -> assertThat(e.violations())
                        .extracting(Violation::field).containsExactly("request"));
    }

    @Test
    @DisplayName("an id generator that returns a malformed id is reported as a configuration error, nothing stored")
    void badIdGenerator() {
        Harness h = new Harness();
        DefaultBackupService s = h.baseBuilder("replica-x", h.scheduler).idGenerator(() -> "bad id").build();
        assertThatThrownBy(() -> s.create(Harness.request("Nightly").build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("idGenerator");
        assertThat(h.store.all()).isEmpty();
    }

    @Test
    @DisplayName("the manual-backup quota holds when a backup finishes between the check and the create")
    void quotaRecheckedAfterCreate() {
        Harness h = new Harness(b -> b.manualBackupQuota(1));
        Harness[] hh = {h};
        // A store that lets another backup of the instance be stored right after the quota was counted.
        ForwardingBackupStore racing = new ForwardingBackupStore(h.store) {
            private boolean once = true;

            @Override
            public dev.rdsbackup.api.BackupPage query(dev.rdsbackup.api.BackupQuery query) {
                dev.rdsbackup.api.BackupPage page = super.query(query);
                if (once) {
                    once = false;
                    // Another replica's backup of the instance is stored and completes right now.
                    hh[0].store.create(BackupRecord.builder().id("sneaky-1").projectId(PROJECT)
                            .instanceId(INSTANCE).name("Sneaky").status(BackupStatus.COMPLETED)
                            .datastore(new dev.rdsbackup.api.Datastore("MySQL", "8.0"))
                            .beginTime(hh[0].clock.instant()).endTime(hh[0].clock.instant()).build());
                }
                return page;
            }
        };
        DefaultBackupService s = h.baseBuilder("replica-q", h.scheduler).manualBackupQuota(1).store(racing).build();
        assertThatThrownBy(() -> s.create(Harness.request("Second").build()))
                .isInstanceOfSatisfying(BackupException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKUP_QUOTA_EXCEEDED));
        assertThat(h.store.all()).extracting(BackupRecord::name).containsExactly("Sneaky");
    }

    @Test
    @DisplayName("recovery reaches orphans beyond a first batch of records it must skip")
    void recoveryPagesPastSkippedRecords() {
        Harness h = new Harness(b -> b.leaseDuration(Duration.ofMinutes(3)));
        ManualScheduler deadScheduler = ManualScheduler.strict(h.clock);
        DefaultBackupService dead = h.baseBuilder("replica-dead", deadScheduler)
                .leaseDuration(Duration.ofMinutes(3)).build();
        h.engine.holdCopies();
        for (int i = 0; i < 120; i++) {
            h.probe.addInstance(PROJECT, "orphan-" + i);
            dead.create(Harness.request("Nightly").instanceId("orphan-" + i).build());
        }
        deadScheduler.runPending();
        h.advance(Duration.ofMinutes(4));
        assertThat(h.service.recover().failed()).hasSize(120);
        assertThat(h.store.all()).allMatch(r -> r.status() == BackupStatus.FAILED);
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    /**
     * A store whose first compare-and-set of a record matching {@code which} commits, runs
     * {@code meanwhile}, and then throws (a connection lost during the commit).
     */
    private static ForwardingBackupStore commitsThenThrows(Harness h,
            java.util.function.Predicate<BackupRecord> which,
            Consumer<BackupRecord> meanwhile) {
        return new ForwardingBackupStore(h.store) {
            private boolean once = true;

            @Override
            public Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
                Optional<BackupRecord> stored = super.compareAndSet(next, expectedVersion);
                if (once && which.test(next)) {
                    once = false;
                    meanwhile.accept(next);
                    throw new IllegalStateException("connection lost during commit");
                }
                return stored;
            }
        };
    }

    private static TaskScheduler refusingEverything() {
        return new TaskScheduler() {
            @Override
            public void execute(Runnable task) {
                throw new RejectedExecutionException("shut down");
            }

            @Override
            public ScheduledTask schedule(Runnable task, Duration delay) {
                throw new RejectedExecutionException("shut down");
            }
        };
    }

    @Nested
    @DisplayName("found in a second review")
    class SecondReview {

        @Test
        @DisplayName("an ending write that commits and then throws still releases the lock, once")
        void endingWriteLandedThenThrew() {
            Harness h = new Harness();
            DefaultBackupService a = h.baseBuilder("replica-a2", h.scheduler)
                    .store(commitsThenThrows(h, r -> r.status() == BackupStatus.COMPLETED, r -> { })).build();
            h.engine.holdCopies();
            BackupHandle handle = a.create(Harness.request("Nightly").build());
            h.settle();
            h.engine.complete(handle.backupId());
            h.advance(Duration.ofMinutes(5));
            assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.COMPLETED);
            assertThat(handle.completion().toCompletableFuture()).isCompletedWithValueMatching(
                    r -> r.status() == BackupStatus.COMPLETED);
            h.probe.assertEveryLockReleasedExactlyOnce();
        }

        @Test
        @DisplayName("a cancel whose write commits and then throws answers CANCELLED and releases the lock once")
        void cancelWriteLandedThenThrew() {
            Harness h = new Harness();
            DefaultBackupService a = h.baseBuilder("replica-a2", h.scheduler)
                    .store(commitsThenThrows(h, r -> r.status() == BackupStatus.CANCELLED, r -> { })).build();
            h.engine.holdCopies();
            BackupHandle handle = a.create(Harness.request("Nightly").build());
            h.settle();
            assertThat(a.cancel(PROJECT, handle.backupId()).status()).isEqualTo(BackupStatus.CANCELLED);
            h.advance(Duration.ofMinutes(5));
            h.probe.assertEveryLockReleasedExactlyOnce();
        }

        @Test
        @DisplayName("a lock write that did not land, with a cancel and a delete elsewhere meanwhile, releases the lock")
        void lockWriteNotLandedThenRecordMovedOn() {
            Harness h = new Harness();
            BackupEngine hangingDeletes = new BackupEngine() {
                @Override
                public CopyJob startCopy(CopyRequest request, Consumer<CopyProgress> progress) {
                    return h.engine.startCopy(request, progress);
                }

                @Override
                public java.util.concurrent.CompletionStage<Void> stopCopy(BackupRecord backup) {
                    return h.engine.stopCopy(backup);
                }

                @Override
                public CompletionStage<Void> deleteArtifact(BackupRecord backup) {
                    return new CompletableFuture<>();
                }
            };
            DefaultBackupService b = h.baseBuilder("replica-b", ManualScheduler.strict(h.clock))
                    .engine(hangingDeletes).build();
            ForwardingBackupStore notLanded = new ForwardingBackupStore(h.store) {
                private boolean once = true;

                @Override
                public Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
                    if (once && next.lock() != null) {
                        once = false;
                        b.cancel(next.projectId(), next.id());
                        b.delete(next.projectId(), next.id());
                        throw new IllegalStateException("timeout; the write did not land");
                    }
                    return super.compareAndSet(next, expectedVersion);
                }
            };
            DefaultBackupService a = h.baseBuilder("replica-a2", h.scheduler).store(notLanded).build();
            a.create(Harness.request("Nightly").build());
            h.settle();
            assertThat(h.probe.heldLocks()).isEmpty();
            h.probe.assertEveryLockReleasedExactlyOnce();
        }

        @Test
        @DisplayName("progress reported while the engine starts, after a cancel elsewhere, still stops the copy")
        void progressDuringStartAfterRemoteCancel() {
            Harness h = new Harness();
            DefaultBackupService b = h.baseBuilder("replica-b", ManualScheduler.strict(h.clock)).build();
            java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
            BackupEngine inline = new BackupEngine() {
                @Override
                public CopyJob startCopy(CopyRequest request, Consumer<CopyProgress> progress) {
                    b.cancel(request.projectId(), request.backupId());
                    progress.accept(new CopyProgress(request.dataSizeBytes() / 2, request.dataSizeBytes()));
                    CompletableFuture<Long> never = new CompletableFuture<>();
                    return new CopyJob() {
                        @Override
                        public CompletionStage<Long> result() {
                            return never;
                        }

                        @Override
                        public void cancel() {
                            stopped.set(true);
                        }
                    };
                }

                @Override
                public java.util.concurrent.CompletionStage<Void> stopCopy(BackupRecord backup) {
                    stopped.set(true);
                    return java.util.concurrent.CompletableFuture.completedFuture(null);
                }

                @Override
                public CompletionStage<Void> deleteArtifact(BackupRecord backup) {
                    return h.engine.deleteArtifact(backup);
                }
            };
            DefaultBackupService a = h.baseBuilder("replica-a2", h.scheduler).engine(inline).build();
            BackupHandle handle = a.create(Harness.request("Nightly").build());
            h.advance(Duration.ofDays(1));
            assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.CANCELLED);
            assertThat(a.inFlight()).isZero();
            assertThat(stopped).isTrue();
            h.probe.assertEveryLockReleasedExactlyOnce();
        }

        @Test
        @DisplayName("a copy-started listener that waits for a cancel on another thread does not deadlock")
        void listenerWaitingOnAnotherThread() {
            AtomicReference<DefaultBackupService> service = new AtomicReference<>();
            AtomicReference<Throwable> listenerSaw = new AtomicReference<>();
            Harness h = new Harness(builder -> builder.listener(new BackupListener() {
                @Override
                public void onCopyStarted(BackupRecord backup) {
                    try {
                        CompletableFuture.supplyAsync(() -> service.get().cancel(backup.projectId(), backup.id()))
                                .get(10, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (Exception e) {
                        listenerSaw.set(e);
                    }
                }
            }));
            service.set(h.service);
            h.engine.holdCopies();
            BackupHandle handle = h.create("Nightly");
            h.settle();
            assertThat(listenerSaw.get()).isNull();
            assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.CANCELLED);
            assertThat(h.engine.copyRequests()).isEmpty();
            h.probe.assertEveryLockReleasedExactlyOnce();
        }

        @Test
        @DisplayName("a delete on a replica whose scheduler refuses everything still answers, without a raw exception")
        void deleteWithRefusingScheduler() {
            Harness h = new Harness();
            BackupHandle handle = h.create("Nightly");
            h.settle();
            DefaultBackupService x = h.baseBuilder("replica-x", h.scheduler).scheduler(refusingEverything()).build();
            assertThat(x.delete(PROJECT, handle.backupId()).status()).isEqualTo(BackupStatus.DELETING);
            assertThat(h.store.find(handle.backupId())).isEmpty();
        }

        @Test
        @DisplayName("a create on a replica whose scheduler and store both fail answers, and recovery resolves it")
        void createWithRefusingSchedulerAndFailingStore() {
            Harness h = new Harness();
            ForwardingBackupStore failEnd = new ForwardingBackupStore(h.store) {
                @Override
                public Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
                    if (next.status() == BackupStatus.FAILED) {
                        throw new IllegalStateException("store down");
                    }
                    return super.compareAndSet(next, expectedVersion);
                }
            };
            DefaultBackupService x = h.baseBuilder("replica-x", h.scheduler).scheduler(refusingEverything())
                    .store(failEnd).build();
            BackupHandle handle = x.create(Harness.request("Nightly").build());
            h.advance(Duration.ofMinutes(3));
            assertThat(h.service.recover().failed()).containsExactly(handle.backupId());
            assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.FAILED);
            h.probe.assertEveryLockReleasedExactlyOnce();
        }
    }
}
