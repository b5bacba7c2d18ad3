package dev.rdsbackup.api;

import static dev.rdsbackup.api.BackupStatus.BUILDING;
import static dev.rdsbackup.api.BackupStatus.CANCELLED;
import static dev.rdsbackup.api.BackupStatus.COMPLETED;
import static dev.rdsbackup.api.BackupStatus.DELETE_FAILED;
import static dev.rdsbackup.api.BackupStatus.DELETING;
import static dev.rdsbackup.api.BackupStatus.FAILED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

@Label("The backup lifecycle")
class BackupStatusProperties {

    /** The lifecycle of the brief, written out in full: changing it must change this test. */
    static final Map<BackupStatus, Set<BackupStatus>> TABLE = Map.of(
            BUILDING, EnumSet.of(COMPLETED, FAILED, CANCELLED),
            COMPLETED, EnumSet.of(DELETING),
            FAILED, EnumSet.of(DELETING),
            CANCELLED, EnumSet.of(DELETING),
            DELETING, EnumSet.of(DELETE_FAILED),
            DELETE_FAILED, EnumSet.of(DELETING));

    /**
     * A path through the lifecycle from {@code BUILDING}: each step picks one of the allowed transitions,
     * chosen by the generated numbers; the path stops when a step has nowhere to go.
     */
    @Provide
    Arbitrary<List<BackupStatus>> paths() {
        return Arbitraries.integers().between(0, 1_000).list().ofMaxSize(30).map(choices -> {
            List<BackupStatus> path = new ArrayList<>();
            BackupStatus current = BUILDING;
            path.add(current);
            for (int choice : choices) {
                List<BackupStatus> next = new ArrayList<>(current.allowedTransitions());
                if (next.isEmpty()) {
                    break;
                }
                current = next.get(choice % next.size());
                path.add(current);
            }
            return path;
        });
    }

    @Example
    void theTransitionTableIsExactlyTheLifecycle() {
        assertThat(EnumSet.allOf(BackupStatus.class)).isEqualTo(TABLE.keySet());
        for (BackupStatus from : BackupStatus.values()) {
            assertThat(from.allowedTransitions()).as("from %s", from).isEqualTo(TABLE.get(from));
        }
    }

    @Property
    void canTransitionToAgreesWithTheTable(@ForAll BackupStatus from, @ForAll BackupStatus to) {
        assertThat(from.canTransitionTo(to)).isEqualTo(TABLE.get(from).contains(to));
    }

    @Property
    void noStatusMovesToItself(@ForAll BackupStatus status) {
        assertThat(status.canTransitionTo(status)).isFalse();
    }

    @Property
    void aBackupIsBuiltAtMostOnceAndNeverBecomesActiveAgain(@ForAll("paths") List<BackupStatus> path) {
        assertThat(path.get(0)).isEqualTo(BUILDING);
        assertThat(path.subList(1, path.size())).doesNotContain(BUILDING);
        assertThat(path.stream().filter(BackupStatus::isActive)).hasSize(1);
    }

    @Property
    void everyStepOfAPathIsAllowed(@ForAll("paths") List<BackupStatus> path) {
        for (int i = 1; i < path.size(); i++) {
            assertThat(path.get(i - 1).canTransitionTo(path.get(i))).isTrue();
        }
    }

    @Property
    void buildingEndsCompletedFailedOrCancelledBeforeAnyDelete(@ForAll("paths") List<BackupStatus> path) {
        if (path.size() > 1) {
            assertThat(path.get(1)).isIn(COMPLETED, FAILED, CANCELLED);
        }
        if (path.contains(DELETING)) {
            assertThat(path.indexOf(DELETING)).isEqualTo(2);
        }
    }

    @Property
    void aDeleteIsAskedForOnlyWhenNoWorkRuns(@ForAll("paths") List<BackupStatus> path) {
        for (int i = 1; i < path.size(); i++) {
            if (path.get(i) == DELETING) {
                assertThat(path.get(i - 1).isTerminal()).isTrue();
                assertThat(path.get(i - 1).isDeletable()).isTrue();
            }
        }
    }

    @Property
    void theFlagsAreConsistent(@ForAll BackupStatus status) {
        assertThat(status.isTerminal()).isEqualTo(!status.isInProgress());
        assertThat(status.isActive()).isEqualTo(status == BUILDING);
        assertThat(status.isInProgress()).isEqualTo(status == BUILDING || status == DELETING);
        assertThat(status.isDeletable()).isEqualTo(status.canTransitionTo(DELETING));
        if (status.isActive()) {
            assertThat(status.isInProgress()).isTrue();
        }
        if (status.isDeletable()) {
            assertThat(status.isTerminal()).as("nothing in progress is deleted").isTrue();
        }
        if (status.isTerminal()) {
            assertThat(status.isDeletable()).as("every terminal status can be deleted").isTrue();
        }
    }

    @Example
    void everyStatusIsReachableFromBuilding() {
        Set<BackupStatus> seen = EnumSet.of(BUILDING);
        Deque<BackupStatus> todo = new ArrayDeque<>(seen);
        while (!todo.isEmpty()) {
            for (BackupStatus next : todo.pop().allowedTransitions()) {
                if (seen.add(next)) {
                    todo.add(next);
                }
            }
        }
        assertThat(seen).isEqualTo(EnumSet.allOf(BackupStatus.class));
    }

    @Example
    void theTransitionSetsCannotBeChanged() {
        assertThatThrownBy(() -> COMPLETED.allowedTransitions().add(BUILDING))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Example
    void theStatusNamesAreStable() {
        assertThat(BackupStatus.values()).extracting(Enum::name)
                .containsExactly("BUILDING", "COMPLETED", "FAILED", "CANCELLED", "DELETING", "DELETE_FAILED");
        assertThat(BackupType.values()).extracting(Enum::name).containsExactly("MANUAL", "AUTOMATED");
    }
}
