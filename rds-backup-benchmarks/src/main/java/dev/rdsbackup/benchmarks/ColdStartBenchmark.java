package dev.rdsbackup.benchmarks;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.testkit.FakeBackupEngine;
import dev.rdsbackup.testkit.InMemoryBackupStore;
import dev.rdsbackup.testkit.ManualScheduler;
import dev.rdsbackup.testkit.ScriptedInstanceProbe;
import dev.rdsbackup.testkit.SettableClock;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Figure 5: a fresh JVM's first backup. Each fork is a new JVM that measures exactly one call; the adapters
 * (testkit fakes, virtual time) and the request are made before the clock starts.
 * <ul>
 *   <li>{@code libraryDefaultValidator}: {@code DefaultBackupService.builder()...build()} (which bootstraps
 *       Hibernate Validator) and the first {@code create}, which returns the BUILDING backup.</li>
 *   <li>{@code libraryHostValidator}: the same, with a {@code Validator} the host built before (its
 *       bootstrap not timed); the first validation of a request still costs Hibernate Validator's
 *       metadata work for that class.</li>
 *   <li>{@code bareHibernateValidator}: bootstrapping the same Hibernate Validator and validating the same
 *       request once, with no library: the baseline.</li>
 * </ul>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(5)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@State(Scope.Benchmark)
public class ColdStartBenchmark {

    private InMemoryBackupStore store;
    private ScriptedInstanceProbe probe;
    private FakeBackupEngine engine;
    private SettableClock clock;
    private ManualScheduler scheduler;
    private BackupRequest request;
    private Validator hostValidator;

    /** Adapters, request and (for one method) the host's validator, made before the shot. */
    @Setup(Level.Iteration)
    public void setUp(org.openjdk.jmh.infra.BenchmarkParams params) {
        store = new InMemoryBackupStore();
        probe = new ScriptedInstanceProbe();
        probe.addInstance(Fixtures.PROJECT, "inst-0");
        engine = new FakeBackupEngine();
        clock = new SettableClock();
        scheduler = new ManualScheduler(clock);
        request = Fixtures.validRequest();
        if (params.getBenchmark().endsWith("libraryHostValidator")) {
            hostValidator = Fixtures.hibernateValidator();
        }
    }

    /** Build with the default validator, then the first create. */
    @Benchmark
    public BackupHandle libraryDefaultValidator() {
        return builder().build().create(request);
    }

    /** Build with the host's validator, then the first create. */
    @Benchmark
    public BackupHandle libraryHostValidator() {
        return builder().validator(hostValidator).build().create(request);
    }

    /** Hibernate Validator alone: bootstrap and the first validation. */
    @Benchmark
    public Set<ConstraintViolation<BackupRequest>> bareHibernateValidator() {
        return Fixtures.hibernateValidator().validate(request);
    }

    private DefaultBackupService.Builder builder() {
        return DefaultBackupService.builder().store(store).probe(probe).engine(engine).clock(clock)
                .scheduler(scheduler);
    }
}
