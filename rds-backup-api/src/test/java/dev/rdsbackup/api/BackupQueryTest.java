package dev.rdsbackup.api;

import static dev.rdsbackup.api.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("BackupQuery")
class BackupQueryTest {

    static BackupQuery.Builder query() {
        return BackupQuery.forInstance("p-1", "i-1");
    }

    @Nested
    @DisplayName("validated")
    class Validated {
        @Test
        void theDefaultsAreValid() {
            BackupQuery q = BackupQuery.forProject("p-1").build();
            assertThat(Validation.violations(q)).isEmpty();
            assertThat(q.offset()).isZero();
            assertThat(q.limit()).isEqualTo(BackupQuery.DEFAULT_LIMIT).isEqualTo(100);
            assertThat(q.instanceId()).isNull();
            assertThat(q.type()).isNull();
            assertThat(q.statuses()).isEmpty();
        }

        @Test
        void theOffsetIsZeroOrMore() {
            assertThat(Validation.violatedPaths(query().offset(-1).build())).containsExactly("offset");
            assertThat(Validation.violatedPaths(query().offset(Integer.MAX_VALUE).build())).isEmpty();
        }

        @ParameterizedTest(name = "limit {0} is valid")
        @ValueSource(ints = {1, 50, 100})
        void aLimitFromOneToOneHundredIsValid(int limit) {
            assertThat(Validation.violatedPaths(query().limit(limit).build())).isEmpty();
        }

        @ParameterizedTest(name = "limit {0} is refused")
        @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 101, 1000})
        void anyOtherLimitIsRefused(int limit) {
            assertThat(Validation.violatedPaths(query().limit(limit).build())).containsExactly("limit");
        }

        @Test
        void aWindowWithOnlyAStartNamesTheMissingEnd() {
            assertThat(Validation.violatedPaths(query().window(T0, null).build())).containsExactly("windowEnd");
        }

        @Test
        void aWindowWithOnlyAnEndNamesTheMissingStart() {
            assertThat(Validation.violatedPaths(query().window(null, T0).build())).containsExactly("windowStart");
        }

        @Test
        void aWindowMustEndAfterItStarts() {
            assertThat(Validation.violatedPaths(query().window(T0, T0).build())).containsExactly("windowEnd");
            assertThat(Validation.violatedPaths(query().window(T0, T0.minusSeconds(1)).build()))
                    .containsExactly("windowEnd");
            assertThat(Validation.violatedPaths(query().window(T0, T0.plusNanos(1)).build())).isEmpty();
        }

        @Test
        void badIdsAreViolations() {
            assertThat(Validation.violatedPaths(BackupQuery.forInstance("p 1", "i/1").build()))
                    .containsExactly("instanceId", "projectId");
        }

        @Test
        void everyViolationIsReportedAtOnce() {
            assertThat(Validation.violatedPaths(query().offset(-1).limit(0).window(T0, null).build()))
                    .containsExactly("limit", "offset", "windowEnd");
        }
    }

    @Nested
    @DisplayName("matches")
    class Matches {
        final BackupRecord record = Fixtures.building().build();

        @Test
        void onlyRecordsOfItsProject() {
            assertThat(BackupQuery.forProject("p-1").build().matches(record)).isTrue();
            assertThat(BackupQuery.forProject("p-2").build().matches(record)).isFalse();
        }

        @Test
        void onlyRecordsOfItsInstanceWhenOneIsGiven() {
            assertThat(BackupQuery.forInstance("p-1", "i-1").build().matches(record)).isTrue();
            assertThat(BackupQuery.forInstance("p-1", "i-2").build().matches(record)).isFalse();
        }

        @Test
        void onlyRecordsOfItsTypeAndStatuses() {
            assertThat(query().type(BackupType.MANUAL).build().matches(record)).isTrue();
            assertThat(query().type(BackupType.AUTOMATED).build().matches(record)).isFalse();
            assertThat(query().statuses(BackupStatus.BUILDING, BackupStatus.FAILED).build().matches(record)).isTrue();
            assertThat(query().statuses(BackupStatus.COMPLETED).build().matches(record)).isFalse();
        }

        @Test
        void aWindowIncludesItsStartAndExcludesItsEnd() {
            assertThat(query().window(T0, T0.plusSeconds(1)).build().matches(record)).isTrue();
            assertThat(query().window(T0.minusSeconds(1), T0).build().matches(record)).isFalse();
            assertThat(query().window(T0.plusNanos(1), T0.plusSeconds(1)).build().matches(record)).isFalse();
        }
    }

    @Test
    void toBuilderThenBuildGivesAnEqualQuery() {
        BackupQuery q = query().type(BackupType.AUTOMATED).statuses(BackupStatus.COMPLETED, BackupStatus.FAILED)
                .window(T0, T0.plusSeconds(60)).offset(20).limit(10).build();
        assertThat(q.toBuilder().build()).isEqualTo(q);
        assertThat(q.toBuilder().offset(30).build().offset()).isEqualTo(30);
        BackupQuery plain = BackupQuery.forProject("p-1").build();
        assertThat(plain.toBuilder().build()).isEqualTo(plain);
    }

    @Test
    void theStatusSetIsCopiedAndUnmodifiable() {
        BackupQuery q = query().statuses(BackupStatus.COMPLETED).build();
        assertThatThrownBy(() -> q.statuses().add(BackupStatus.FAILED)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void forInstanceNeedsAnInstance() {
        assertThatThrownBy(() -> BackupQuery.forInstance("p-1", null))
                .isInstanceOf(NullPointerException.class).hasMessage("instanceId");
        assertThatThrownBy(() -> BackupQuery.forProject(null))
                .isInstanceOf(NullPointerException.class).hasMessage("projectId");
    }

    @Test
    void newestFirstOrdersByBeginTimeThenIdBothDescending() {
        BackupRecord old = Fixtures.building().id("b-1").beginTime(T0).build();
        BackupRecord newA = Fixtures.building().id("b-2").beginTime(T0.plusSeconds(5)).build();
        BackupRecord newB = Fixtures.building().id("b-3").beginTime(T0.plusSeconds(5)).build();
        List<BackupRecord> records = new ArrayList<>(List.of(old, newA, newB));
        Collections.shuffle(records, new java.util.Random(7));
        records.sort(BackupQuery.NEWEST_FIRST);
        assertThat(records).extracting(BackupRecord::id).containsExactly("b-3", "b-2", "b-1");
    }
}
