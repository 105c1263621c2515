package com.retailedge.gateway.store;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes SQLite. Work queued while a commit is under way is grouped into the next
 * transaction (group commit), each unit in its own savepoint so one failure does not undo its neighbours.
 * A unit's future completes only after the commit that holds it: that is the moment a device may be told
 * its message is safe.
 */
public final class SqliteWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteWriter.class);

    private final Connection connection;
    /** Writer thread only. */
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    private final BlockingQueue<Queued<?>> queue;
    /**
     * Units that ride along with the next commit instead of costing one of their own, each run by its deadline
     * plus at most the idle writer's poll ({@link #submitWithNext}). Bounded; a rider that finds it full is queued
     * as usual.
     */
    private final BlockingQueue<Rider> riders = new LinkedBlockingQueue<>(MAX_RIDERS);

    private static final int MAX_RIDERS = 64;
    private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private final int maxBatch;
    private final Thread thread;
    private final Timer commitTimer;
    private final DistributionSummary batchSizes;
    private volatile boolean running = true;
    private volatile long unitsCommitted;
    /** When the oldest unit of the batch being run was queued; 0 while the writer waits for work. */
    private volatile long runningSinceNanos;
    /** Writer thread only: the side effects of a commit, handed to {@link #handOff}. */
    private final AfterCommitQueue handOff;
    /** Writer thread only. */
    private final CommitWindow commitWindow;

    public SqliteWriter(Database database, int maxBatch, int maxQueued, MeterRegistry metrics) throws SQLException {
        this(database, maxBatch, maxQueued, java.time.Duration.ZERO, metrics);
    }

    /**
     * @param commitWindow how long a fresh batch may wait for units arriving close behind it, at most; zero: never
     *     (see {@link CommitWindow})
     */
    public SqliteWriter(
            Database database, int maxBatch, int maxQueued, java.time.Duration commitWindow, MeterRegistry metrics)
            throws SQLException {
        this.commitWindow = new CommitWindow(commitWindow);
        this.connection = database.openWriteConnection();
        this.connection.setAutoCommit(true);
        this.maxBatch = maxBatch;
        this.queue = new LinkedBlockingQueue<>(maxQueued);
        this.commitTimer = Timer.builder("gateway_store_commit")
                .description("SQLite group commits")
                .publishPercentiles(0.5, 0.99)
                .register(metrics);
        this.batchSizes = DistributionSummary.builder("gateway_store_batch_size")
                .description("work units per commit")
                .register(metrics);
        metrics.gauge("gateway_store_queue", queue, BlockingQueue::size);
        metrics.gauge(
                "gateway_store_oldest_queued_seconds",
                this,
                w -> w.oldestQueuedAge().toMillis() / 1000.0);
        this.handOff = new AfterCommitQueue(metrics);
        this.thread = new Thread(this::loop, WriterThread.NAME);
        this.thread.setDaemon(true);
    }

    public void start() {
        handOff.start();
        thread.start();
    }

    /** Whether the writer thread runs (it ends only at {@link #close}). */
    public boolean alive() {
        return thread.isAlive();
    }

    /**
     * How long the oldest unit not yet committed has waited: the first of the batch under way, or the head of the
     * queue. Zero when there is no work. A healthy writer keeps it at milliseconds; seconds mean it is stuck.
     */
    public java.time.Duration oldestQueuedAge() {
        long now = System.nanoTime();
        long since = runningSinceNanos;
        Queued<?> head = queue.peek();
        long oldest = since != 0 ? since : head != null ? head.queuedNanos : 0;
        return oldest == 0 ? java.time.Duration.ZERO : java.time.Duration.ofNanos(Math.max(0, now - oldest));
    }

    /**
     * Queues work; the future completes after commit, or exceptionally with what the work threw, or with
     * {@link RejectedExecutionException} when the queue is full or the writer has stopped.
     */
    public <T> CompletableFuture<T> submit(WriteWork<T> work) {
        Queued<T> item = new Queued<>(work, new CompletableFuture<>());
        if (!running || !queue.offer(item)) {
            item.future.completeExceptionally(new RejectedExecutionException(
                    running ? "the store's write queue is full" : "the store is shutting down"));
        }
        return item.future;
    }

    /**
     * Queues work that need not be durable at once (a cursor the cloud's acknowledgements moved): it joins the next
     * commit made for other work, or gets one of its own once {@code maxWait} has passed (plus at most the idle
     * writer's 100 ms poll); at a stop it runs with the last batch. The future completes as for {@link #submit}.
     * Saves a commit, and its fsync, per such unit while devices are writing anyway.
     */
    public <T> CompletableFuture<T> submitWithNext(WriteWork<T> work, java.time.Duration maxWait) {
        Queued<T> item = new Queued<>(work, new CompletableFuture<>());
        if (!running || !riders.offer(new Rider(item, item.queuedNanos + maxWait.toNanos()))) {
            return submit(work);
        }
        return item.future;
    }

    private record Rider(Queued<?> item, long dueNanos) {}

    /** Units of work committed since start; only the writer thread writes it. */
    public long unitsCommitted() {
        return unitsCommitted;
    }

    /** Work currently waiting for the writer. */
    public int queued() {
        return queue.size();
    }

    private void loop() {
        List<Queued<?>> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty() || !riders.isEmpty()) {
            try {
                Queued<?> first = queue.poll(pollNanos(), TimeUnit.NANOSECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, maxBatch - 1);
                    gatherWithinWindow(batch);
                }
                takeRiders(batch, first != null);
                if (batch.isEmpty()) {
                    continue;
                }
                runningSinceNanos = batch.get(0).queuedNanos;
                runBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Throwable e) {
                // Whatever a unit threw (an Error too: a StackOverflowError, an OutOfMemoryError) costs its batch
                // only: the transaction is rolled back, the batch's futures fail, and the writer serves the next.
                LOG.error("a batch of {} units failed; rolled back, continuing", batch.size(), e);
                abandon(batch, e);
            } finally {
                runningSinceNanos = 0;
                batch.clear();
            }
        }
        handOff.close();
        queue.forEach(q -> q.future.completeExceptionally(new RejectedExecutionException("the store stopped")));
        riders.forEach(r -> r.item().future.completeExceptionally(new RejectedExecutionException("the store stopped")));
    }

    /**
     * Holds a fresh batch while the commit window says units are about to follow, then takes what came. Sleeps
     * rather than waiting on the queue: a wake-up per arriving unit would cost what the window saves. Ends at the
     * window's end, or at once when the writer is stopping.
     */
    private void gatherWithinWindow(List<Queued<?>> batch) {
        batch.forEach(q -> commitWindow.arrived(q.queuedNanos));
        long hold = commitWindow.holdNanos(batch.get(0).queuedNanos, System.nanoTime());
        if (hold == 0 || batch.size() >= maxBatch || !running) {
            return;
        }
        long deadline = System.nanoTime() + hold;
        long left;
        while (running && !Thread.currentThread().isInterrupted() && (left = deadline - System.nanoTime()) > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
        }
        int before = batch.size();
        queue.drainTo(batch, maxBatch - before);
        for (int i = before; i < batch.size(); i++) {
            commitWindow.arrived(batch.get(i).queuedNanos);
        }
    }

    /** How long to wait for work: until the first rider is due, at most the idle poll. */
    private long pollNanos() {
        Rider next = riders.peek();
        if (next == null) {
            return IDLE_POLL_NANOS;
        }
        return running ? Math.max(0, Math.min(IDLE_POLL_NANOS, next.dueNanos() - System.nanoTime())) : 0;
    }

    /** All riders join a batch made for other work; without one, they go once the first is due, or at a stop. */
    private void takeRiders(List<Queued<?>> batch, boolean withOtherWork) {
        Rider next = riders.peek();
        if (next == null || !(withOtherWork || !running || next.dueNanos() - System.nanoTime() <= 0)) {
            return;
        }
        Rider rider;
        while (batch.size() < maxBatch && (rider = riders.poll()) != null) {
            batch.add(rider.item());
        }
    }

    /**
     * Runs a batch in one transaction. First optimistically, without savepoints (they cost two statements per
     * unit); if any unit throws, the whole transaction is rolled back and the batch runs again with a
     * savepoint per unit, so only the failing unit is lost. Units must therefore be safe to run twice, which
     * they are: they change in-memory state only through {@link Tx} hooks.
     */
    private void runBatch(List<Queued<?>> batch) {
        long start = System.nanoTime();
        Object[] results = new Object[batch.size()];
        Throwable[] failures = new Throwable[batch.size()];
        BatchTx tx = new BatchTx(this);
        try {
            if (!runUnits(batch, tx, results, failures, false)) {
                execute("ROLLBACK");
                tx.rollbackAll();
                tx = new BatchTx(this);
                runUnits(batch, tx, results, failures, true);
            }
            execute("COMMIT");
            runningSinceNanos = 0; // committed: nothing of this batch waits any more
        } catch (SQLException e) {
            LOG.warn("group commit of {} units failed: {}", batch.size(), e.getMessage());
            runningSinceNanos = 0;
            resetAfterFailedCommit();
            tx.rollbackAll();
            batch.forEach(q -> q.future.completeExceptionally(e));
            return;
        } catch (Throwable e) {
            tx.rollbackAll();
            throw e;
        }
        commitTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        unitsCommitted += batch.size();
        batchSizes.record(batch.size());
        tx.committed();
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), results[i], failures[i]);
        }
    }

    /** After a Throwable escaped a batch: nothing of it is kept, and every waiter hears why. */
    private void abandon(List<Queued<?>> batch, Throwable cause) {
        runningSinceNanos = 0;
        resetAfterFailedCommit();
        RejectedExecutionException failure =
                new RejectedExecutionException("the store could not run this work: " + cause, cause);
        for (Queued<?> q : batch) {
            q.future.completeExceptionally(failure);
        }
    }

    /** Begins the transaction and runs every unit; false when a unit failed in optimistic mode. */
    private boolean runUnits(
            List<Queued<?>> batch, BatchTx tx, Object[] results, Throwable[] failures, boolean isolated)
            throws SQLException {
        execute("BEGIN IMMEDIATE");
        for (int i = 0; i < batch.size(); i++) {
            tx.startUnit();
            if (isolated) {
                execute("SAVEPOINT unit");
            }
            try {
                results[i] = batch.get(i).work.run(tx);
                failures[i] = null;
                if (isolated) {
                    execute("RELEASE unit");
                }
            } catch (Exception e) {
                if (!isolated) {
                    return false;
                }
                execute("ROLLBACK TO unit");
                execute("RELEASE unit");
                tx.rollbackUnit();
                failures[i] = e;
                results[i] = null;
            }
        }
        return true;
    }

    /**
     * After a failed commit (SQLITE_FULL, an I/O error) SQLite may or may not have rolled back, and sqlite-jdbc leaves
     * the statements that failed unusable ("statement is not executing"), which would fail every later batch. So the
     * cached statements are dropped, and the rollback runs on a fresh statement: the next batch starts clean and the
     * writer keeps serving as soon as the disk takes writes again.
     */
    private void resetAfterFailedCommit() {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // already unusable
            }
        }
        statements.clear();
        try (Statement s = connection.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // no transaction was open: SQLite had rolled it back already
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Queued<T> q, Object result, Throwable failure) {
        if (failure != null) {
            q.future.completeExceptionally(failure);
        } else {
            q.future.complete((T) result);
        }
    }

    private void execute(String sql) throws SQLException {
        prepare(sql).execute();
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            for (PreparedStatement ps : statements.values()) {
                ps.close();
            }
            connection.close();
        } catch (SQLException e) {
            LOG.warn("closing the writer connection: {}", e.getMessage());
        }
    }

    private record Queued<T>(WriteWork<T> work, CompletableFuture<T> future, long queuedNanos) {
        Queued(WriteWork<T> work, CompletableFuture<T> future) {
            this(work, future, System.nanoTime());
        }
    }

    /** Collects the hooks of one batch and of its current unit. */
    private static final class BatchTx implements Tx {
        private final SqliteWriter writer;
        private final List<Runnable> afterCommit = new ArrayList<>();
        private final List<Runnable> batchRollback = new ArrayList<>();
        private int unitAfterCommitStart;
        private int depth;
        private int unitRollbackStart;

        BatchTx(SqliteWriter writer) {
            this.writer = writer;
        }

        @Override
        public Connection connection() {
            return writer.connection;
        }

        @Override
        public PreparedStatement prepare(String sql) throws SQLException {
            return writer.prepare(sql);
        }

        @Override
        public void afterCommit(Runnable action) {
            afterCommit.add(action);
        }

        @Override
        public void onRollback(Runnable action) {
            batchRollback.add(action);
        }

        @Override
        public void handOff(Runnable action) {
            afterCommit.add(() -> writer.handOff.add(action));
        }

        @Override
        public <T> T savepoint(WriteWork<T> work) throws Exception {
            int commitMark = afterCommit.size();
            int rollbackMark = batchRollback.size();
            String name = "scope" + (++depth);
            writer.execute("SAVEPOINT " + name);
            try {
                T result = work.run(this);
                writer.execute("RELEASE " + name);
                return result;
            } catch (Exception e) {
                writer.execute("ROLLBACK TO " + name);
                writer.execute("RELEASE " + name);
                List<Runnable> undo = batchRollback.subList(rollbackMark, batchRollback.size());
                for (int i = undo.size() - 1; i >= 0; i--) {
                    undo.get(i).run();
                }
                undo.clear();
                afterCommit.subList(commitMark, afterCommit.size()).clear();
                throw e;
            } finally {
                depth--;
            }
        }

        void startUnit() {
            unitAfterCommitStart = afterCommit.size();
            unitRollbackStart = batchRollback.size();
        }

        void rollbackUnit() {
            List<Runnable> undo = batchRollback.subList(unitRollbackStart, batchRollback.size());
            for (int i = undo.size() - 1; i >= 0; i--) {
                undo.get(i).run();
            }
            undo.clear();
            afterCommit.subList(unitAfterCommitStart, afterCommit.size()).clear();
        }

        void rollbackAll() {
            for (int i = batchRollback.size() - 1; i >= 0; i--) {
                batchRollback.get(i).run();
            }
        }

        void committed() {
            for (Runnable r : afterCommit) {
                try {
                    r.run();
                } catch (Throwable e) {
                    // Committed is committed: a failing hook must not keep the batch's waiters from hearing so.
                    LOG.warn("after-commit action failed", e);
                }
            }
        }
    }
}
