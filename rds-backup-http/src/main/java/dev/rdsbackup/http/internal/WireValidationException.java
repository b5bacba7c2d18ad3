package dev.rdsbackup.http.internal;

import dev.rdsbackup.api.error.BackupValidationException;
import dev.rdsbackup.api.error.Violation;
import java.util.List;

/**
 * Invalid input found by the HTTP layer itself (path, query, headers, body shape): its violations already carry the
 * wire's field names, unlike the service's, which {@link WireFields} renames.
 */
public final class WireValidationException extends BackupValidationException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param violations every broken rule, named as on the wire, at least one
     */
    public WireValidationException(List<Violation> violations) {
        super(violations);
    }
}
