package dev.rdsbackup.api.spi;

import dev.rdsbackup.api.BackupRecord;
import java.util.Objects;

/**
 * The answer of {@link BackupStore#create}: the record was stored, or which condition stopped it.
 */
public sealed interface CreateResult
        permits CreateResult.Created, CreateResult.NameTaken, CreateResult.InstanceBusy,
                CreateResult.ClientTokenTaken {

    /**
     * The record was stored.
     *
     * @param record the stored record (version 0)
     */
    record Created(BackupRecord record) implements CreateResult {
        /** Checks the record. */
        public Created {
            Objects.requireNonNull(record, "record");
        }
    }

    /**
     * Another backup of the same project and instance has the same name (case-sensitive).
     *
     * @param existing that backup
     */
    record NameTaken(BackupRecord existing) implements CreateResult {
        /** Checks the record. */
        public NameTaken {
            Objects.requireNonNull(existing, "existing");
        }
    }

    /**
     * Another backup of the same project and instance is {@code BUILDING}.
     *
     * @param active that backup
     */
    record InstanceBusy(BackupRecord active) implements CreateResult {
        /** Checks the record. */
        public InstanceBusy {
            Objects.requireNonNull(active, "active");
        }
    }

    /**
     * Another backup of the same project was created with the same client token.
     *
     * @param existing that backup
     */
    record ClientTokenTaken(BackupRecord existing) implements CreateResult {
        /** Checks the record. */
        public ClientTokenTaken {
            Objects.requireNonNull(existing, "existing");
        }
    }
}
