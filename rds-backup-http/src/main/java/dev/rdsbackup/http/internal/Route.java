package dev.rdsbackup.http.internal;

import java.util.List;

/** The paths of the API, each with the methods it accepts. */
public enum Route {
    /** {@code /v3/{project_id}/backups}: list (GET) and create (POST). */
    BACKUPS("/v3/{project_id}/backups", List.of("GET", "POST")),
    /** {@code /v3/{project_id}/backups/batch-delete}: batch delete (POST). */
    BATCH_DELETE("/v3/{project_id}/backups/batch-delete", List.of("POST")),
    /** {@code /v3/{project_id}/backups/{backup_id}}: get one (GET, an extension) and delete (DELETE). */
    BACKUP("/v3/{project_id}/backups/{backup_id}", List.of("GET", "DELETE")),
    /** {@code /v3/{project_id}/backups/{backup_id}/cancel}: cancel (POST, an extension). */
    CANCEL("/v3/{project_id}/backups/{backup_id}/cancel", List.of("POST"));

    private final String template;
    private final List<String> methods;

    Route(String template, List<String> methods) {
        this.template = template;
        this.methods = methods;
    }

    /** The path template, safe to log. */
    public String template() {
        return template;
    }

    /** The methods accepted, for the {@code Allow} header of a 405. */
    public List<String> methods() {
        return methods;
    }

    /**
     * Whether the route accepts a method.
     *
     * @param method the method as sent (case-sensitive, as HTTP says)
     * @return {@code true} if accepted
     */
    public boolean accepts(String method) {
        return methods.contains(method);
    }
}
