import java.util.UUID;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Sequential MQTT connect + disconnect round trips against a gateway: connects/s and mean ms per login.
 * java -cp gateway/target/gateway.jar bench/AuthBench.java URL COUNT [USER PASSWORD]
 */
public class AuthBench {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        int count = Integer.parseInt(args[1]);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        if (args.length > 3) {
            options.setUserName(args[2]);
            options.setPassword(args[3].toCharArray());
        }
        long first = 0;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long t = System.nanoTime();
            // With device logins the client id must be the device's own (the gate refuses any other).
            MqttClient client = new MqttClient(url, args.length > 2 ? args[2]
                    : "bench-" + UUID.randomUUID().toString().substring(0, 8), new MemoryPersistence());
            client.connect(options);
            client.disconnect();
            client.close();
            if (i == 0) {
                first = System.nanoTime() - t;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s: %d logins in %.2f s = %.0f logins/s, mean %.1f ms, first %.1f ms%n",
                args.length > 3 ? "auth required" : "auth off", count, seconds, count / seconds,
                seconds * 1000 / count, first / 1e6);
    }
}
