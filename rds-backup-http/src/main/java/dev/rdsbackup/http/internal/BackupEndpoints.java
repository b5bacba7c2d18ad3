package dev.rdsbackup.http.internal;

import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.BackupService;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.api.error.Violation;
import dev.rdsbackup.http.HttpApiRequest;
import dev.rdsbackup.http.HttpApiResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The API's operations on a {@link BackupService}: each reads its input from the request, calls the service once
 * and writes the answer. The caller is already authorized for the project. Refusals are thrown as
 * {@link BackupException}s (invalid input as a {@link WireValidationException}) for the
 * handler to answer.
 */
public final class BackupEndpoints {

    private final BackupService service;
    private final JsonBodies bodies;
    private final JsonAnswers json;
    private final ErrorBodies answers;

    /**
     * Creates the endpoints.
     *
     * @param service the backup service
     * @param bodies the body reader
     * @param json the JSON writer
     * @param answers the answer envelope
     */
    public BackupEndpoints(BackupService service, JsonBodies bodies, JsonAnswers json, ErrorBodies answers) {
        this.service = service;
        this.bodies = bodies;
        this.json = json;
        this.answers = answers;
    }

    /**
     * {@code POST /v3/{project_id}/backups}: creates a manual backup; with {@code X-Client-Token}, a retry
     * returns the original backup.
     *
     * @param projectId the authorized project
     * @param request the request
     * @param requestId the request id
     * @return 200 with {@code {"backup": ...}}, {@code BUILDING}
     */
    public HttpApiResponse create(String projectId, HttpApiRequest request, String requestId) {
        List<Violation> violations = new ArrayList<>();
        Optional<JsonBodies.CreateBody> body = bodies.create(request.body(), violations);
        List<String> tokens = request.headerValues(WireFields.CLIENT_TOKEN_HEADER);
        if (tokens.size() > 1) {
            violations.add(new Violation(WireFields.CLIENT_TOKEN_HEADER, "SingleValue", "must be given at most once"));
        }
        if (!violations.isEmpty()) {
            throw new WireValidationException(violations);
        }
        JsonBodies.CreateBody b = body.orElseThrow();
        BackupRequest backup = BackupRequest.builder()
                .projectId(projectId)
                .instanceId(b.instanceId())
                .name(b.name())
                .description(b.description())
                .databases(b.databases())
                .clientToken(tokens.isEmpty() ? null : tokens.get(0))
                .build();
        return answers.ok(200, json.backup(service.create(backup).backup()), requestId);
    }

    /**
     * {@code GET /v3/{project_id}/backups}: one page of the project's (or an instance's) backups, newest first.
     *
     * @param projectId the authorized project
     * @param request the request
     * @param requestId the request id
     * @return 200 with {@code {"backups": [...], "total_count": n}}
     */
    public HttpApiResponse list(String projectId, HttpApiRequest request, String requestId) {
        QueryParams q = QueryParams.parse(request.rawQuery());
        List<Violation> violations = new ArrayList<>(q.violations());
        Optional<ListParams> parsed = ListParams.parse(q, violations);
        if (!violations.isEmpty()) {
            throw new WireValidationException(violations);
        }
        ListParams p = parsed.orElseThrow();
        if (p.type() == WireValues.TypeFilter.NONE_HERE) {
            return answers.ok(200, json.backups(List.of(), 0), requestId);
        }
        if (p.backupId() != null) {
            return answers.ok(200, byId(projectId, p), requestId);
        }
        BackupQuery.Builder query = p.instanceId() == null
                ? BackupQuery.forProject(projectId)
                : BackupQuery.forInstance(projectId, p.instanceId());
        BackupPage page = service.list(query
                .type(p.type() == null ? null : p.type().backupType())
                .statuses(p.statuses().toArray(BackupStatus[]::new))
                .window(p.windowStart(), p.windowEnd())
                .offset(p.offset())
                .limit(p.limit())
                .build());
        return answers.ok(200, json.backups(page.items(), page.totalCount()), requestId);
    }

    private byte[] byId(String projectId, ListParams p) {
        BackupRecord b;
        try {
            b = service.get(projectId, p.backupId());
        } catch (BackupException e) {
            if (e.code() == ErrorCode.BACKUP_NOT_FOUND) {
                return json.backups(List.of(), 0);
            }
            throw e;
        }
        if (!p.matches(b)) {
            return json.backups(List.of(), 0);
        }
        return json.backups(p.offset() == 0 ? List.of(b) : List.of(), 1);
    }

    /**
     * {@code GET /v3/{project_id}/backups/{backup_id}} (extension): one backup.
     *
     * @param projectId the authorized project
     * @param backupId the backup
     * @param requestId the request id
     * @return 200 with {@code {"backup": ...}}
     */
    public HttpApiResponse get(String projectId, String backupId, String requestId) {
        return answers.ok(200, json.backup(service.get(projectId, backupId)), requestId);
    }

    /**
     * {@code DELETE /v3/{project_id}/backups/{backup_id}}: starts deleting a manual backup.
     *
     * @param projectId the authorized project
     * @param backupId the backup
     * @param requestId the request id
     * @return 200 with an empty body
     */
    public HttpApiResponse delete(String projectId, String backupId, String requestId) {
        service.delete(projectId, backupId);
        return answers.ok(200, new byte[0], requestId);
    }

    /**
     * {@code POST /v3/{project_id}/backups/batch-delete}: deletes 1 to 50 manual backups, each on its own.
     *
     * @param projectId the authorized project
     * @param request the request
     * @param requestId the request id
     * @return 200 with {@code {"delete_results": [...]}}
     */
    public HttpApiResponse batchDelete(String projectId, HttpApiRequest request, String requestId) {
        List<Violation> violations = new ArrayList<>();
        Optional<List<String>> ids = bodies.batchDelete(request.body(), violations);
        if (!violations.isEmpty()) {
            throw new WireValidationException(violations);
        }
        return answers.ok(200, json.deleteResults(service.deleteAll(projectId, ids.orElseThrow()), answers),
                requestId);
    }

    /**
     * {@code POST /v3/{project_id}/backups/{backup_id}/cancel} (extension): cancels a building backup.
     *
     * @param projectId the authorized project
     * @param backupId the backup
     * @param requestId the request id
     * @return 200 with {@code {"backup": ...}}, status {@code FAILED}, {@code rds_backup_status} {@code CANCELLED}
     */
    public HttpApiResponse cancel(String projectId, String backupId, String requestId) {
        return answers.ok(200, json.backup(service.cancel(projectId, backupId)), requestId);
    }
}
