package dev.rdsbackup.api;

import dev.rdsbackup.api.constraints.BackupDescription;
import dev.rdsbackup.api.constraints.BackupName;
import dev.rdsbackup.api.constraints.ClientToken;
import dev.rdsbackup.api.constraints.DatabaseName;
import dev.rdsbackup.api.constraints.DistinctElements;
import dev.rdsbackup.api.constraints.ResourceId;
import dev.rdsbackup.api.error.BackupValidationException;
import dev.rdsbackup.api.error.Violation;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A request to create a backup. Immutable; build one with {@link #builder()}.
 *
 * <p>The rules are Jakarta Bean Validation annotations, checked by the service (all violations reported
 * together). Required components are never {@code null}: the canonical constructor throws
 * {@link NullPointerException} naming the component, and {@link Builder#build()} reports every missing
 * one at once as a {@link BackupValidationException}, before the other rules can be checked. A host that
 * wants missing and malformed fields in one answer validates its own request DTO with the same
 * constraints ({@code @NotNull @BackupName}, ...) before building the request.
 *
 * @param projectId the project (tenant) that owns the instance
 * @param instanceId the DB instance to back up
 * @param name the backup name, unique among the instance's backups (case-sensitive)
 * @param description an optional description, or {@code null}; untrusted text
 * @param databases databases to back up (a partial backup), or empty for the whole instance
 * @param clientToken an optional idempotency token, or {@code null}: a retried create with the same token
 *     returns the original backup
 * @param type {@link BackupType#MANUAL} for a user's backup; the host's policy scheduler uses
 *     {@link BackupType#AUTOMATED}
 */
public record BackupRequest(
        @NotNull @ResourceId String projectId,
        @NotNull @ResourceId String instanceId,
        @NotNull @BackupName String name,
        @BackupDescription String description,
        @NotNull @Size(max = BackupRequest.MAX_DATABASES) @DistinctElements List<@DatabaseName String> databases,
        @ClientToken String clientToken,
        @NotNull BackupType type) {

    /** The most databases one partial backup may name. */
    public static final int MAX_DATABASES = 100;

    /** Checks required components and copies the database list. */
    public BackupRequest {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(databases, "databases");
        Objects.requireNonNull(type, "type");
        databases = Collections.unmodifiableList(new ArrayList<>(databases));
    }

    /** The description, if any. */
    public Optional<String> descriptionIfAny() {
        return Optional.ofNullable(description);
    }

    /** The client token, if any. */
    public Optional<String> clientTokenIfAny() {
        return Optional.ofNullable(clientToken);
    }

    /** {@code true} if the request names databases (a partial backup). */
    public boolean isPartial() {
        return !databases.isEmpty();
    }

    /** A new builder for a manual backup with no description, databases or client token. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this request's values, to derive another request from it. */
    public Builder toBuilder() {
        return new Builder()
                .projectId(projectId)
                .instanceId(instanceId)
                .name(name)
                .description(description)
                .databases(databases)
                .clientToken(clientToken)
                .type(type);
    }

    @Override
    public String toString() {
        // The description is untrusted text: never print it.
        return "BackupRequest[projectId=" + projectId + ", instanceId=" + instanceId + ", name=" + name
                + ", description=" + (description == null ? "none" : "<" + description.length() + " chars>")
                + ", databases=" + databases.size() + ", clientToken=" + (clientToken == null ? "none" : "set")
                + ", type=" + type + "]";
    }

    /** Builds a {@link BackupRequest}. Not thread-safe. */
    public static final class Builder {
        private String projectId;
        private String instanceId;
        private String name;
        private String description;
        private List<String> databases = List.of();
        private String clientToken;
        private BackupType type = BackupType.MANUAL;

        private Builder() {
        }

        /**
         * Sets the project (tenant) id.
         *
         * @param projectId required
         * @return this builder
         */
        public Builder projectId(String projectId) {
            this.projectId = projectId;
            return this;
        }

        /**
         * Sets the instance id.
         *
         * @param instanceId required
         * @return this builder
         */
        public Builder instanceId(String instanceId) {
            this.instanceId = instanceId;
            return this;
        }

        /**
         * Sets the backup name.
         *
         * @param name required
         * @return this builder
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * Sets the description.
         *
         * @param description optional; {@code null} for none
         * @return this builder
         */
        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /**
         * Sets the databases of a partial backup.
         *
         * @param databases the names; {@code null} or empty for a full backup
         * @return this builder
         */
        public Builder databases(List<String> databases) {
            this.databases = databases == null ? List.of() : new ArrayList<>(databases);
            return this;
        }

        /**
         * Sets the databases of a partial backup.
         *
         * @param databases the names
         * @return this builder
         */
        public Builder databases(String... databases) {
            return databases(databases == null ? null : java.util.Arrays.asList(databases));
        }

        /**
         * Sets the idempotency token.
         *
         * @param clientToken optional; {@code null} for none
         * @return this builder
         */
        public Builder clientToken(String clientToken) {
            this.clientToken = clientToken;
            return this;
        }

        /**
         * Sets the backup type; {@link BackupType#MANUAL} unless set.
         *
         * @param type required
         * @return this builder
         */
        public Builder type(BackupType type) {
            this.type = type;
            return this;
        }

        /**
         * Builds the request.
         *
         * @return the request; its other rules are checked by the service
         * @throws BackupValidationException listing every required value that is missing
         */
        public BackupRequest build() {
            List<Violation> missing = new ArrayList<>();
            requirePresent(missing, "projectId", projectId);
            requirePresent(missing, "instanceId", instanceId);
            requirePresent(missing, "name", name);
            requirePresent(missing, "type", type);
            if (!missing.isEmpty()) {
                throw new BackupValidationException(missing);
            }
            return new BackupRequest(projectId, instanceId, name, description, databases, clientToken, type);
        }

        private static void requirePresent(List<Violation> missing, String field, Object value) {
            if (value == null) {
                missing.add(new Violation(field, "NotNull", "must not be null"));
            }
        }
    }
}
