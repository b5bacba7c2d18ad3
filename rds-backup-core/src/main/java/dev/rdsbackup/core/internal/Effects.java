package dev.rdsbackup.core.internal;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Side effects decided while holding a backup's monitor and carried out after releasing it: adapter
 * calls (release a lock, cancel a copy), listener calls and completing futures never run under a lock,
 * so an adapter that calls back from another thread cannot deadlock the service.
 */
final class Effects {
    private static final Logger LOG = LoggerFactory.getLogger(Effects.class);

    private final List<Runnable> pending = new ArrayList<>(4);

    void add(Runnable effect) {
        pending.add(effect);
    }

    void run() {
        for (Runnable effect : pending) {
            try {
                effect.run();
            } catch (RuntimeException e) {
                LOG.warn("A deferred step failed and was skipped: {}", LogSafe.describe(e));
            }
        }
        pending.clear();
    }
}
