package dev.rdsbackup.jdbc.internal;

import java.util.List;

/** The suffixes of the constraint and index names of the backup table (after {@code <table>_}). */
public final class Constraints {

    /** The primary key on the id. */
    public static final String PRIMARY_KEY = "pkey";
    /** Unique (project, client token). */
    public static final String CLIENT_TOKEN = "token_uq";
    /** Unique (project, instance, name). */
    public static final String NAME = "name_uq";
    /** One BUILDING record per (project, instance). */
    public static final String BUILDING = "building_uq";
    /** Listing one instance, newest first. */
    public static final String INSTANCE_LISTING = "instance_idx";
    /** Listing a project, newest first. */
    public static final String PROJECT_LISTING = "project_idx";
    /** Finding expired leases. */
    public static final String LEASE_EXPIRY = "lease_idx";
    /** Renewing one replica's leases. */
    public static final String LEASE_OWNER = "owner_idx";

    /** The indexes the store needs, apart from the primary key (checked separately). */
    public static final List<String> INDEXES = List.of(CLIENT_TOKEN, NAME, BUILDING, INSTANCE_LISTING,
            PROJECT_LISTING, LEASE_EXPIRY, LEASE_OWNER);

    private Constraints() {
    }
}
