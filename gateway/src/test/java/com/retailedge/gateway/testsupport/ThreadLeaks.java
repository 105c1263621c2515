package com.retailedge.gateway.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds threads a gateway left running after it was closed: every thread started between {@link #before()} and
 * the check must have ended within a deadline, except the JVM's and the test harness's own. A part that forgets to
 * stop a timer, an executor or a client shows up here by its thread's name.
 */
public final class ThreadLeaks {
    /** Threads the JVM, JUnit, Awaitility or shared JDK pools start lazily; not the gateway's to stop. */
    private static final Pattern NOT_OURS = Pattern.compile("ForkJoinPool\\.commonPool-worker-\\d+|process reaper.*"
            + "|Common-Cleaner|Attach Listener|Signal Dispatcher|Notification Thread|Reference Handler|Finalizer"
            + "|awaitility.*|surefire.*|junit.*|JFR.*|Keep-Alive-.*|HttpClient-.*|Thread-\\d+ \\(sun\\..*"
            + "|RMI .*|GC .*|C[12] CompilerThread.*|Sweeper thread|Service Thread|Monitor Deflation Thread"
            + "|idle-connection-reaper|OkHttp .*|Exec Default Executor|Forwarding .*|UrlChecker-.*|External Process Output.*"
            + "|Cleaner-\\d+|CompletableFutureDelayScheduler"
            // Paho names its threads after the client: the gateway's client ids all start with "gateway" (cloud
            // events and commands, the in-store client); the others are the test's own backends and devices.
            + "|MQTT [A-Za-z]+: (?!gateway).*"
            // Californium's shared default endpoint, which a test's plain CoapClient opens for the whole JVM
            + "|:CoapEndpoint-UDP-0\\.0\\.0\\.0:0#\\d+|UDP-(Receiver|Sender)-0\\.0\\.0\\.0/0\\.0\\.0\\.0:0\\[\\d+\\]");

    private final Set<Thread> before;

    private ThreadLeaks(Set<Thread> before) {
        this.before = before;
    }

    public static ThreadLeaks before() {
        return new ThreadLeaks(Thread.getAllStackTraces().keySet());
    }

    /** Waits up to {@code deadline} for the threads started since {@link #before()} to end; throws naming those left. */
    public void assertNoneLeft(Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        List<String> left;
        while (true) {
            left = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && !before.contains(t) && !NOT_OURS.matcher(t.getName()).matches())
                    .map(Thread::getName).sorted().collect(Collectors.toList());
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("threads left running after the gateway closed: " + left);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for threads to end", e);
            }
        }
    }
}
