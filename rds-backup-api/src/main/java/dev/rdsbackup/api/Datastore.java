package dev.rdsbackup.api;

import java.util.Objects;

/**
 * The database engine and version a backup was taken from, captured when the backup is created, so a
 * backup retained after its instance is deleted still says what it can be restored to.
 *
 * @param engine the engine, such as {@code MySQL}, {@code PostgreSQL} or {@code SQLServer}
 * @param version the engine version, such as {@code 8.0}
 */
public record Datastore(String engine, String version) {
    /** Checks that no component is null or blank. */
    public Datastore {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(version, "version");
        if (engine.isBlank()) {
            throw new IllegalArgumentException("engine must not be blank");
        }
        if (version.isBlank()) {
            throw new IllegalArgumentException("version must not be blank");
        }
    }

    @Override
    public String toString() {
        return engine + " " + version;
    }
}
