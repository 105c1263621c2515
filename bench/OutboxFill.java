// Tops a stopped gateway's outbox up to PENDING events the cloud has not acknowledged, fast (bench/spine-w.sh's
// W4): one recursive-CTE INSERT inside SQLite, no per-event round trips. Run with the gateway jar on the class path,
// while the gateway is stopped:
//   java -cp gateway/target/gateway.jar bench/OutboxFill.java DATA_DIR PENDING
// Each new row is a copy of the newest stored event (the outbox's real schema and an event of the real shape and
// size, normally a button press) with its own sequence, id and msgId, so the gateway then really has to forward
// them. The summary rollups are brought up to the new end as a running gateway would have them (its upkeep is at
// most a second behind), so the start measures the outbox, not a rollup catch-up. The acknowledged cursor is left
// where it is.
import com.retailedge.gateway.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class OutboxFill {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long wanted = Long.parseLong(args[1]);
        long t0 = System.nanoTime();
        Database database = Database.open(dir);
        try (Connection c = database.openWriteConnection(); Statement s = c.createStatement()) {
            long acked = single(s, "SELECT value FROM gateway_state WHERE name = 'outbox.acked'");
            long last = single(s, "SELECT COALESCE(MAX(seq), 0) FROM outbox");
            long add = wanted - Math.max(0, last - acked);
            if (add <= 0) {
                System.out.printf("%s already holds %,d pending events%n", database.file(), last - acked);
                return;
            }
            String template;
            long time;
            try (ResultSet rs = s.executeQuery("SELECT body, time_ms FROM outbox ORDER BY seq DESC LIMIT 1")) {
                if (!rs.next()) {
                    throw new IllegalStateException("the outbox is empty: store one event first (a press)");
                }
                template = rs.getString(1);
                time = rs.getLong(2);
            }
            // The event with place-holders where each copy differs: id, sequence, msgId.
            template = replaceOnce(template, "\"id\":\"[^\"]+\"", "\"id\":\"@ID@\"");
            template = replaceOnce(template, "\"sequence\":[0-9]+", "\"sequence\":@SEQ@");
            template = replaceOnce(template, "\"msgId\":\"[^\"]+\"", "\"msgId\":\"@MSG@\"");
            s.execute("PRAGMA synchronous=OFF");
            s.execute("BEGIN");
            try (PreparedStatement ps = c.prepareStatement("WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n "
                    + "WHERE i < ?), r(i, h) AS (SELECT i, lower(hex(randomblob(16))) FROM n) "
                    + "INSERT INTO outbox (seq, id, type, subject, time_ms, body) "
                    + "SELECT i, u, t.type, t.subject, ?, replace(replace(replace(?, '@ID@', u), '@SEQ@', i), '@MSG@', "
                    + "'fill-' || i) FROM (SELECT i, substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7' || substr(h, 14, 3) "
                    + "|| '-a' || substr(h, 18, 3) || '-' || substr(h, 21, 12) AS u FROM r), "
                    + "(SELECT type, subject FROM outbox WHERE seq = ?) AS t")) {
                ps.setLong(1, last + 1);
                ps.setLong(2, last + add);
                ps.setLong(3, time);
                ps.setString(4, template);
                ps.setLong(5, last);
                ps.executeUpdate();
            }
            long rolled = single(s, "SELECT value FROM gateway_state WHERE name = 'rollup.seq'");
            s.execute("INSERT INTO event_rollup (minute, type, n) SELECT time_ms / 60000, type, COUNT(*) FROM outbox "
                    + "WHERE seq > " + rolled + " GROUP BY 1, 2 ON CONFLICT (minute, type) DO UPDATE SET n = n + excluded.n");
            s.execute("INSERT INTO event_rollup_hour (hour, type, n) SELECT time_ms / 3600000, type, COUNT(*) FROM outbox "
                    + "WHERE seq > " + rolled + " GROUP BY 1, 2 ON CONFLICT (hour, type) DO UPDATE SET n = n + excluded.n");
            s.execute("UPDATE gateway_state SET value = " + (last + add) + " WHERE name = 'rollup.seq'");
            s.execute("COMMIT");
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            System.out.printf("added %,d events to %s (sequences %,d..%,d, acknowledged up to %,d): %,d pending, in %.1f s%n",
                    add, database.file(), last + 1, last + add, acked, last + add - acked, (System.nanoTime() - t0) / 1e9);
        }
    }

    private static long single(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static String replaceOnce(String text, String regex, String replacement) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + regex + " in the newest event: " + text);
        }
        return text.substring(0, m.start()) + replacement + text.substring(m.end());
    }
}
