package dev.rdsbackup.api;

import dev.rdsbackup.api.constraints.ResourceId;
import dev.rdsbackup.api.error.BackupValidationException;
import dev.rdsbackup.api.error.Violation;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which backups to list: always one project; optionally one instance (the "Backups &amp; Restorations"
 * view) or all of the project's instances (the "Backup Management" view); filtered by type, status and a
 * window on the begin time; one page at {@code offset} of at most {@code limit} records, newest first.
 *
 * <p>The rules are Bean Validation annotations checked by the service: {@code offset} 0 or more,
 * {@code limit} 1 to 100, and {@code windowStart} and {@code windowEnd} given together with the end after
 * the start. A backup is in the window when {@code windowStart <= beginTime < windowEnd}.
 *
 * @param projectId the project whose backups to list
 * @param instanceId one instance (also a deleted one, for its retained manual backups), or {@code null}
 * @param type only this type, or {@code null} for both
 * @param statuses only these statuses, or empty for all
 * @param windowStart the earliest begin time, inclusive, or {@code null}
 * @param windowEnd the latest begin time, exclusive, or {@code null}
 * @param offset how many matching records to skip
 * @param limit the most records on the page
 */
@BackupQuery.ValidWindow
public record BackupQuery(
        @NotNull @ResourceId String projectId,
        @ResourceId String instanceId,
        BackupType type,
        @NotNull Set<BackupStatus> statuses,
        Instant windowStart,
        Instant windowEnd,
        @Min(0) int offset,
        @Min(1) @Max(BackupQuery.MAX_LIMIT) int limit) {

    /** The largest page. */
    public static final int MAX_LIMIT = 100;
    /** The page size when none is given. */
    public static final int DEFAULT_LIMIT = 100;

    /** The order of every listing: newest begin time first, then id descending, so pages never overlap. */
    public static final Comparator<BackupRecord> NEWEST_FIRST =
            Comparator.comparing(BackupRecord::beginTime).thenComparing(BackupRecord::id).reversed();

    /** Checks required components and copies the status set. */
    public BackupQuery {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(statuses, "statuses");
        statuses = statuses.isEmpty()
                ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(statuses));
    }

    /**
     * Whether a record matches every filter of this query (paging aside). Stores may use this to filter in
     * memory; a database-backed store expresses the same conditions in its query language.
     *
     * @param record the record to test
     * @return {@code true} if it belongs in the result
     */
    public boolean matches(BackupRecord record) {
        return record.projectId().equals(projectId)
                && (instanceId == null || record.instanceId().equals(instanceId))
                && (type == null || record.type() == type)
                && (statuses.isEmpty() || statuses.contains(record.status()))
                && (windowStart == null || !record.beginTime().isBefore(windowStart))
                && (windowEnd == null || record.beginTime().isBefore(windowEnd));
    }

    /**
     * A builder for the project's backups: all instances, types and statuses, offset 0, limit 100.
     *
     * @param projectId the project
     * @return a new builder
     */
    public static Builder forProject(String projectId) {
        return new Builder(projectId, null);
    }

    /**
     * A builder for one instance's backups.
     *
     * @param projectId the project
     * @param instanceId the instance
     * @return a new builder
     */
    public static Builder forInstance(String projectId, String instanceId) {
        Builder builder = new Builder(projectId, instanceId);
        builder.instanceRequired = true;
        return builder;
    }

    /** A builder holding this query's values, for instance to ask for the next page. */
    public Builder toBuilder() {
        Builder b = new Builder(projectId, instanceId);
        b.instanceRequired = instanceId != null;
        b.type = type;
        b.statuses = statuses.isEmpty() ? EnumSet.noneOf(BackupStatus.class) : EnumSet.copyOf(statuses);
        b.windowStart = windowStart;
        b.windowEnd = windowEnd;
        b.offset = offset;
        b.limit = limit;
        return b;
    }

    /** Builds a {@link BackupQuery}. Not thread-safe. */
    public static final class Builder {
        private final String projectId;
        private final String instanceId;
        private boolean instanceRequired;
        private boolean nullStatus;
        private BackupType type;
        private Set<BackupStatus> statuses = EnumSet.noneOf(BackupStatus.class);
        private Instant windowStart;
        private Instant windowEnd;
        private int offset;
        private int limit = DEFAULT_LIMIT;

        private Builder(String projectId, String instanceId) {
            this.projectId = projectId;
            this.instanceId = instanceId;
        }

        /**
         * Only backups of this type.
         *
         * @param type the type, or {@code null} for both
         * @return this builder
         */
        public Builder type(BackupType type) {
            this.type = type;
            return this;
        }

        /**
         * Only backups in one of these statuses.
         *
         * @param statuses the statuses; none for all
         * @return this builder
         */
        public Builder statuses(BackupStatus... statuses) {
            this.statuses = EnumSet.noneOf(BackupStatus.class);
            this.nullStatus = false;
            if (statuses == null) {
                this.nullStatus = true;
                return this;
            }
            for (BackupStatus status : statuses) {
                if (status == null) {
                    this.nullStatus = true;
                } else {
                    this.statuses.add(status);
                }
            }
            return this;
        }

        /**
         * Only backups that began in {@code [start, end)}. Both or neither.
         *
         * @param start inclusive
         * @param end exclusive, after {@code start}
         * @return this builder
         */
        public Builder window(Instant start, Instant end) {
            this.windowStart = start;
            this.windowEnd = end;
            return this;
        }

        /**
         * Skips this many matching records.
         *
         * @param offset 0 or more
         * @return this builder
         */
        public Builder offset(int offset) {
            this.offset = offset;
            return this;
        }

        /**
         * At most this many records on the page.
         *
         * @param limit 1 to 100
         * @return this builder
         */
        public Builder limit(int limit) {
            this.limit = limit;
            return this;
        }

        /**
         * Builds the query.
         *
         * @return the query; its other rules are checked by the service
         * @throws BackupValidationException listing every required value that is missing
         */
        public BackupQuery build() {
            List<Violation> missing = new ArrayList<>();
            if (projectId == null) {
                missing.add(new Violation("projectId", "NotNull", "must not be null"));
            }
            if (instanceRequired && instanceId == null) {
                missing.add(new Violation("instanceId", "NotNull", "must not be null"));
            }
            if (nullStatus) {
                missing.add(new Violation("statuses", "NotNull", "must not contain null"));
            }
            if (!missing.isEmpty()) {
                throw new BackupValidationException(missing);
            }
            return new BackupQuery(projectId, instanceId, type, statuses, windowStart, windowEnd, offset, limit);
        }
    }

    /**
     * The window's start and end are given together, and the end is after the start. Violations name
     * {@code windowEnd} (or {@code windowStart} when only the end is given).
     */
    @Documented
    @Constraint(validatedBy = WindowValidator.class)
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface ValidWindow {
        /** The default message. */
        String message() default "windowStart and windowEnd go together, and windowEnd must be after windowStart";

        /** Validation groups. */
        Class<?>[] groups() default {};

        /** Payload for clients of the constraint. */
        Class<? extends Payload>[] payload() default {};
    }

    /** Checks {@link ValidWindow}. */
    public static final class WindowValidator implements ConstraintValidator<ValidWindow, BackupQuery> {
        /** Creates the validator; Bean Validation calls this. */
        public WindowValidator() {
        }

        @Override
        public boolean isValid(BackupQuery query, ConstraintValidatorContext context) {
            if (query == null) {
                return true;
            }
            String field;
            String message;
            if (query.windowStart() == null && query.windowEnd() == null) {
                return true;
            } else if (query.windowStart() == null) {
                field = "windowStart";
                message = "must be given together with windowEnd";
            } else if (query.windowEnd() == null) {
                field = "windowEnd";
                message = "must be given together with windowStart";
            } else if (!query.windowEnd().isAfter(query.windowStart())) {
                field = "windowEnd";
                message = "must be after windowStart";
            } else {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(message).addPropertyNode(field).addConstraintViolation();
            return false;
        }
    }
}
