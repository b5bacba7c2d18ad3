package dev.rdsbackup.core.internal;

import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.core.TaskScheduler.ScheduledTask;
import dev.rdsbackup.core.internal.RecordWriter.Outcome;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a backup lock's life, in one place. A lock is recorded on its backup before the copy starts
 * (see {@link BuildRun}) and stays recorded until released. Whoever writes a build's ending keeps the lock
 * on the record and takes the record's lease; then, here: stops the copy through the engine (for FAILED and
 * CANCELLED, never for COMPLETED), releases the lock, and clears lock and lease with a compare-and-set. A
 * writer that dies or loses a write leaves an expired lease behind, and the reconciler of any replica runs
 * the same steps again: each is harmless to repeat. A lock that was never recorded (it arrived after its
 * attempt ended, or its write certainly failed) is released at once by {@link #releaseUnrecorded}.
 */
final class Obligations {
    private static final Logger LOG = LoggerFactory.getLogger(Obligations.class);

    private final Context c;

    Obligations(Context context) {
        this.c = context;
    }

    /** Whether an ended record still owes work: it holds a lease. */
    static boolean owed(BackupRecord ended) {
        return ended.lease() != null;
    }

    /** Releases a lock that no record holds. */
    void releaseUnrecorded(String backupId, BackupLock lock) {
        release(backupId, lock);
    }

    private void release(String backupId, BackupLock lock) {
        Scheduling.contain("Releasing the backup lock of backup " + backupId, () -> {
            c.s.probe().releaseLock(lock);
            LOG.debug("Backup {}: backup lock released", backupId);
        });
    }

    /**
     * Does what an ended record owes, the record's lease being this replica's. Call on the backup's queue.
     *
     * @param ended the record as stored, holding this replica's lease
     * @param then told once, with the record as it is when the work is done or left, and whether this
     *     replica's own write cleared what was owed (only then is the ending this replica's to tell: work left
     *     to the reconciler, or taken over by another replica meanwhile, is told by whoever clears it)
     */
    void fulfil(BackupRecord ended, BiConsumer<BackupRecord, Boolean> then) {
        new Pending(ended, then).start();
    }

    /** The obligations of one ended record, held as local work while they run (so the lease is renewed). */
    private final class Pending implements LocalWork.Work {
        private final String id;
        private final BiConsumer<BackupRecord, Boolean> then;
        private boolean clearedHere;
        /** The clearing write whose outcome is in doubt, and the version it would have given the record. */
        private BackupRecord attemptedClear;
        private long attemptedVersion;
        private BackupRecord record;
        private boolean lockReleased;
        private boolean stopped;
        private boolean done;
        private int failures;
        private volatile Runnable owed;
        private volatile ScheduledTask retry;

        Pending(BackupRecord ended, BiConsumer<BackupRecord, Boolean> then) {
            this.id = ended.id();
            this.record = ended;
            this.then = then;
        }

        @Override
        public String id() {
            return id;
        }

        void start() {
            c.local.hold(this);
            if (record.status() == BackupStatus.COMPLETED) {
                afterStop(true);
                return;
            }
            CompletionStage<Void> stage;
            try {
                stage = c.s.engine().stopCopy(record);
                if (stage == null) {
                    throw new IllegalStateException("the engine returned no stage from stopCopy");
                }
            } catch (Throwable e) { // NOPMD: an adapter may throw anything
                rethrowIfFatal(e);
                LOG.warn("Backup {}: stopping the copy failed: {}", id, LogSafe.describe(e));
                afterStop(false);
                return;
            }
            c.local.queue(id).whenComplete(stage, (ok, e) -> {
                if (e != null) {
                    LOG.warn("Backup {}: stopping the copy failed: {}", id, LogSafe.describe(e));
                }
                afterStop(e == null);
            });
        }

        private void afterStop(boolean copyStopped) {
            if (done) {
                return;
            }
            stopped = copyStopped || record.status() == BackupStatus.COMPLETED;
            BackupLock lock = record.lock();
            if (lock != null && !lockReleased) {
                release(id, lock);
                lockReleased = true;
            }
            clear(0);
        }

        private void clear(int round) {
            BackupRecord next = record.toBuilder().lock(null).lease(stopped ? null : record.lease()).build();
            Outcome outcome = c.writer.write(next, record.version());
            if (outcome instanceof Outcome.Written w) {
                record = w.record();
                clearedHere = record.lease() == null;
                if (!stopped) {
                    LOG.warn("Backup {}: its copy could not be stopped; the reconciler tries again when the lease "
                            + "expires", id);
                }
                finish();
            } else if (outcome instanceof Outcome.Conflict conflict) {
                Optional<BackupRecord> fresh = conflict.current();
                if (fresh.isPresent() && c.holdsLease(fresh.get()) && fresh.get().status() == record.status()
                        && round < Context.MAX_CAS_ROUNDS) {
                    record = fresh.get();
                    clear(round + 1);
                } else {
                    LOG.info("Backup {}: its obligations were taken over elsewhere", id);
                    fresh.ifPresent(r -> record = r);
                    finish();
                }
            } else {
                attemptedClear = RecordWriter.truncated(next);
                attemptedVersion = record.version() + 1;
                retryLater();
            }
        }

        /**
         * Whether the record read back is this replica's own clearing write, which committed although the
         * store threw: the same content at the very next version. (Another replica that took the work over
         * wrote its lease first, so its clearing write leaves the record at least two versions on.)
         */
        private boolean ownClearLanded(BackupRecord fresh) {
            return attemptedClear != null && fresh.version() == attemptedVersion
                    && RecordWriter.landed(fresh, attemptedClear);
        }

        private void retryLater() {
            owed = () -> {
                Optional<BackupRecord> fresh;
                try {
                    fresh = c.writer.find(id);
                } catch (RuntimeException e) {
                    retryLater();
                    return;
                }
                if (fresh.isPresent() && ownClearLanded(fresh.get())) {
                    record = fresh.get();
                    clearedHere = record.lease() == null; // ours to tell, as if the write had answered
                    finish();
                } else if (fresh.isPresent() && c.holdsLease(fresh.get()) && fresh.get().status() == record.status()) {
                    record = fresh.get();
                    clear(0);
                } else {
                    fresh.ifPresent(r -> record = r);
                    finish();
                }
            };
            schedule();
        }

        private void schedule() {
            Runnable task = owed;
            SerialQueue queue = c.local.queue(id);
            retry = c.scheduling.schedule("a retry of backup " + id + "'s obligations",
                    () -> queue.runHere(() -> runOwed(task)), Context.retryDelay(++failures));
        }

        private void runOwed(Runnable task) {
            if (!done && owed == task) {
                owed = null;
                retry = null;
                task.run();
            }
        }

        @Override
        public boolean owesStep() {
            return owed != null && retry == null;
        }

        @Override
        public void kick() {
            if (!done && owed != null && retry == null) {
                runOwed(owed);
            }
        }

        @Override
        public void leaseNotRenewed() {
            if (done || owed != null) {
                return;
            }
            try {
                Optional<BackupRecord> fresh = c.writer.find(id);
                if (fresh.isEmpty() || !c.holdsLease(fresh.get())) {
                    fresh.ifPresent(r -> record = r);
                    finish();
                }
            } catch (RuntimeException e) {
                LOG.debug("Backup {}: could not check its lease: {}", id, LogSafe.describe(e));
            }
        }

        @Override
        public void handOver() {
            Scheduling.cancel(retry);
            finish();
        }

        private void finish() {
            if (done) {
                return;
            }
            done = true;
            Scheduling.cancel(retry);
            c.local.release(this);
            then.accept(record, clearedHere);
        }
    }

    static void rethrowIfFatal(Throwable e) {
        if (e instanceof VirtualMachineError vme) {
            throw vme;
        }
    }
}
