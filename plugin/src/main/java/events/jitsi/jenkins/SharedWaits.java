package events.jitsi.jenkins;

import events.jitsi.core.aws.AwsServices;
import events.jitsi.core.ecs.WaitForStable;
import events.jitsi.core.time.RealScheduler;
import events.jitsi.core.time.Scheduler;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.init.Terminator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * The one wait engine of the controller: every {@code waitForServiceStable} of every build registers here, so the
 * waits on one cluster made as one AWS principal are answered together, by DescribeServices calls of up to ten
 * services, whatever build they belong to. Polls and rollbacks run on a scheduler thread of this plugin's own, not
 * on {@code jenkins.util.Timer}, which every plugin shares and whose threads must not block on AWS. An engine whose
 * last wait ended is closed after a few idle minutes.
 */
@Extension
public final class SharedWaits {
    private static final long IDLE_MINUTES = 5;

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "events-jitsi waitForServiceStable");
        t.setDaemon(true);
        return t;
    });
    private final RealScheduler scheduler = new RealScheduler(executor);
    private final Map<Key, Engine> engines = new HashMap<>();

    public static SharedWaits get() {
        return ExtensionList.lookupSingleton(SharedWaits.class);
    }

    private record Key(String region, String endpoint, Object principal) {
    }

    private static final class Engine {
        final AwsServices aws;
        final WaitForStable waits;
        int leases;
        ScheduledFuture<?> idleClose;

        Engine(AwsServices aws, Scheduler scheduler) {
            this.aws = aws;
            this.waits = new WaitForStable(aws.ecs(), scheduler);
        }
    }

    /** The plugin's scheduler, for engine calls that need one but do not wait (a deploy, a promotion's start). */
    Scheduler scheduler() {
        return scheduler;
    }

    /** The engine for this connection; hand it back with {@link Lease#release()} when the step ends. */
    synchronized Lease lease(AwsConnection connection) {
        Key key = new Key(connection.region(), connection.endpoint(), connection.principal());
        Engine engine = engines.get(key);
        if (engine == null) {
            engine = new Engine(connection.newServices(), scheduler);
            engines.put(key, engine);
        }
        engine.leases++;
        if (engine.idleClose != null) {
            engine.idleClose.cancel(false);
            engine.idleClose = null;
        }
        return new Lease(key, engine);
    }

    private synchronized void release(Key key, Engine engine) {
        engine.leases--;
        if (engine.leases == 0) {
            engine.idleClose = executor.schedule(() -> closeIfIdle(key, engine), IDLE_MINUTES, TimeUnit.MINUTES);
        }
    }

    private synchronized void closeIfIdle(Key key, Engine engine) {
        if (engine.leases == 0 && engines.remove(key, engine)) {
            engine.aws.close();
        }
    }

    /** One step execution's use of an engine. */
    final class Lease {
        private final Key key;
        private final Engine engine;
        private boolean released;

        private Lease(Key key, Engine engine) {
            this.key = key;
            this.engine = engine;
        }

        EcsClient ecs() {
            return engine.aws.ecs();
        }

        WaitForStable waits() {
            return engine.waits;
        }

        Scheduler scheduler() {
            return SharedWaits.this.scheduler;
        }

        void release() {
            synchronized (SharedWaits.this) {
                if (released) {
                    return;
                }
                released = true;
            }
            SharedWaits.this.release(key, engine);
        }
    }

    @Terminator
    public static void shutDown() {
        SharedWaits waits = ExtensionList.lookup(SharedWaits.class).get(SharedWaits.class);
        if (waits != null) {
            waits.close();
        }
    }

    private synchronized void close() {
        executor.shutdownNow();
        engines.values().forEach(e -> e.aws.close());
        engines.clear();
    }
}
