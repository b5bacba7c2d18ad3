package dev.rdsbackup.api.constraints;

import jakarta.validation.constraints.NotNull;

/**
 * A host's own REST body, reusing the library's constraints the way a control plane would: the tests of
 * {@link BackupName} and {@link BackupDescription} go through it, so they check what hosts get.
 */
record HostDto(@NotNull @BackupName String name, @BackupDescription String description) {
}
