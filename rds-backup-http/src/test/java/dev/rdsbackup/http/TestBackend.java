package dev.rdsbackup.http;

import dev.rdsbackup.testkit.BackupFixture;
import dev.rdsbackup.testkit.InMemoryBackupStore;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A real {@code DefaultBackupService} over the testkit's fakes in virtual time, served by
 * {@link RdsBackupHttpServer} on a loopback ephemeral port with {@link #AUTHORIZER}. Requests arrive on the
 * server's threads, so the fixture's scheduler is lenient; they never overlap with {@link #advance}, because every
 * client in these tests waits for its answer before it moves time. Deleting backup data waits for
 * {@link #finishDeletes()}, so a deleted backup is seen {@code DELETING} first.
 */
final class TestBackend implements AutoCloseable {

    /** The project of {@link BackupFixture#PROJECT}, which the SDK's credentials name. */
    static final String PROJECT = BackupFixture.PROJECT;
    /** An access key allowed on {@link #PROJECT}. */
    static final String AK = "ak-project-1";
    /** An access key allowed on another project only. */
    static final String OTHER_AK = "ak-project-2";

    /**
     * Reads the access key of the SDK's signature ({@code SDK-HMAC-SHA256 Access=ak, SignedHeaders=..., Signature=...})
     * or of a plain {@code Bearer ak}, and allows it on its projects only.
     */
    static final RequestAuthorizer AUTHORIZER = new AccessKeyAuthorizer(
            Map.of(AK, Set.of(PROJECT), OTHER_AK, Set.of("project-2")));

    /** The records, in memory, so a test can see every one. */
    final InMemoryBackupStore store = new InMemoryBackupStore();
    final BackupFixture fixture;
    final RdsBackupHttpServer server;
    private HeldDeletesEngine heldDeletes;

    TestBackend() {
        this(b -> b);
    }

    TestBackend(UnaryOperator<BackupFixture.Builder> fixtureSettings) {
        fixture = fixtureSettings.apply(BackupFixture.builder().store(store).strictThreads(false)
                .customize(b -> b.validator(SharedValidator.VALIDATOR))
                .decorateEngine(engine -> heldDeletes = new HeldDeletesEngine(engine))).build();
        server = RdsBackupHttpServer.builder()
                .service(fixture.service())
                .authorizer(AUTHORIZER)
                .port(0)
                .threads(4)
                .build()
                .start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    void advance(Duration amount) {
        fixture.advance(amount);
    }

    /** Lets the deletes of backup data that were asked for go on, then runs what they lead to. */
    void finishDeletes() {
        heldDeletes.finishDeletes();
        fixture.runPending();
    }

    @Override
    public void close() {
        server.stop(Duration.ofSeconds(5));
    }

    /** The tests' authorizer: an access key in the {@code Authorization} header, allowed on some projects. */
    static final class AccessKeyAuthorizer implements RequestAuthorizer {
        private final Map<String, Set<String>> projectsByKey;

        AccessKeyAuthorizer(Map<String, Set<String>> projectsByKey) {
            this.projectsByKey = Map.copyOf(projectsByKey);
        }

        @Override
        public AuthDecision authorize(HttpApiRequest request, String projectId) {
            String auth = request.header("Authorization");
            if (auth == null) {
                return AuthDecision.UNAUTHENTICATED;
            }
            String key = null;
            if (auth.startsWith("SDK-HMAC-SHA256 Access=")) {
                int end = auth.indexOf(',');
                key = auth.substring("SDK-HMAC-SHA256 Access=".length(), end < 0 ? auth.length() : end).trim();
            } else if (auth.startsWith("Bearer ")) {
                key = auth.substring("Bearer ".length()).trim();
            }
            Set<String> projects = key == null ? null : projectsByKey.get(key);
            if (projects == null) {
                return AuthDecision.UNAUTHENTICATED;
            }
            return projects.contains(projectId) ? AuthDecision.ALLOW : AuthDecision.FORBIDDEN;
        }
    }
}
