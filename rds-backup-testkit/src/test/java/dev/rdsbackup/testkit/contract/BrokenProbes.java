package dev.rdsbackup.testkit.contract;

import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.spi.InstanceInfo;
import dev.rdsbackup.api.spi.InstanceProbe;
import dev.rdsbackup.api.spi.Verification;
import dev.rdsbackup.testkit.ScriptedInstanceProbe;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Probes with one deliberate bug each, over a {@link ScriptedInstanceProbe} that knows i-1 in p-1 and i-2 in p-2. */
final class BrokenProbes {

    private BrokenProbes() {
    }

    /** Forwards everything to the scripted probe; each broken probe overrides one call. */
    static class Probe implements InstanceProbe {
        final ScriptedInstanceProbe scripted = new ScriptedInstanceProbe();

        Probe() {
            scripted.addInstance("p-1", "i-1");
            scripted.addInstance("p-2", "i-2");
        }

        @Override
        public Optional<InstanceInfo> describe(String projectId, String instanceId) {
            return scripted.describe(projectId, instanceId);
        }

        @Override
        public CompletionStage<Verification> verify(String projectId, String instanceId) {
            return scripted.verify(projectId, instanceId);
        }

        @Override
        public void releaseLock(BackupLock lock) {
            scripted.releaseLock(lock);
        }

        /** The project owning an instance id, whatever project was asked for. */
        static String anyProject(String instanceId) {
            return instanceId.equals("i-2") ? "p-2" : "p-1";
        }
    }

    /** Looks instances up by id alone, in every project. */
    static final class DescribeIgnoresProject extends Probe {
        @Override
        public Optional<InstanceInfo> describe(String projectId, String instanceId) {
            return scripted.describe(anyProject(instanceId), instanceId);
        }
    }

    /** Verifies instances by id alone, in every project. */
    static final class VerifyIgnoresProject extends Probe {
        @Override
        public CompletionStage<Verification> verify(String projectId, String instanceId) {
            return scripted.verify(anyProject(instanceId), instanceId);
        }
    }

    /** Answers Verified after the session that took the lock ended (the lock went with it). */
    static final class VerifiedWithoutLock extends Probe {
        @Override
        public CompletionStage<Verification> verify(String projectId, String instanceId) {
            return scripted.verify(projectId, instanceId).thenApply(answer -> {
                if (answer instanceof Verification.Verified verified) {
                    scripted.releaseLock(verified.lock());
                }
                return answer;
            });
        }
    }

    /** Releases nothing. */
    static final class ReleaseDoesNothing extends Probe {
        @Override
        public void releaseLock(BackupLock lock) {
        }
    }

    /** Releases every lock held on the lock's instance ({@code UNLOCK INSTANCE} on a shared session). */
    static final class ReleasesEveryLockOfTheInstance extends Probe {
        @Override
        public void releaseLock(BackupLock lock) {
            scripted.heldLocks().stream().filter(l -> l.instanceId().equals(lock.instanceId()))
                    .forEach(scripted::releaseLock);
            scripted.releaseLock(lock);
        }
    }

    /** Throws for a lock it does not know. */
    static final class ReleaseRejectsUnknownLock extends Probe {
        @Override
        public void releaseLock(BackupLock lock) {
            if (scripted.locksObtained() == 0 || lock.token().startsWith("contract-")) {
                throw new IllegalStateException("no such lock: " + lock.token());
            }
            scripted.releaseLock(lock);
        }
    }

    /** Throws when a lock is released a second time. */
    static final class ReleaseRejectsSecondRelease extends Probe {
        @Override
        public void releaseLock(BackupLock lock) {
            if (!scripted.isHeld(lock)) {
                throw new IllegalStateException("lock already released: " + lock.token());
            }
            scripted.releaseLock(lock);
        }
    }

    /** Verifies any instance id, existing or not. */
    static final class VerifiesMissingInstance extends Probe {
        @Override
        public CompletionStage<Verification> verify(String projectId, String instanceId) {
            return scripted.verify(projectId, "i-1");
        }
    }

    /** Answers the project's first instance for an instance id it does not know. */
    static final class DescribesFirstInstance extends Probe {
        @Override
        public Optional<InstanceInfo> describe(String projectId, String instanceId) {
            return scripted.describe(projectId, projectId.equals("p-2") ? "i-2" : "i-1");
        }
    }

    /** Answers Verified with a lock naming another instance. */
    static final class LockOnAnotherInstance extends Probe {
        @Override
        public CompletionStage<Verification> verify(String projectId, String instanceId) {
            return scripted.verify(projectId, instanceId).thenApply(answer -> answer instanceof Verification.Verified v
                    ? new Verification.Verified(new BackupLock(instanceId + "-primary", v.lock().token()), v.tableCount())
                    : answer);
        }
    }

    /** Never answers a verification of a missing instance. */
    static final class HangsForMissingInstance extends Probe {
        @Override
        public CompletionStage<Verification> verify(String projectId, String instanceId) {
            return instanceId.startsWith("contract-") ? new CompletableFuture<>() : super.verify(projectId, instanceId);
        }
    }

    static Map<String, BrokenCase<Probe>> catalogue() {
        return BrokenCase.catalogue(
                BrokenCase.of("describes instances of other projects", DescribeIgnoresProject::new,
                        "describeIsScopedToTheProject"),
                BrokenCase.of("verifies instances of other projects", VerifyIgnoresProject::new,
                        "verifyIsScopedToTheProject"),
                BrokenCase.of("answers Verified holding no lock", VerifiedWithoutLock::new, "verifiesAndLocks"),
                BrokenCase.of("releases nothing", ReleaseDoesNothing::new, "releasesLock", "releasesOnlyThatLock"),
                BrokenCase.of("releases every lock of the instance", ReleasesEveryLockOfTheInstance::new,
                        "releasesOnlyThatLock"),
                BrokenCase.of("throws for an unknown lock", ReleaseRejectsUnknownLock::new, "toleratesUnknownLock"),
                BrokenCase.of("throws for a second release", ReleaseRejectsSecondRelease::new,
                        "toleratesLockAlreadyGone"),
                BrokenCase.of("verifies a missing instance", VerifiesMissingInstance::new,
                        "missingInstanceIsNotVerified"),
                BrokenCase.of("describes an instance that does not exist", DescribesFirstInstance::new,
                        "emptyForMissingInstance"),
                BrokenCase.of("never answers for a missing instance", HangsForMissingInstance::new,
                        "missingInstanceIsNotVerified"),
                BrokenCase.of("locks another instance", LockOnAnotherInstance::new, "verifiesAndLocks"));
    }
}
