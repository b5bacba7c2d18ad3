package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupProgress;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.api.spi.CopyProgress;
import dev.rdsbackup.testkit.ScriptedInstanceProbe;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("What the engine answers is checked")
class EngineAnswersTest {
    private static final long SIZE = ScriptedInstanceProbe.DEFAULT_DATA_SIZE_BYTES;

    private final HeldDeletesEngine engine = new HeldDeletesEngine();
    private final Harness h = new Harness(b -> b.engine(engine));

    {
        engine.fake = h.engine;
        engine.holdDeletes = false;
        h.engine.holdCopies();
    }

    private String copying() {
        BackupHandle handle = h.create("Nightly");
        h.settle();
        assertThat(h.engine.isRunning(handle.backupId())).isTrue();
        return handle.backupId();
    }

    @Test
    @DisplayName("a copy that reports a negative size fails with ENGINE_FAILED and releases the lock")
    void negativeSize() {
        String id = copying();
        h.engine.complete(id, -1);
        h.settle();
        BackupRecord failed = h.stored(id);
        assertThat(failed.status()).isEqualTo(BackupStatus.FAILED);
        assertThat(failed.failure().code()).isEqualTo(ErrorCode.ENGINE_FAILED);
        assertThat(failed.sizeBytes()).isZero();
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("a copy that reports a size of zero (an empty database) completes with size 0")
    void zeroSize() {
        String id = copying();
        h.engine.complete(id, 0);
        h.settle();
        BackupRecord done = h.stored(id);
        assertThat(done.status()).isEqualTo(BackupStatus.COMPLETED);
        assertThat(done.sizeBytes()).isZero();
    }

    @Test
    @DisplayName("progress going backwards never lowers the recorded progress; progress going forward again does")
    void progressBackwards() {
        String id = copying();
        Consumer<CopyProgress> report = engine.progressCallbacks.get(0);
        h.advance(Duration.ofSeconds(10));
        report.accept(new CopyProgress(SIZE / 2, SIZE));
        h.settle();
        BackupProgress half = h.stored(id).progress();
        assertThat(half.bytesCopied()).isEqualTo(SIZE / 2);

        h.advance(Duration.ofSeconds(10));
        report.accept(new CopyProgress(SIZE / 4, SIZE));
        h.settle();
        BackupProgress after = h.stored(id).progress();
        assertThat(after.bytesCopied()).as("bytes copied after a report going backwards").isEqualTo(SIZE / 2);
        assertThat(after.percent()).isEqualTo(half.percent());

        report.accept(new CopyProgress(SIZE / 2, SIZE));
        h.settle();
        assertThat(h.stored(id).progress().bytesCopied()).as("the same figure again").isEqualTo(SIZE / 2);

        h.advance(Duration.ofSeconds(10));
        report.accept(new CopyProgress(SIZE * 3 / 4, SIZE));
        h.settle();
        BackupProgress forward = h.stored(id).progress();
        assertThat(forward.bytesCopied()).isEqualTo(SIZE * 3 / 4);
        assertThat(forward.percent()).isGreaterThan(half.percent());

        h.engine.complete(id);
        h.settle();
        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.COMPLETED);
    }
}
