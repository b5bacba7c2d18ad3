package dev.rdsbackup.coretests.reliability;

import static org.assertj.core.api.Assertions.assertThat;

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
 * time and injected faults (probe throws, hangs past its deadline or reports DDL; copies fail; the store
 * throws or reports spurious compare-and-set conflicts; listeners throw; a replica dies). After every step
 * {@link World#checkInvariants()} holds; after healing every fault and letting time pass all deadlines,
 * {@link World#checkSettled()} holds. A failure shrinks to a minimal action sequence.
 */
@Label("Lifecycle state machine")
class LifecycleStateMachineProperties {
    static final int SEQUENCES = 1000;
    static final int MAX_ACTIONS = 30;

    @Property(tries = SEQUENCES)
    @AddLifecycleHook(PrintSequenceCountAndSeed.class)
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
        world.healAndSettle();
        world.checkSettled();
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
                .withAction(6, advance())
                .withAction(3, just("run due work", w -> w.advance(Duration.ZERO)))
                .withAction(3, probeFault())
                .withAction(1, resolveHung())
                .withAction(5, copy())
                .withAction(1, engineFault())
                .withAction(1, inUse())
                .withAction(3, storeFault())
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
        return () -> Combinators.combine(Arbitraries.of(Op.class), Arbitraries.integers().between(1, 3),
                        Arbitraries.of(false, true))
                .as((op, n, conflict) -> {
                    boolean asConflict = conflict && (op == Op.CAS || op == Op.DELETE);
                    return Transformer.mutate("store: next " + n + " " + op + (asConflict ? " conflict" : " throw"),
                            w -> w.storeFault(op, n, asConflict));
                });
    }

    private static Action.Independent<World> listenerThrows() {
        return () -> Arbitraries.of(true, false).map(on -> Transformer.mutate(
                "listener " + (on ? "starts" : "stops") + " throwing", w -> w.events.throwing = on));
    }

    /** Prints one line per run: how many sequences ran and the seed that reproduces them. */
    public static final class PrintSequenceCountAndSeed implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            PropertyExecutionResult result = property.execute();
            System.out.println("lifecycle state machine: " + result.countTries() + " sequences of up to "
                    + MAX_ACTIONS + " actions, seed " + result.seed().orElse("?") + ", " + result.status());
            return result;
        }
    }
}
