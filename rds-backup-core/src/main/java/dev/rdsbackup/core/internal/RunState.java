package dev.rdsbackup.core.internal;

import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.spi.InstanceInfo;
import dev.rdsbackup.core.TaskScheduler.ScheduledTask;
import dev.rdsbackup.core.internal.RecordWriter.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one build and the helpers every phase of it uses: timers (a step the scheduler refuses is
 * owed and asked for again on the lease tick) and the writes made while building. The phases are layered
 * on it: {@link RunEnding} (the ending), {@link RunCopy} (the backup lock and the copy), {@link BuildRun}
 * (verification, and the entry points). All of it runs on the backup's serial queue.
 */
abstract class RunState implements LocalWork.Work {
    private static final Logger LOG = LoggerFactory.getLogger(RunState.class);

    
    enum Phase { VERIFYING, WAITING, STARTING, COPYING, FINISHING, DONE }

    final Context c;
    final Obligations obligations;
    final Estimator estimator;
    final InstanceInfo instance;
    /**
     * The backup's serial queue, looked up at each use and never kept: a run that has ended may still get a
     * late adapter answer (a verification that hung, carrying a lock) after its queue was swept, and that
     * answer must land on the queue the service knows of (which {@code close()} drains), not a forgotten one.
     */
    SerialQueue queue() {
        return c.local.queue(id);
    }
    final CompletableFuture<BackupRecord> completion = new CompletableFuture<>();
    final String id;
    BackupRecord record;
    Phase phase = Phase.VERIFYING;
    int attempt;
    Instant firstAttemptAt;
    Instant copyStart;
    Instant lastProgressAt;
    long tableCount;
    boolean copyUnconfirmed;
    int storeFailures;
    ScheduledTask retryTask;
    ScheduledTask timeoutTask;
    ScheduledTask stallTask;
    /** An ending this run wrote whose outcome is in doubt (the store threw, the re-read failed). */
    BackupRecord pendingEnding;
    /** A step the scheduler refused; the lease tick tries it again (read by the tick: volatile). */
    volatile Runnable owed;
    Duration owedDelay;
    /** Set from any thread when the build was read as ended elsewhere: the copy is not started then. */
    volatile boolean stopRequested;

    RunState(Context context, Obligations obligations, Estimator estimator, BackupRecord created,
            InstanceInfo instance) {
        this.c = context;
        this.obligations = obligations;
        this.estimator = estimator;
        this.instance = instance;
        this.id = created.id();
        this.record = created;
        this.tableCount = instance.tableCount();
    }

    // ------------------------------------------------------------------------------------------------
    // Timers: a refused one is owed and tried again on the lease tick

    ScheduledTask later(String what, Runnable step, Duration delay) {
        ScheduledTask task = c.scheduling.schedule(what + " of backup " + id,
                () -> queue().runHere(() -> step.run()), delay);
        if (task == null) {
            owed = step;
            owedDelay = delay;
        }
        return task;
    }

    @Override
    public boolean owesStep() {
        return owed != null;
    }

    @Override
    public void kick() {
        if (owed != null && phase != Phase.DONE) {
            Runnable step = owed;
            Duration delay = owedDelay;
            owed = null;
            later("a step the scheduler refused", step, delay);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Writes while building

    /** Whether a record read now is still this run's to write. */
    boolean stillMine(BackupRecord fresh) {
        return fresh.status() == BackupStatus.BUILDING && c.holdsLease(fresh);
    }

    /**
     * A best-effort write while building (attempts, progress). A version moved by a lease renewal is
     * re-read and written again; an ending found instead ends the run here.
     *
     * @return {@code false} if the run ended
     */
    boolean update(UnaryOperator<BackupRecord> change) {
        for (int round = 0; round < Context.MAX_CAS_ROUNDS; round++) {
            Outcome outcome = c.writer.write(change.apply(record), record.version());
            if (outcome instanceof Outcome.Written w) {
                record = w.record();
                return true;
            }
            if (!(outcome instanceof Outcome.Conflict conflict)) {
                LOG.debug("Backup {}: a write while building was not recorded", id);
                return true;
            }
            if (conflict.current().isEmpty() || !stillMine(conflict.current().get())) {
                endedElsewhere(conflict.current().orElse(null));
                return false;
            }
            record = conflict.current().get();
        }
        return true;
    }

    void stopTimers() {
        Scheduling.cancel(retryTask);
        Scheduling.cancel(timeoutTask);
        Scheduling.cancel(stallTask);
        retryTask = null;
        timeoutTask = null;
        stallTask = null;
        owed = null;
    }


    /** Someone else ended the build, or the record is gone: stop local work. */
    abstract void endedElsewhere(BackupRecord last);
}
