package dev.rdsbackup.http.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.DeleteOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes the API's JSON answers with Jackson's streaming generator. A backup is written in the listing's shape
 * ({@code BackupForList}) everywhere, which is a superset of the create answer's; the extension fields start with
 * {@code rds_backup_} and clients that do not know them ignore them.
 */
public final class JsonAnswers {

    /** Bytes in a KB of the {@code size} field. */
    static final long KB = 1024;

    private final JsonFactory factory;

    /**
     * Creates the writer.
     *
     * @param factory the JSON factory to write with
     */
    public JsonAnswers(JsonFactory factory) {
        this.factory = factory;
    }

    /** An interface for one body written with a generator. */
    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private byte[] write(int sizeHint, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint);
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: the output is in memory
        }
        return out.toByteArray();
    }

    /**
     * {@code {"backup": {...}}}.
     *
     * @param backup the backup
     * @return the body
     */
    public byte[] backup(BackupRecord backup) {
        return write(512, g -> {
            g.writeFieldName("backup");
            backupObject(g, backup);
        });
    }

    /**
     * {@code {"backups": [...], "total_count": n}}.
     *
     * @param backups the page
     * @param totalCount how many match in all
     * @return the body
     */
    public byte[] backups(List<BackupRecord> backups, long totalCount) {
        return write(64 + 512 * backups.size(), g -> {
            g.writeArrayFieldStart("backups");
            for (BackupRecord b : backups) {
                backupObject(g, b);
            }
            g.writeEndArray();
            g.writeNumberField("total_count", totalCount);
        });
    }

    /**
     * {@code {"delete_results": [{"backup_id", "error_code", "error_msg"}, ...]}}, with error code {@code "0"} and
     * an empty message for an accepted delete.
     *
     * @param outcomes one per id, in order
     * @param errors where the DBS code of each refusal comes from
     * @return the body
     */
    public byte[] deleteResults(List<DeleteOutcome> outcomes, ErrorBodies errors) {
        return write(64 + 128 * outcomes.size(), g -> {
            g.writeArrayFieldStart("delete_results");
            for (DeleteOutcome o : outcomes) {
                g.writeStartObject();
                g.writeStringField("backup_id", o.backupId());
                if (o.accepted()) {
                    g.writeStringField("error_code", "0");
                    g.writeStringField("error_msg", "");
                } else {
                    g.writeStringField("error_code", errors.table().of(o.error().code()).code());
                    g.writeStringField("error_msg", o.error().getMessage());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    /**
     * {@code {"error_code": code, "error_msg": message}}.
     *
     * @param code the DBS code
     * @param message the message, never containing untrusted text
     * @return the body
     */
    public byte[] error(String code, String message) {
        return write(128 + message.length(), g -> {
            g.writeStringField("error_code", code);
            g.writeStringField("error_msg", message);
        });
    }

    private static void backupObject(JsonGenerator g, BackupRecord b) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", b.id());
        g.writeStringField("instance_id", b.instanceId());
        g.writeStringField("name", b.name());
        if (b.description() != null) {
            g.writeStringField("description", b.description());
        }
        g.writeStringField("type", WireValues.type(b.type()));
        g.writeNumberField("size", (b.sizeBytes() + KB - 1) / KB);
        g.writeStringField("status", WireValues.status(b.status()));
        g.writeStringField("begin_time", WireTime.format(b.beginTime()));
        if (b.endTime() != null) {
            g.writeStringField("end_time", WireTime.format(b.endTime()));
        }
        g.writeObjectFieldStart("datastore");
        g.writeStringField("type", b.datastore().engine());
        g.writeStringField("version", b.datastore().version());
        g.writeEndObject();
        g.writeArrayFieldStart("databases");
        for (String database : b.databases()) {
            g.writeStartObject();
            g.writeStringField("name", database);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringField("rds_backup_status", b.status().name());
        if (b.failure() != null) {
            g.writeObjectFieldStart("rds_backup_failure");
            g.writeStringField("code", b.failure().code().name());
            g.writeStringField("message", b.failure().message());
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
