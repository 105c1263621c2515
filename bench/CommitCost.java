import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * What one SQLite commit costs this machine, as the gateway's writer commits (WAL, synchronous=FULL, no automatic
 * checkpoint): wall time and the thread's CPU, user and system, per commit of one row in each of TABLES tables
 * (a button press touches eight or nine pages). Run with the gateway jar on the class path:
 *   java -cp gateway/target/gateway.jar bench/CommitCost.java DIR [TABLES] [COMMITS]
 */
public class CommitCost {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int tables = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int commits = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        Files.createDirectories(dir);
        Path file = dir.resolve("commit-cost-" + tables + ".db");
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Files.deleteIfExists(Path.of(file + suffix));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA wal_autocheckpoint=0");
            PreparedStatement[] inserts = new PreparedStatement[tables];
            for (int t = 0; t < tables; t++) {
                s.execute("CREATE TABLE t" + t + " (id INTEGER PRIMARY KEY, body TEXT)");
            }
            c.setAutoCommit(false);
            for (int t = 0; t < tables; t++) {
                inserts[t] = c.prepareStatement("INSERT INTO t" + t + " (body) VALUES (?)");
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            String row = "x".repeat(100);
            for (int round = 0; round < 2; round++) { // the first round warms up
                long wall0 = System.nanoTime();
                long cpu0 = threads.getCurrentThreadCpuTime();
                long user0 = threads.getCurrentThreadUserTime();
                for (int i = 0; i < commits; i++) {
                    for (PreparedStatement insert : inserts) {
                        insert.setString(1, row);
                        insert.executeUpdate();
                    }
                    c.commit();
                }
                double wall = (System.nanoTime() - wall0) / 1e3 / commits;
                double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / commits;
                double user = (threads.getCurrentThreadUserTime() - user0) / 1e3 / commits;
                if (round == 1) {
                    System.out.printf(
                            "%d tables per commit: wall %.0f us, CPU %.0f us (user %.0f, system %.0f) per commit%n",
                            tables, wall, cpu, user, cpu - user);
                }
            }
        }
    }
}
