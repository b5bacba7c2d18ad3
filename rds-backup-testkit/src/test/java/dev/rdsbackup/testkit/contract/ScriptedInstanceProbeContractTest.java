package dev.rdsbackup.testkit.contract;

import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.spi.InstanceProbe;
import dev.rdsbackup.testkit.ScriptedInstanceProbe;
import java.util.Optional;

class ScriptedInstanceProbeContractTest extends InstanceProbeContract {
    private final ScriptedInstanceProbe probe = new ScriptedInstanceProbe();

    @Override
    protected InstanceProbe createProbe() {
        probe.addInstance("p-1", "i-1");
        probe.addInstance("p-2", "i-2");
        return probe;
    }

    @Override
    protected String projectId() {
        return "p-1";
    }

    @Override
    protected String verifiableInstanceId() {
        return "i-1";
    }

    @Override
    protected String otherProjectId() {
        return "p-2";
    }

    @Override
    protected Optional<Boolean> lockHeld(BackupLock lock) {
        return Optional.of(probe.isHeld(lock));
    }
}
