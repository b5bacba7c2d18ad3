package dev.rdsbackup.coretests.reliability;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/** A replica's clock: the world's clock plus an offset a test can change (clock skew between replicas). */
final class SkewedClock extends Clock {
    private final Clock base;
    private Duration offset = Duration.ZERO;

    SkewedClock(Clock base) {
        this.base = base;
    }

    void offset(Duration offset) {
        this.offset = offset;
    }

    Duration offset() {
        return offset;
    }

    @Override
    public ZoneId getZone() {
        return base.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the service never changes its clock's zone");
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset);
    }

    @Override
    public String toString() {
        return "SkewedClock[" + offset + "]";
    }
}
