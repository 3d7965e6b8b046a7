package org.diskless.wake.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/** What {@code wake:nodes} asks of the running Wake-on-LAN component. */
public interface Wakeup {

    /**
     * The machines these words name, each once, in the order given: a node name, a group (its nodes
     * in name order), or a MAC (a machine the inventory need not hold).
     *
     * @throws IllegalArgumentException naming every word that names nothing; then nothing is woken
     */
    List<WakeTarget> resolve(List<String> words);

    /** Wakes the targets as the plan paces it, handing each progress line to {@code progress}. */
    void wake(List<WakeTarget> targets, WakePlan plan, Consumer<String> progress);

    /** The configured longest wait for a batch's kernels ({@code kernelWait}). */
    Duration kernelWait();

    /** Node and group names, for completion. */
    Collection<String> names();
}
