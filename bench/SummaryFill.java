// Fills a gateway database with N stored events for the summary benchmark (bench/summary.sh), fast: one
// recursive-CTE INSERT inside SQLite, no per-event round trips. Run with the gateway jar on the class path:
//   java -cp gateway/target/gateway.jar bench/SummaryFill.java DATA_DIR EVENTS DAYS
// Events are spread evenly over the last DAYS days, over eight event types; rollups are built for all but
// the newest 1,000 events (as a running gateway would have them: at most a second behind), and the cloud
// cursor is put 1,000 events before the end.
import com.retailedge.gateway.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;

public class SummaryFill {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long events = Long.parseLong(args[1]);
        long days = Long.parseLong(args[2]);
        long now = System.currentTimeMillis();
        long start = now - days * 86_400_000L;
        double step = (double) (now - start) / events;
        long t0 = System.nanoTime();
        Database database = Database.open(dir);
        try (Connection c = database.openWriteConnection(); Statement s = c.createStatement()) {
            s.execute("PRAGMA synchronous=OFF");
            s.execute("BEGIN");
            try (PreparedStatement ps = c.prepareStatement("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                    + "WHERE i < ?) INSERT INTO outbox (seq, id, type, subject, time_ms, body) "
                    + "SELECT i, lower(hex(randomblob(16))), "
                    + "CASE i % 8 WHEN 0 THEN 'retail.scan.accepted' WHEN 1 THEN 'retail.button.pressed' "
                    + "WHEN 2 THEN 'retail.label.updated' WHEN 3 THEN 'retail.stock.changed' "
                    + "WHEN 4 THEN 'retail.order.picked' WHEN 5 THEN 'retail.member.recognized' "
                    + "WHEN 6 THEN 'retail.replenishment.requested' ELSE 'retail.label.failed' END, "
                    + "'device-' || (i % 100), ? + CAST(i * ? AS INTEGER), "
                    + "'{\"specversion\":\"1.0\",\"sequence\":' || i || ',\"data\":{\"msgId\":\"m' || i || '\"}}' FROM n")) {
                ps.setLong(1, events);
                ps.setLong(2, start);
                ps.setDouble(3, step);
                ps.executeUpdate();
            }
            long rolled = Math.max(0, events - 1000);
            s.execute("INSERT INTO event_rollup (minute, type, n) SELECT time_ms / 60000, type, COUNT(*) FROM outbox "
                    + "WHERE seq <= " + rolled + " GROUP BY 1, 2");
            s.execute("INSERT INTO event_rollup_hour (hour, type, n) SELECT minute / 60, type, SUM(n) FROM event_rollup "
                    + "GROUP BY 1, 2");
            s.execute("UPDATE gateway_state SET value = " + rolled + " WHERE name IN ('rollup.seq', 'outbox.acked')");
            s.execute("COMMIT");
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        System.out.printf("filled %s with %,d events over %d days in %.1f s%n", database.file(), events, days,
                (System.nanoTime() - t0) / 1e9);
    }
}
