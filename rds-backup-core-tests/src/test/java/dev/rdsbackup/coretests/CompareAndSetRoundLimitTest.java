package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.testkit.ForwardingBackupStore;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("A record that keeps changing under a request's compare-and-set")
class CompareAndSetRoundLimitTest {

    /**
     * A store where someone else writes the targeted record just before each of the service's
     * compare-and-sets on it (a no-op write that only moves the version), so every one of them conflicts.
     */
    static final class MeddlingStore extends ForwardingBackupStore {
        String target;
        int interferences;
        int attempts;

        MeddlingStore(BackupStore delegate) {
            super(delegate);
        }

        @Override
        public Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
            if (next.id().equals(target)) {
                attempts++;
                if (interferences > 0) {
                    interferences--;
                    BackupRecord current = delegate().find(target).orElseThrow();
                    delegate().compareAndSet(current, current.version());
                }
            }
            return delegate().compareAndSet(next, expectedVersion);
        }
    }

    private final Harness h = new Harness();
    private final MeddlingStore meddling = new MeddlingStore(h.store);
    private final DefaultBackupService service = h.baseBuilder("replica-m", h.scheduler).store(meddling).build();

    private String building() {
        h.engine.holdCopies();
        BackupHandle handle = service.create(Harness.request("Nightly").build());
        h.settle();
        return handle.backupId();
    }

    private String completed() {
        BackupHandle handle = service.create(Harness.request("Nightly").build());
        h.settle();
        assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.COMPLETED);
        return handle.backupId();
    }

    @Nested
    @DisplayName("a cancel")
    class Cancel {
        @Test
        @DisplayName("goes through when the record changes a few times in a row")
        void fewConflicts() {
            String id = building();
            meddling.target = id;
            meddling.interferences = 3;
            BackupRecord answered = service.cancel(Harness.PROJECT, id);
            h.settle();
            assertThat(answered.status()).isEqualTo(BackupStatus.CANCELLED);
            assertThat(h.stored(id).status()).isEqualTo(BackupStatus.CANCELLED);
            assertThat(meddling.attempts).as("compare-and-sets tried").isGreaterThanOrEqualTo(4);
            h.probe.assertEveryLockReleasedExactlyOnce();
        }

        @Test
        @DisplayName("gives up after a bounded number of rounds with CONCURRENT_MODIFICATION (409, retryable), "
                + "changing nothing, and a later cancel goes through")
        void endlessConflicts() {
            String id = building();
            meddling.target = id;
            meddling.interferences = Integer.MAX_VALUE;
            BackupException e = catchThrowableOfType(BackupException.class,
                    () -> service.cancel(Harness.PROJECT, id));
            assertThat(e).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.CONCURRENT_MODIFICATION);
            assertThat(e.code().httpStatus()).isEqualTo(409);
            assertThat(e.retryable()).isTrue();
            assertThat(meddling.attempts).as("compare-and-sets tried before giving up").isBetween(2, 100);
            assertThat(h.stored(id).status()).isEqualTo(BackupStatus.BUILDING);

            meddling.interferences = 0;
            assertThat(service.cancel(Harness.PROJECT, id).status()).isEqualTo(BackupStatus.CANCELLED);
            h.settle();
            h.probe.assertEveryLockReleasedExactlyOnce();
        }
    }

    @Nested
    @DisplayName("a delete")
    class Delete {
        @Test
        @DisplayName("goes through when the record changes a few times in a row")
        void fewConflicts() {
            String id = completed();
            meddling.target = id;
            meddling.interferences = 3;
            assertThat(service.delete(Harness.PROJECT, id).status()).isEqualTo(BackupStatus.DELETING);
            h.settle();
            assertThat(h.store.find(id)).isEmpty();
        }

        @Test
        @DisplayName("gives up after a bounded number of rounds with CONCURRENT_MODIFICATION, leaving the "
                + "backup as it was")
        void endlessConflicts() {
            String id = completed();
            BackupRecord before = h.stored(id);
            meddling.target = id;
            meddling.interferences = Integer.MAX_VALUE;
            BackupException e = catchThrowableOfType(BackupException.class,
                    () -> service.delete(Harness.PROJECT, id));
            assertThat(e).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.CONCURRENT_MODIFICATION);
            assertThat(e.retryable()).isTrue();
            assertThat(meddling.attempts).isBetween(2, 100);
            BackupRecord after = h.stored(id);
            assertThat(after.status()).isEqualTo(BackupStatus.COMPLETED);
            assertThat(after.toBuilder().version(before.version()).build()).isEqualTo(before);
            assertThat(h.engine.hasArtifact(id)).isTrue();
        }
    }
}
