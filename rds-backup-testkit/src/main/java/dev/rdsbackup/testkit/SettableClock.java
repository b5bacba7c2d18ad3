package dev.rdsbackup.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it: virtual time for the backup service.
 *
 * <p>It starts at {@link #DEFAULT_START} (or the instant given) in UTC and changes only through
 * {@link #tick(Duration)} and {@link #set(Instant)}. Thread-safe: every read and move is atomic, so a
 * service thread never sees a torn value. Usually driven by a {@link ManualScheduler}, which moves it to
 * each task's due time before running the task.
 */
public final class SettableClock extends Clock {

    /** Where a clock starts when no instant is given: 2026-01-01T00:00:00Z. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    /** A clock at {@link #DEFAULT_START}, in UTC. */
    public SettableClock() {
        this(DEFAULT_START);
    }

    /**
     * A clock at {@code start}, in UTC.
     *
     * @param start the first instant it shows
     */
    public SettableClock(Instant start) {
        this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    private SettableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /**
     * A view of this clock in another zone: it shares this clock's time, so moving either moves both.
     *
     * @param zone the zone
     * @return the view
     */
    @Override
    public SettableClock withZone(ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        return zone.equals(this.zone) ? this : new SettableClock(now, zone);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public long millis() {
        return now.get().toEpochMilli();
    }

    /**
     * Moves the clock forward.
     *
     * @param amount how far; zero or positive
     * @return the new instant
     * @throws IllegalArgumentException if {@code amount} is negative (use {@link #set} to go back)
     */
    public Instant tick(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("amount must not be negative, was " + amount);
        }
        return now.updateAndGet(current -> current.plus(amount));
    }

    /**
     * Sets the clock to an instant, forward or back.
     *
     * @param instant the new instant
     */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    /**
     * Moves the clock to {@code instant} unless it already shows a later one.
     *
     * @param instant the instant to move to
     * @return the instant the clock shows afterwards
     */
    public Instant advanceTo(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        return now.updateAndGet(current -> current.isBefore(instant) ? instant : current);
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "SettableClock[" + now.get() + ", " + zone + "]";
    }
}
