package dev.rdsbackup.testkit.contract;

import dev.rdsbackup.api.spi.InstanceProbe;
import dev.rdsbackup.testkit.ScriptedInstanceProbe;

class ScriptedInstanceProbeContractTest extends InstanceProbeContract {
    @Override
    protected InstanceProbe createProbe() {
        ScriptedInstanceProbe probe = new ScriptedInstanceProbe();
        probe.addInstance("p-1", "i-1");
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
}
