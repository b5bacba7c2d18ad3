package dev.rdsbackup.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A client that manages a manual backup exactly as the Terraform providers ({@code opentelekomcloud_rds_backup_v3},
 * {@code huaweicloud_rds_backup}) do: create (retrying a 409 whose code says another operation is in progress),
 * then poll {@code GET backups?instance_id=&backup_id=} until {@code COMPLETED} (success) or {@code FAILED}
 * (failure), treating any other status as still pending; delete, then poll until the backup is gone
 * ({@code total_count} 0 or 404), failing if it is still listed with a status other than {@code DELETING}. It gives
 * up after the providers' timeout. Waiting between polls is a callback, so tests move virtual time instead of
 * sleeping.
 */
final class TerraformStyleClient {

    /** How a create-and-wait or a delete-and-wait ended. */
    enum Outcome {
        /** The backup reached {@code COMPLETED}. */
        COMPLETED,
        /** The backup reached {@code FAILED}. */
        FAILED,
        /** The backup is gone after a delete. */
        GONE,
        /** After a delete, the backup is still listed with a status other than {@code DELETING}. */
        DELETE_FAILED,
        /** The create was refused (with a code the provider does not retry). */
        REFUSED,
        /** Nothing conclusive within the timeout: the provider would hang this long and then fail. */
        TIMED_OUT
    }

    /** The codes the huaweicloud provider retries a create on. */
    static final Set<String> RETRIED_CREATE_CODES = Set.of("DBS.201202", "DBS.200011", "DBS.200019", "DBS.200047");
    /** The providers' poll interval (they poll every 3 to 30 s). */
    static final Duration POLL_INTERVAL = Duration.ofSeconds(10);
    /** The providers' timeout (30 to 60 min). */
    static final Duration TIMEOUT = Duration.ofMinutes(30);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    private final String project;
    private final Consumer<Duration> waiting;
    private int polls;
    private JsonNode lastSeen;

    /**
     * @param base the server
     * @param project the project in the path
     * @param waiting what happens while the client waits (the test moves virtual time)
     */
    TerraformStyleClient(URI base, String project, Consumer<Duration> waiting) {
        this.base = base;
        this.project = project;
        this.waiting = waiting;
    }

    /** How many times the client has polled or retried so far. */
    int polls() {
        return polls;
    }

    /** The backup as last listed, or {@code null}. */
    JsonNode lastSeen() {
        return lastSeen;
    }

    /**
     * Creates a backup (retrying as the provider does) and waits for it to end.
     *
     * @param instanceId the instance
     * @param name the name
     * @return the outcome, and through {@link #lastSeen()} the backup
     */
    Outcome createAndWait(String instanceId, String name) {
        String body = "{\"instance_id\":\"" + instanceId + "\",\"name\":\"" + name + "\"}";
        for (Duration waited = Duration.ZERO; waited.compareTo(TIMEOUT) < 0; waited = waited.plus(POLL_INTERVAL)) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/v3/" + project + "/backups"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            if (r.statusCode() == 200 || r.statusCode() == 202) {
                return waitForBackup(instanceId, read(r).get("backup").get("id").asText());
            }
            if (r.statusCode() != 409 || !RETRIED_CREATE_CODES.contains(read(r).get("error_code").asText())) {
                lastSeen = read(r);
                return Outcome.REFUSED;
            }
            pause();
        }
        return Outcome.TIMED_OUT;
    }

    private Outcome waitForBackup(String instanceId, String backupId) {
        for (Duration waited = Duration.ZERO; waited.compareTo(TIMEOUT) < 0; waited = waited.plus(POLL_INTERVAL)) {
            pause();
            JsonNode listed = listOne(instanceId, backupId);
            String status = listed == null ? "" : listed.get("status").asText();
            if ("COMPLETED".equals(status)) {
                return Outcome.COMPLETED;
            }
            if ("FAILED".equals(status)) {
                return Outcome.FAILED;
            }
        }
        return Outcome.TIMED_OUT;
    }

    /**
     * Deletes a backup and waits until it is gone.
     *
     * @param instanceId the instance
     * @param backupId the backup
     * @return the outcome
     */
    Outcome deleteAndWait(String instanceId, String backupId) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/v3/" + project + "/backups/" + backupId))
                .DELETE());
        if (r.statusCode() != 200) {
            lastSeen = read(r);
            return Outcome.REFUSED;
        }
        for (Duration waited = Duration.ZERO; waited.compareTo(TIMEOUT) < 0; waited = waited.plus(POLL_INTERVAL)) {
            JsonNode listed = listOne(instanceId, backupId);
            if (listed == null) {
                return Outcome.GONE;
            }
            if (!"DELETING".equals(listed.get("status").asText())) {
                return Outcome.DELETE_FAILED;
            }
            pause();
        }
        return Outcome.TIMED_OUT;
    }

    private JsonNode listOne(String instanceId, String backupId) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(
                base.resolve("/v3/" + project + "/backups?instance_id=" + instanceId + "&backup_id=" + backupId)).GET());
        if (r.statusCode() == 404) {
            return null;
        }
        if (r.statusCode() != 200) {
            throw new AssertionError("listing answered " + r.statusCode() + ": " + r.body());
        }
        JsonNode page = read(r);
        if (page.get("total_count").asLong() == 0) {
            return null;
        }
        lastSeen = page.get("backups").get(0);
        return lastSeen;
    }

    private void pause() {
        polls++;
        waiting.accept(POLL_INTERVAL);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.header("Authorization", "Bearer " + TestBackend.AK).timeout(Duration.ofSeconds(30))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
