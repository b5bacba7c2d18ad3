package dev.rdsbackup.core.internal;

import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/** What every part of the lifecycle shares: the settings, the store writer, the scheduler, local work, events. */
final class Context {
    /** How many times a write is tried again at once after the version moved under it. */
    static final int MAX_CAS_ROUNDS = 16;
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);

    final Settings s;
    final RecordWriter writer;
    final Scheduling scheduling;
    final LocalWork local;
    final Events events;
    /** Set when the replica starts closing: no new work is taken on. */
    final AtomicBoolean closing = new AtomicBoolean();

    Context(Settings settings) {
        this.s = settings;
        this.writer = new RecordWriter(settings.store());
        this.scheduling = new Scheduling(settings.scheduler(), settings.clock());
        this.local = new LocalWork(scheduling);
        this.events = new Events(settings.listeners(), local);
    }

    /** The clock's instant at the store's precision. */
    Instant now() {
        return RecordWriter.t(s.clock().instant());
    }

    /** A lease of this replica from now. */
    Lease newLease() {
        return new Lease(s.replicaId(), RecordWriter.t(s.clock().instant().plus(s.leaseDuration())));
    }

    /** Whether this replica holds the record's lease. */
    boolean holdsLease(BackupRecord r) {
        return r.lease() != null && r.lease().owner().equals(s.replicaId());
    }

    /** The end time to record: now, but never before the begin time another replica's clock wrote. */
    Instant endTimeOf(BackupRecord record) {
        Instant now = now();
        return now.isBefore(record.beginTime()) ? record.beginTime() : now;
    }

    /** The delay before retrying a store call that failed {@code failures} times in a row: 1 s doubling to 30 s. */
    static Duration retryDelay(int failures) {
        long seconds = Math.min(MAX_RETRY_DELAY.toSeconds(), 1L << Math.min(Math.max(failures, 1) - 1, 5));
        return Duration.ofSeconds(seconds);
    }
}
