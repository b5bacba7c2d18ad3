package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.BackupType;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.coretests.faults.FaultInjectingStore;
import dev.rdsbackup.coretests.faults.FaultInjectingStore.Op;
import dev.rdsbackup.testkit.RecordingListener.Kind;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Found by the state machine (seed {@code 1404552675728732346}): a cancel whose write committed and then
 * threw, with the re-reads failing, left the run's ending in doubt; a deletion of the same backup on the same
 * replica then told {@code onDeleting} before the run settled and told {@code onCancelled}.
 */
@DisplayName("An ending in doubt, then a deletion of the same backup on the same replica")
class EndingBeforeDeletingTest {
    @Test
    @DisplayName("the listeners hear the ending before onDeleting")
    void endingFirst() {
        Harness h = new Harness();
        FaultInjectingStore store = new FaultInjectingStore(h.store);
        DefaultBackupService service = h.baseBuilder("replica-d", h.scheduler).store(store).build();
        BackupHandle handle = service.create(Harness.request("Daily").type(BackupType.AUTOMATED).build());
        String id = handle.backupId();
        store.commitThenThrow(Op.CAS, 1).thenFail(Op.FIND, 3);

        BackupException inDoubt = catchThrowableOfType(
                () -> service.instanceDeleted(Harness.PROJECT, Harness.INSTANCE), BackupException.class);
        assertThat(inDoubt.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
        assertThat(h.stored(id).status()).as("the cancel landed").isEqualTo(BackupStatus.CANCELLED);

        service.instanceDeleted(Harness.PROJECT, Harness.INSTANCE);
        h.advance(Duration.ofMinutes(10));
        assertThat(store.find(id)).as("the automated backup went with its instance").isEmpty();
        assertThat(h.events.kinds(id)).containsExactly(Kind.CREATED, Kind.CANCELLED, Kind.DELETING, Kind.DELETED);
    }
}
