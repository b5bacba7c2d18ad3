package dev.rdsbackup.jdbc.internal;

import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.spi.CreateResult;
import java.util.List;
import java.util.Optional;

/** Which stored record stops a create, in the order the SPI states: client token, then name, then BUILDING. */
public final class Refusals {

    private Refusals() {
    }

    /**
     * The refusal of {@code record}, given the stored records it may collide with.
     *
     * @param record the record being created
     * @param conflicts stored records of its project with its token, or of its instance
     * @return the first condition that stops it, or empty when none does (the colliding record is gone)
     */
    public static Optional<CreateResult> first(BackupRecord record, List<BackupRecord> conflicts) {
        if (record.clientToken() != null) {
            for (BackupRecord other : conflicts) {
                if (record.clientToken().equals(other.clientToken())) {
                    return Optional.of(new CreateResult.ClientTokenTaken(other));
                }
            }
        }
        for (BackupRecord other : conflicts) {
            if (other.instanceId().equals(record.instanceId()) && other.name().equals(record.name())) {
                return Optional.of(new CreateResult.NameTaken(other));
            }
        }
        if (record.status() == BackupStatus.BUILDING) {
            for (BackupRecord other : conflicts) {
                if (other.instanceId().equals(record.instanceId()) && other.status() == BackupStatus.BUILDING) {
                    return Optional.of(new CreateResult.InstanceBusy(other));
                }
            }
        }
        return Optional.empty();
    }
}
