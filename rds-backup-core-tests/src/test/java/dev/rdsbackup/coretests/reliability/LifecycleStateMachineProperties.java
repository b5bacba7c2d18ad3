package dev.rdsbackup.coretests.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.coretests.reliability.FaultPlan.Mode;
import dev.rdsbackup.coretests.reliability.FaultPlan.Op;
import dev.rdsbackup.coretests.reliability.World.ProbeFault;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ActionChainArbitrary;
import net.jqwik.api.state.Transformer;

/**
 * Random lifecycles of the real core, two replicas sharing one store, with the testkit's fakes in virtual
 * time and injected faults, each as a real system produces it: the probe throws, hangs past its deadline or
 * reports DDL; copies fail; the store throws before writing, reports spurious compare-and-set conflicts,
 * or commits a write (create, compare-and-set, delete, lease renewal) and then throws, possibly with the
 * re-reads right after it failing too; each replica's scheduler ({@code TaskScheduler.of}, one with an
 * executor and a timer, one with a single scheduled executor) refuses work at submission or when a delayed
 * task falls due; listeners throw unchecked or (sneakily) checked exceptions; replicas' clocks are skewed
 * by up to a tenth of the lease; a replica dies; a replica closes ({@code DefaultBackupService.close()})
 * and a new one takes its place. After every step {@link Invariants#afterEveryStep} holds,
 * after a recovery run {@link Invariants#reconciled}; after healing every fault and letting time pass all
 * deadlines, {@link Invariants#settled}. A failure shrinks to a minimal action sequence.
 *
 * <p>{@value #SEQUENCES} sequences in the test command; {@code -Drdsbackup.stateMachine.sequences=N} runs
 * N instead (the README's "Testing the tests" records a long run), {@code -Drdsbackup.jqwik.seed=S} fixes
 * the seed. The seed is printed on every run.
 */
@Label("Lifecycle state machine")
class LifecycleStateMachineProperties {
    static final int SEQUENCES = 1000;
    /** System property: how many sequences to run instead of {@value #SEQUENCES} (for a long run). */
    static final String SEQUENCES_PROPERTY = "rdsbackup.stateMachine.sequences";
    static final int MAX_ACTIONS = 30;

    @Property(tries = SEQUENCES)
    @AddLifecycleHook(SequencesAndSeed.class)
    @Label("random lifecycles with injected faults keep every invariant at every step and settle once healed")
    void everyInvariantHoldsAtEveryStep(@ForAll("lifecycles") ActionChain<World> chain) {
        Quiet.run(() -> runToTheEnd(chain));
    }

    @Provide
    Arbitrary<ActionChain<World>> lifecycles() {
        return chains(World::new);
    }

    @Example
    @Label("the invariant checker catches a store whose compare-and-set ignores the version (test of the test)")
    void theCheckerCatchesABrokenStore() {
        AtomicInteger caught = new AtomicInteger();
        Quiet.run(() -> chains(() -> new World(true)).sampleStream().limit(300).forEach(chain -> {
            try {
                runToTheEnd(chain);
            } catch (AssertionError expected) {
                caught.incrementAndGet();
            }
        }));
        assertThat(caught.get()).as("sequences out of 300 in which a violation was reported").isPositive();
    }

    private static void runToTheEnd(ActionChain<World> chain) {
        World world = chain.withInvariant("lifecycle invariants", World::checkInvariants).run();
        try {
            world.healAndSettle();
            world.checkSettled();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n  after healing and settling, following the actions "
                    + chain.transformations() + "\n  final state: " + world, e);
        }
    }

    static ActionChainArbitrary<World> chains(Supplier<World> start) {
        return ActionChain.startWith(start)
                .withAction(8, create())
                .withAction(4, cancel())
                .withAction(4, delete())
                .withAction(2, deleteAll())
                .withAction(1, instanceDeleted())
                .withAction(2, recover())
                .withAction(1, just("replica B crashes", World::crash))
                .withAction(1, closeReplica())
                .withAction(6, advance())
                .withAction(3, just("run due work", w -> w.advance(Duration.ZERO)))
                .withAction(3, probeFault())
                .withAction(1, resolveHung())
                .withAction(5, copy())
                .withAction(1, engineFault())
                .withAction(1, inUse())
                .withAction(4, storeFault())
                .withAction(2, schedulerFault())
                .withAction(1, skew())
                .withAction(1, listenerThrows())
                .withMaxTransformations(MAX_ACTIONS);
    }

    // --------------------------------------------------------------------------------------------
    // Actions

    private static Arbitrary<Integer> slot() {
        return Arbitraries.integers().between(0, 1);
    }

    private static Arbitrary<Integer> pick() {
        return Arbitraries.integers().between(0, 20);
    }

    private static String replica(int slot) {
        return slot == 0 ? "A" : "B";
    }

    private static Action.Independent<World> just(String description, java.util.function.Consumer<World> step) {
        return () -> Arbitraries.just(Transformer.mutate(description, step));
    }

    private static Action.Independent<World> create() {
        return () -> Combinators.combine(slot(), Arbitraries.integers().between(0, World.INSTANCES.size() - 1),
                        Arbitraries.integers().between(0, World.NAMES.size() - 1),
                        Arbitraries.integers().between(0, World.DESCRIPTIONS.size() - 1),
                        Arbitraries.integers().between(0, World.TOKENS.size() - 1),
                        Arbitraries.frequency(List.of(
                                net.jqwik.api.Tuple.of(4, false), net.jqwik.api.Tuple.of(1, true))))
                .as((slot, instance, name, description, token, automated) -> Transformer.mutate(
                        "create via " + replica(slot) + " on " + String.join("/", World.INSTANCES.get(instance))
                                + " name=" + World.NAMES.get(name) + " description=" + World.DESCRIPTIONS.get(description)
                                + " token=" + World.TOKENS.get(token) + (automated ? " AUTOMATED" : " MANUAL"),
                        w -> w.create(slot, instance, name, description, token, automated)));
    }

    private static Action.Independent<World> cancel() {
        return () -> Combinators.combine(slot(), pick(), Arbitraries.of(false, false, false, true))
                .as((slot, pick, other) -> Transformer.mutate("cancel #" + pick + " via " + replica(slot)
                        + (other ? " from the other project" : ""), w -> w.cancel(slot, pick, other)));
    }

    private static Action.Independent<World> delete() {
        return () -> Combinators.combine(slot(), pick(), Arbitraries.of(false, false, false, true))
                .as((slot, pick, other) -> Transformer.mutate("delete #" + pick + " via " + replica(slot)
                        + (other ? " from the other project" : ""), w -> w.delete(slot, pick, other)));
    }

    private static Action.Independent<World> deleteAll() {
        return () -> Combinators.combine(slot(), pick().list().ofMinSize(0).ofMaxSize(4))
                .as((slot, picks) -> Transformer.mutate("delete all of #" + picks + " via " + replica(slot),
                        w -> w.deleteAll(slot, picks)));
    }

    private static Action.Independent<World> instanceDeleted() {
        return () -> Combinators.combine(slot(), Arbitraries.integers().between(0, World.INSTANCES.size() - 1))
                .as((slot, instance) -> Transformer.mutate("instance " + String.join("/",
                        World.INSTANCES.get(instance)) + " deleted, told to " + replica(slot),
                        w -> w.instanceDeleted(slot, instance)));
    }

    private static Action.Independent<World> recover() {
        return () -> slot().map(slot -> Transformer.mutate("recover via " + replica(slot), w -> w.recover(slot)));
    }

    private static Action.Independent<World> advance() {
        return () -> Arbitraries.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(11),
                        Duration.ofSeconds(21), Duration.ofSeconds(31), Duration.ofMinutes(2), Duration.ofMinutes(30))
                .map(d -> Transformer.mutate("advance " + d, w -> w.advance(d)));
    }

    private static Action.Independent<World> probeFault() {
        return () -> Combinators.combine(Arbitraries.integers().between(0, World.INSTANCES.size() - 1),
                        Arbitraries.of(ProbeFault.class), Arbitraries.integers().between(1, 3))
                .as((instance, fault, n) -> Transformer.mutate("probe: next " + n + " verifications of "
                        + String.join("/", World.INSTANCES.get(instance)) + " " + fault,
                        w -> w.probeFault(instance, fault, n)));
    }

    private static Action.Independent<World> resolveHung() {
        return () -> Arbitraries.of(true, false).map(verified -> Transformer.mutate(
                "hung verifications answer " + (verified ? "verified" : "failed"), w -> w.resolveHung(verified)));
    }

    private static Action.Independent<World> copy() {
        return () -> Combinators.combine(pick(), Arbitraries.of("complete", "complete", "fail", "progress"))
                .as((pick, how) -> Transformer.mutate("engine: " + how + " running copy #" + pick,
                        w -> w.copy(pick, how)));
    }

    private static Action.Independent<World> engineFault() {
        return () -> Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(1, 2))
                .as((copies, n) -> Transformer.mutate("engine: next " + n + (copies ? " copies fail" : " deletes fail"),
                        w -> {
                            if (copies) {
                                w.engine.failNextCopies(n);
                            } else {
                                w.engine.failNextDeletes(n);
                            }
                        }));
    }

    private static Action.Independent<World> inUse() {
        return () -> Combinators.combine(pick(), Arbitraries.of(true, false))
                .as((pick, used) -> Transformer.mutate("backup #" + pick + (used ? " in use" : " no longer in use"),
                        w -> w.setInUse(pick, used)));
    }

    private static Action.Independent<World> storeFault() {
        return () -> Combinators.combine(Arbitraries.of(Op.class), Arbitraries.of(Mode.class),
                        Arbitraries.integers().between(1, 3))
                .as((op, wanted, n) -> {
                    Mode mode = wanted;
                    if (mode == Mode.CONFLICT && op != Op.CAS && op != Op.DELETE
                            || mode.commits() && !op.isWrite()) {
                        mode = Mode.THROW;
                    }
                    Mode armed = mode;
                    return Transformer.mutate("store: next " + n + " " + op + " " + armed,
                            w -> w.storeFault(op, armed, n));
                });
    }

    private static Action.Independent<World> closeReplica() {
        return () -> slot().map(slot -> Transformer.mutate("replica " + replica(slot) + " closes (a new one "
                + "takes its place)", w -> w.close(slot)));
    }

    private static Action.Independent<World> schedulerFault() {
        return () -> Combinators.combine(slot(), Arbitraries.of(false, true), Arbitraries.integers().between(1, 2))
                .as((slot, whenDue, n) -> Transformer.mutate("scheduler of " + replica(slot) + " refuses the next "
                        + n + (whenDue ? " tasks when they fall due" : " submissions"),
                        w -> w.schedulerFault(slot, whenDue, n)));
    }

    private static Action.Independent<World> skew() {
        Duration tenth = World.MAX_SKEW;
        return () -> Combinators.combine(slot(), Arbitraries.of(tenth.negated(), Duration.ofSeconds(-1),
                        Duration.ZERO, Duration.ofSeconds(1), tenth))
                .as((slot, offset) -> Transformer.mutate("clock of " + replica(slot) + " set off by " + offset,
                        w -> w.skew(slot, offset)));
    }

    private static Action.Independent<World> listenerThrows() {
        return () -> Arbitraries.of(EventLog.Throwing.class).map(how -> Transformer.mutate(
                "listener throws " + how, w -> w.events.throwing = how));
    }

    /**
     * Runs as many sequences as the system property {@value #SEQUENCES_PROPERTY} says, if set (a long run:
     * {@code -Drdsbackup.stateMachine.sequences=100000}), and prints one line per run: how many sequences
     * ran and the seed that reproduces them.
     */
    public static final class SequencesAndSeed implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            String sequences = System.getProperty(SEQUENCES_PROPERTY);
            if (sequences != null && !sequences.isBlank()) {
                context.attributes().setTries(Integer.parseInt(sequences.trim()));
            }
            PropertyExecutionResult result = property.execute();
            System.out.println("lifecycle state machine: " + result.countTries() + " sequences of up to "
                    + MAX_ACTIONS + " actions, seed " + result.seed().orElse("?") + ", " + result.status());
            return result;
        }
    }
}
