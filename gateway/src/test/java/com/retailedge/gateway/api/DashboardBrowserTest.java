package com.retailedge.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.retailedge.gateway.clients.ApiClient;
import com.retailedge.gateway.clients.CoapDevice;
import com.retailedge.gateway.clients.MqttDevice;
import com.retailedge.gateway.testsupport.CloudCommands;
import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import com.retailedge.gateway.testsupport.Mosquitto;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store dashboard in headless Chromium (Debian's chromium and chromium-driver, as {@code .ci/run}
 * installs them): it loads from the gateway alone, and when devices send messages over real MQTT and CoAP the
 * numbers on the open page change without a reload; a store manager sees the staff call of a button just
 * pressed, who acknowledged it, and a SKU that just went low, with times in the store's time zone. Leaves
 * screenshots at {@code gateway/target/dashboard.png} and {@code dashboard-tablet.png}.
 */
@Timeout(150)
@Tag("slow")
class DashboardBrowserTest {
    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void given_an_open_dashboard_when_devices_send_then_its_numbers_change_without_a_reload() throws Exception {
        assertTrue(
                CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
                "needs the Debian packages chromium and chromium-driver (.ci/run installs them)");
        try (InProcessGateway gateway = InProcessGateway.start(
                        new GatewayEnv(dir.resolve("gateway"), "tcp://127.0.0.1:" + FreePorts.tcp())
                                .set("GATEWAY_BUTTONS_DEBOUNCE", "0ms"));
                CoapDevice coap = new CoapDevice(gateway.env().coapPort());
                MqttDevice mqtt = new MqttDevice(gateway.env().mqttUrl())) {
            WebDriver browser = chromium();
            try {
                browser.get("http://127.0.0.1:" + gateway.env().httpPort() + "/");
                WebDriverWait wait = new WebDriverWait(browser, WAIT);
                // The page re-renders its tables on every update, so an element found a moment ago may be gone.
                wait.ignoring(StaleElementReferenceException.class);
                wait.until(b ->
                        !text(b, "updated").equals("never") && text(b, "stream").equals("connected"));
                ((JavascriptExecutor) browser).executeScript("window.sameDocument = 'yes';");
                assertEquals("0", online(browser, "button"));
                assertEquals("0", text(browser, "events-today"));
                String cloud = text(browser, "cloud-state");
                assertTrue(
                        cloud.equals("DISCONNECTED") || cloud.equals("CONNECTING"),
                        "no cloud broker in this test: " + cloud);
                assertFalse(browser.findElement(By.id("labels-none")).isDisplayed(), "labels: the label part is there");
                assertEquals("0", text(browser, "labels-failed"));
                assertFalse(
                        browser.findElement(By.id("orders-none")).isDisplayed(), "orders: the picking part is there");
                assertEquals("0", text(browser, "orders-waiting"));

                mqtt.publish("store/" + GatewayEnv.STORE + "/button/button-3/press", press());
                assertEquals(
                        ResponseCode.CHANGED,
                        coap.post("/button/button-4/press", press().getBytes(StandardCharsets.UTF_8))
                                .getCode());
                assertEquals(
                        ResponseCode.CHANGED,
                        coap.post("/button/button-4/press", press().getBytes(StandardCharsets.UTF_8))
                                .getCode());
                assertEquals(
                        ResponseCode.BAD_REQUEST,
                        coap.post(
                                        "/button/button-5/press",
                                        "{\"msgId\":\"bad-1\",\"press\":\"triple\"}".getBytes(StandardCharsets.UTF_8))
                                .getCode());

                wait.until(b -> online(b, "button").equals("2"));
                wait.until(b -> text(b, "events-today").equals("3"));
                wait.until(b -> "3".equals(b.findElement(By.id("chart")).getDomAttribute("data-total")));
                wait.until(b -> b.findElement(By.id("dead-letters")).getText().contains("button-5"));
                wait.until(b -> text(b, "dead-today").equals("1")
                        && text(b, "dead-by-reason").startsWith("bad-field"));
                assertTrue(text(browser, "outbox-pending").startsWith("3"), "three events wait for the cloud");
                assertEquals(
                        "yes",
                        ((JavascriptExecutor) browser).executeScript("return window.sameDocument;"),
                        "the page was updated in place, not reloaded");
                Path shot = ((TakesScreenshot) browser)
                        .getScreenshotAs(OutputType.FILE)
                        .toPath();
                Files.copy(shot, Path.of("target", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
            } finally {
                browser.quit();
            }
        }
    }

    @Test
    void a_manager_sees_a_staff_call_just_made_its_acknowledgement_and_a_sku_just_gone_low_in_the_store_zone()
            throws Exception {
        assertTrue(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(), "needs chromium and chromium-driver");
        // An odd offset the browser's own zone (the machine's) cannot match by chance.
        ZoneId store = ZoneId.of("Asia/Kathmandu");
        DateTimeFormatter hms = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(store);
        int apPort = FreePorts.udp();
        try (Mosquitto cloud = Mosquitto.start(dir.resolve("cloud"));
                InProcessGateway gateway = InProcessGateway.start(new GatewayEnv(dir.resolve("gateway"), cloud.url())
                        .set("GATEWAY_BUTTONS_DEBOUNCE", "0ms")
                        .set("GATEWAY_STORE_TIMEZONE", store.getId()));
                CoapDevice coap = new CoapDevice(gateway.env().coapPort());
                MqttDevice mqtt = new MqttDevice(gateway.env().mqttUrl())) {
            ApiClient read = new ApiClient(gateway.env().httpPort(), GatewayEnv.READ_TOKEN);
            Awaitility.await()
                    .atMost(WAIT)
                    .until(() -> "CONNECTED"
                            .equals(read.json("/health").at("/cloud/state").asText()));
            WebDriver browser = chromium("768,1400");
            try {
                browser.get("http://127.0.0.1:" + gateway.env().httpPort() + "/");
                WebDriverWait wait = new WebDriverWait(browser, WAIT);
                wait.ignoring(StaleElementReferenceException.class);
                wait.until(b -> text(b, "stream").equals("connected")
                        && !text(b, "updated").equals("never"));
                ((JavascriptExecutor) browser).executeScript("window.sameDocument = 'yes';");
                for (String table :
                        List.of("notices-open", "notices-acked", "reorders-open", "stock-low", "low-battery")) {
                    assertEquals("none", text(browser, table), table + " is empty and says so");
                }
                String since = text(browser, "since");
                assertTrue(since.endsWith(", 00:00"), "today starts at the store's midnight: " + since);
                assertEquals("(" + store.getId() + ")", text(browser, "timezone"));

                CloudCommands.send(
                        cloud,
                        "bindings",
                        "{\"commandId\":\"dash-1\",\"bindings\":["
                                + "{\"deviceId\":\"call-1\",\"kind\":\"button\",\"action\":\"staff-call\",\"aisle\":\"7\"},"
                                + "{\"deviceId\":\"ap-9\",\"kind\":\"ap\",\"url\":\"coap://127.0.0.1:" + apPort + "\"},"
                                + "{\"deviceId\":\"esl-900\",\"kind\":\"label\",\"sku\":\"sku-dash\",\"ap\":\"ap-9\"}]}");
                wait.until(b ->
                        online(b, "ap").equals("0") && registered(b, "button").equals("11"));

                mqtt.publish("store/" + GatewayEnv.STORE + "/button/call-1/press", press());
                By call = By.cssSelector("#notices-open tr[data-source='call-1']");
                wait.until(b -> !b.findElements(call).isEmpty());
                JsonNode notice =
                        read.json("/api/v1/notices?state=open").get("notices").get(0);
                String created =
                        hms.format(Instant.parse(notice.get("createdAt").asText()));
                wait.until(b -> cells(b, call).equals(List.of("staff call", "aisle 7 · call-1", created)));

                post(
                        gateway.env().httpPort(),
                        "{\"movements\":[{\"sku\":\"sku-dash\",\"kind\":\"receiving\",\"qty\":10}]}");
                post(gateway.env().httpPort(), "{\"movements\":[{\"sku\":\"sku-dash\",\"kind\":\"sale\",\"qty\":8}]}");
                By low = By.cssSelector("#stock-low tr[data-sku='sku-dash']");
                wait.until(b -> !b.findElements(low).isEmpty());
                JsonNode level =
                        read.json("/api/v1/stock?sku=sku-dash").get("stock").get(0);
                String updated = hms.format(Instant.parse(level.get("updated").asText()));
                wait.until(b -> cells(b, low).equals(List.of("sku-dash", "2", "5", updated)));

                mqtt.publish(
                        "store/" + GatewayEnv.STORE + "/pda/pda-1/ack",
                        "{\"msgId\":\"" + UUID.randomUUID() + "\",\"noticeId\":\""
                                + notice.get("noticeId").asText() + "\"}");
                By acked = By.cssSelector("#notices-acked tr[data-source='call-1']");
                wait.until(b -> !b.findElements(acked).isEmpty());
                JsonNode ack =
                        read.json("/api/v1/notices?state=acked").get("notices").get(0);
                assertEquals(
                        List.of(
                                "staff call",
                                "aisle 7 · call-1",
                                "pda-1",
                                hms.format(Instant.parse(ack.get("ackedAt").asText()))),
                        cells(browser, acked));
                wait.until(b -> text(b, "notices-open").equals("none"));

                // The access point relays its label's report: it is online, though it sent nothing itself.
                assertEquals(
                        ResponseCode.CHANGED,
                        coap.post(
                                        "/esl/esl-900/status",
                                        ("{\"msgId\":\"" + UUID.randomUUID() + "\",\"version\":0,\"battery\":9}")
                                                .getBytes(StandardCharsets.UTF_8))
                                .getCode());
                wait.until(b -> online(b, "ap").equals("1"));
                wait.until(b -> b.findElement(By.id("low-battery")).getText().contains("esl-900"));
                wait.until(b -> b.findElement(By.id("chart-legend")).getText().contains("button"));
                assertEquals(
                        "yes",
                        ((JavascriptExecutor) browser).executeScript("return window.sameDocument;"),
                        "the page was updated in place, not reloaded");
                Path shot = ((TakesScreenshot) browser)
                        .getScreenshotAs(OutputType.FILE)
                        .toPath();
                Files.copy(shot, Path.of("target", "dashboard-tablet.png"), StandardCopyOption.REPLACE_EXISTING);
            } finally {
                browser.quit();
            }
        }
    }

    private static void post(int port, String json) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/stock"))
                                .header("Authorization", "Bearer " + GatewayEnv.ADMIN_TOKEN)
                                .header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
    }

    private static List<String> cells(WebDriver browser, By row) {
        return browser.findElement(row).findElements(By.tagName("td")).stream()
                .map(e -> e.getText().trim())
                .toList();
    }

    private static String registered(WebDriver browser, String kind) {
        return browser.findElements(By.cssSelector("#devices tr[data-kind='" + kind + "'] td:nth-child(3)")).stream()
                .map(e -> e.getText().trim())
                .findFirst()
                .orElse("");
    }

    private static WebDriver chromium() {
        return chromium("1280,1100");
    }

    private static WebDriver chromium(String windowSize) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=" + windowSize,
                "--user-data-dir=" + dirFor("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private static String dirFor(String name) {
        try {
            return Files.createTempDirectory(name).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String press() {
        return "{\"msgId\":\"" + UUID.randomUUID() + "\",\"press\":\"single\"}";
    }

    private static String text(WebDriver browser, String id) {
        return browser.findElement(By.id(id)).getText().trim();
    }

    /** The online count in the devices table's row for a kind; empty when the row is not there. */
    private static String online(WebDriver browser, String kind) {
        for (int attempt = 1; ; attempt++) {
            try {
                return browser
                        .findElements(By.cssSelector("#devices tr[data-kind='" + kind + "'] td:nth-child(2)"))
                        .stream()
                        .map(e -> e.getText().trim())
                        .findFirst()
                        .orElse("");
            } catch (StaleElementReferenceException e) {
                if (attempt == 5) {
                    throw e; // re-rendered five times in a row: something is wrong with the page
                }
            }
        }
    }
}
