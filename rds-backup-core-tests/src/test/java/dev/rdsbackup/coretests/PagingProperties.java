package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class PagingProperties {

    @Property(tries = 60)
    @Label("pages put together equal the full newest-first list, without duplicates or gaps, with the right total")
    void pagesCoverTheListing(@ForAll @Size(min = 0, max = 60) List<@IntRange(min = 0, max = 3) Integer> instances,
            @ForAll @IntRange(min = 0, max = 3) int sameInstantEvery,
            @ForAll @IntRange(min = 1, max = 100) int limit,
            @ForAll boolean perInstance) {
        Harness h = new Harness();
        for (int i = 0; i < 4; i++) {
            h.probe.addInstance(Harness.PROJECT, "inst-" + i);
        }
        List<BackupRecord> created = new ArrayList<>();
        for (int i = 0; i < instances.size(); i++) {
            if (sameInstantEvery == 0 || i % (sameInstantEvery + 1) != 0) {
                h.advance(Duration.ofSeconds(1));
            }
            String id = h.service.create(Harness.request("Backup" + i).instanceId("inst-" + instances.get(i))
                    .type(i % 2 == 0 ? BackupType.MANUAL : BackupType.AUTOMATED).build()).backupId();
            h.settle();
            created.add(h.stored(id));
        }
        BackupQuery query = perInstance
                ? BackupQuery.forInstance(Harness.PROJECT, "inst-0").limit(limit).build()
                : BackupQuery.forProject(Harness.PROJECT).limit(limit).build();
        List<BackupRecord> expected = created.stream().filter(query::matches)
                .sorted(BackupQuery.NEWEST_FIRST).toList();

        List<BackupRecord> pagedThrough = new ArrayList<>();
        int offset = 0;
        while (true) {
            BackupPage page = h.service.list(query.toBuilder().offset(offset).build());
            assertThat(page.totalCount()).isEqualTo(expected.size());
            assertThat(page.items().size()).isLessThanOrEqualTo(limit);
            pagedThrough.addAll(page.items());
            if (!page.hasMore()) {
                break;
            }
            assertThat(page.items()).hasSize(limit);
            offset += limit;
        }
        assertThat(pagedThrough).containsExactlyElementsOf(expected);
        assertThat(new HashSet<>(pagedThrough)).hasSize(pagedThrough.size());
    }
}
