package dev.rdsbackup.core;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How verification is retried when DDL is running, the backup lock cannot be obtained or the instance is
 * unreachable. Immutable; build with {@link #builder()} or take {@link #ofDefaults()}.
 *
 * <p>The delay before attempt {@code n + 1} is {@code min(delay * multiplier^(n-1), maxDelay)}, then
 * spread by {@code ± jitter} (a fraction) using the service's random generator. Retrying stops after
 * {@code maxAttempts} attempts in all, or when the next attempt would start after {@code maxElapsed}
 * since the first.
 *
 * @param maxAttempts attempts in all, 1 or more (1 means no retry)
 * @param delay the first delay
 * @param multiplier growth factor of the delay, 1.0 or more
 * @param maxDelay the longest delay
 * @param jitter 0.0 to 1.0: the fraction of the delay added or removed at random
 * @param maxElapsed how long after the first attempt the last one may start
 */
public record RetryPolicy(
        int maxAttempts, Duration delay, double multiplier, Duration maxDelay, double jitter, Duration maxElapsed) {

    /**
     * The longest {@code delay}, {@code maxDelay} or {@code maxElapsed} accepted: 365 days, the same as
     * {@link DefaultBackupService.Builder#MAX_DURATION}.
     */
    public static final Duration MAX_DURATION = Duration.ofDays(365);

    /** The default: two attempts in all (one retry), 30 s apart ± 20 %, within 10 minutes. */
    private static final RetryPolicy DEFAULTS = builder().build();

    /** Checks every component, naming the bad one. */
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be 1 or more, was " + maxAttempts);
        }
        requirePositive(delay, "delay");
        requirePositive(maxDelay, "maxDelay");
        requirePositive(maxElapsed, "maxElapsed");
        if (maxDelay.compareTo(delay) < 0) {
            throw new IllegalArgumentException("maxDelay must not be shorter than delay");
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be 1.0 or more, was " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be 0.0 to 1.0, was " + jitter);
        }
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        if (value.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(name + " must be at most " + MAX_DURATION + ", was " + value);
        }
    }

    /** The defaults: 2 attempts in all, 30 s first delay, ×2, at most 5 min, ± 20 % jitter, within 10 min. */
    public static RetryPolicy ofDefaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this policy. */
    public Builder toBuilder() {
        return new Builder().maxAttempts(maxAttempts).delay(delay).multiplier(multiplier).maxDelay(maxDelay)
                .jitter(jitter).maxElapsed(maxElapsed);
    }

    /**
     * The delay to wait after a failed attempt.
     *
     * @param failedAttempt the attempt that just failed, 1 for the first
     * @param random where jitter comes from
     * @return the delay, at least one millisecond
     */
    public Duration delayAfter(int failedAttempt, RandomGenerator random) {
        if (failedAttempt < 1) {
            throw new IllegalArgumentException("failedAttempt must be 1 or more, was " + failedAttempt);
        }
        double base = delay.toMillis() * Math.pow(multiplier, failedAttempt - 1);
        double capped = Math.min(base, maxDelay.toMillis());
        double spread = jitter == 0.0 ? 0.0 : capped * jitter * (random.nextDouble() * 2.0 - 1.0);
        return Duration.ofMillis(Math.max(1L, Math.round(capped + spread)));
    }

    /**
     * Whether another attempt may follow.
     *
     * @param attemptsMade attempts made so far
     * @param elapsedAtNextAttempt time from the first attempt to when the next one would start
     * @return {@code true} if retrying is allowed
     */
    public boolean allowsAnotherAttempt(int attemptsMade, Duration elapsedAtNextAttempt) {
        return attemptsMade < maxAttempts && elapsedAtNextAttempt.compareTo(maxElapsed) <= 0;
    }

    /** Builds a {@link RetryPolicy}; starts from the defaults. Not thread-safe. */
    public static final class Builder {
        private int maxAttempts = 2;
        private Duration delay = Duration.ofSeconds(30);
        private double multiplier = 2.0;
        private Duration maxDelay = Duration.ofMinutes(5);
        private double jitter = 0.2;
        private Duration maxElapsed = Duration.ofMinutes(10);

        private Builder() {
        }

        /**
         * Sets the attempts in all.
         *
         * @param maxAttempts 1 or more; 2 (one retry) by default
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * Sets the first delay.
         *
         * @param delay positive; 30 s by default
         * @return this builder
         */
        public Builder delay(Duration delay) {
            this.delay = delay;
            return this;
        }

        /**
         * Sets the back-off growth factor.
         *
         * @param multiplier 1.0 (constant delay) or more; 2.0 by default
         * @return this builder
         */
        public Builder multiplier(double multiplier) {
            this.multiplier = multiplier;
            return this;
        }

        /**
         * Sets the longest delay.
         *
         * @param maxDelay positive, not shorter than the delay; 5 min by default
         * @return this builder
         */
        public Builder maxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
            return this;
        }

        /**
         * Sets the jitter.
         *
         * @param jitter 0.0 (none) to 1.0; 0.2 by default
         * @return this builder
         */
        public Builder jitter(double jitter) {
            this.jitter = jitter;
            return this;
        }

        /**
         * Sets how long after the first attempt the last may start.
         *
         * @param maxElapsed positive; 10 min by default
         * @return this builder
         */
        public Builder maxElapsed(Duration maxElapsed) {
            this.maxElapsed = maxElapsed;
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return the policy
         * @throws IllegalArgumentException naming the bad setting
         */
        public RetryPolicy build() {
            return new RetryPolicy(maxAttempts, delay, multiplier, maxDelay, jitter, maxElapsed);
        }
    }
}
