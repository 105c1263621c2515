package com.retailedge.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.retailedge.gateway.clients.CoapDevice;
import com.retailedge.gateway.clients.MqttDevice;
import com.retailedge.gateway.testsupport.FreePorts;
import com.retailedge.gateway.testsupport.GatewayEnv;
import com.retailedge.gateway.testsupport.InProcessGateway;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
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

/**
 * The store dashboard in headless Chromium (Debian's chromium and chromium-driver, as {@code .ci/run}
 * installs them): it loads from the gateway alone, and when devices send messages over real MQTT and CoAP the
 * numbers on the open page change without a reload. Leaves a screenshot at
 * {@code gateway/target/dashboard.png}.
 */
@Timeout(90)
class DashboardBrowserTest {
    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void given_an_open_dashboard_when_devices_send_then_its_numbers_change_without_a_reload() throws Exception {
        assertTrue(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
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
                wait.until(b -> !text(b, "updated").equals("never") && text(b, "stream").equals("connected"));
                ((JavascriptExecutor) browser).executeScript("window.sameDocument = 'yes';");
                assertEquals("0", online(browser, "button"));
                assertEquals("0", text(browser, "events-today"));
                String cloud = text(browser, "cloud-state");
                assertTrue(cloud.equals("DISCONNECTED") || cloud.equals("CONNECTING"), "no cloud broker in this test: " + cloud);
                assertFalse(browser.findElement(By.id("labels-none")).isDisplayed(), "labels: the label part is there");
                assertEquals("0", text(browser, "labels-failed"));
                assertFalse(browser.findElement(By.id("orders-none")).isDisplayed(), "orders: the picking part is there");
                assertEquals("0", text(browser, "orders-waiting"));

                mqtt.publish("store/" + GatewayEnv.STORE + "/button/button-3/press", press());
                assertEquals(ResponseCode.CHANGED, coap.post("/button/button-4/press",
                        press().getBytes(StandardCharsets.UTF_8)).getCode());
                assertEquals(ResponseCode.CHANGED, coap.post("/button/button-4/press",
                        press().getBytes(StandardCharsets.UTF_8)).getCode());
                assertEquals(ResponseCode.BAD_REQUEST, coap.post("/button/button-5/press",
                        "{\"msgId\":\"bad-1\",\"press\":\"triple\"}".getBytes(StandardCharsets.UTF_8)).getCode());

                wait.until(b -> online(b, "button").equals("2"));
                wait.until(b -> text(b, "events-today").equals("3"));
                wait.until(b -> "3".equals(b.findElement(By.id("chart")).getDomAttribute("data-total")));
                wait.until(b -> b.findElement(By.id("dead-letters")).getText().contains("button-5"));
                assertTrue(text(browser, "outbox-pending").startsWith("3"), "three events wait for the cloud");
                assertEquals("yes", ((JavascriptExecutor) browser).executeScript("return window.sameDocument;"),
                        "the page was updated in place, not reloaded");
                Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
                Files.copy(shot, Path.of("target", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
            } finally {
                browser.quit();
            }
        }
    }

    private static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1100", "--user-data-dir=" + dirFor("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort().build();
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
                return browser.findElements(By.cssSelector("#devices tr[data-kind='" + kind + "'] td:nth-child(2)"))
                        .stream().map(e -> e.getText().trim()).findFirst().orElse("");
            } catch (StaleElementReferenceException e) {
                if (attempt == 5) {
                    throw e; // re-rendered five times in a row: something is wrong with the page
                }
            }
        }
    }
}
