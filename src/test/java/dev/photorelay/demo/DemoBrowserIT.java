package dev.photorelay.demo;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import dev.photorelay.testing.HeadlessChromium;
import dev.photorelay.testing.RelayProcess;
import dev.photorelay.testing.TestImages;

/**
 * The demo as a new user meets it: the packaged relay started with {@code -Dquarkus.profile=demo} and no account
 * anywhere, its {@code /demo} page open in headless Chromium while photos go through the relay to the simulated
 * platforms.
 */
class DemoBrowserIT {

    private static final Duration SHOWN_WITHIN = Duration.ofSeconds(30);

    @TempDir
    static Path folder;
    private static RelayProcess relay;
    private static ChromeDriver browser;
    private static String base;

    @BeforeAll
    static void startTheDemoAndOpenItsPage() {
        int port = RelayProcess.freePort();
        base = "http://localhost:" + port;
        relay = RelayProcess.start("demo", folder, Map.of("quarkus.profile", "demo", "quarkus.http.port",
                String.valueOf(port)));
        browser = HeadlessChromium.start(folder.resolve("chromium-profile"));
    }

    @BeforeEach
    void openThePage() {
        browser.get(base + "/demo");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void theDemoListensOnThisMachineOnly() {
        assertThat(relay.log()).contains("Listening on: http://127.0.0.1:");
    }

    @Test
    void aPhotoSentThroughTheApiAppearsOnThePageUnderItsPlatform() {
        given().baseUri(base).header("Authorization", "Bearer demo")
                .multiPart("file", "scene.png", TestImages.png(120, 90), "image/png")
                .multiPart("target", "sonoran").multiPart("recipient", "STEAM:4242")
                .post("/api/photos").then().statusCode(200).body("status", is("sent"));

        WebElement card = awaitCard("#sonoran .card.accepted[data-recipient='STEAM:4242']");
        // the thumbnail is the photo Sonoran fetched from the relay's media host, loaded by the browser
        assertThat(naturalWidth(card.findElement(By.tagName("img")))).isEqualTo(120);
        assertThat(browser.findElements(By.cssSelector("#telegram [data-recipient='STEAM:4242'], #zapi [data-recipient='STEAM:4242']")))
                .isEmpty();
    }

    @Test
    void aPhotoSentFromThePageReachesEveryPlatformOfTheAlias() throws Exception {
        Path photo = Files.write(folder.resolve("from-the-page.jpg"), TestImages.jpeg(200, 150));

        browser.findElement(By.id("file")).sendKeys(photo.toString());
        browser.findElement(By.cssSelector("#to option[value='everyone']")).click();
        browser.findElement(By.id("caption")).sendKeys("hello from the page");
        browser.findElement(By.id("submit")).click();

        await().atMost(SHOWN_WITHIN).until(() -> browser.findElement(By.id("result")).getText().startsWith("200"));
        assertThat(naturalWidth(awaitCard("#telegram .card.accepted[data-recipient='100200300']").findElement(By.tagName("img"))))
                .isEqualTo(200);
        assertThat(awaitCard("#telegram .card.accepted[data-recipient='100200300']").getText()).contains("hello from the page");
        assertThat(awaitCard("#zapi .card.accepted[data-recipient='5511999990000']").getText()).contains("hello from the page");
        awaitCard("#sonoran .card.accepted[data-recipient='STEAM:1000']");
    }

    @Test
    void anAlbumSentThroughTheApiAppearsAsOneEntryWithItsPhotosInOrder() {
        given().baseUri(base).header("Authorization", "Bearer demo")
                .multiPart("file", "a.jpg", TestImages.jpeg(101, 80), "image/jpeg")
                .multiPart("file", "b.jpg", TestImages.jpeg(102, 80), "image/jpeg")
                .multiPart("file", "c.png", TestImages.png(103, 80), "image/png")
                .multiPart("target", "telegram").multiPart("recipient", "4243").multiPart("caption", "an album")
                .post("/api/photos").then().statusCode(200).body("status", is("sent"));
        given().baseUri(base).header("Authorization", "Bearer demo")
                .multiPart("file", "d.jpg", TestImages.jpeg(104, 80), "image/jpeg")
                .multiPart("file", "e.jpg", TestImages.jpeg(105, 80), "image/jpeg")
                .multiPart("target", "sonoran").multiPart("recipient", "STEAM:4243")
                .post("/api/photos").then().statusCode(200).body("status", is("sent"));

        // the strict simulator took Telegram's sendMediaGroup and Sonoran's multi-photo data; each shows as one card
        WebElement telegram = awaitCard("#telegram .card.album.accepted[data-recipient='4243']");
        await().atMost(SHOWN_WITHIN).until(() -> telegram.findElements(By.tagName("img")).size() == 3);
        assertThat(telegram.findElements(By.tagName("img"))).extracting(DemoBrowserIT::naturalWidth)
                .containsExactly(101L, 102L, 103L);
        assertThat(telegram.getText()).contains("an album");
        assertThat(browser.findElements(By.cssSelector("#telegram .card[data-recipient='4243']"))).hasSize(1);
        WebElement sonoran = awaitCard("#sonoran .card.album.accepted[data-recipient='STEAM:4243']");
        await().atMost(SHOWN_WITHIN).until(() -> sonoran.findElements(By.tagName("img")).size() == 2);
        assertThat(sonoran.findElements(By.tagName("img"))).extracting(DemoBrowserIT::naturalWidth)
                .containsExactly(104L, 105L);
    }

    @Test
    void aRefusalShowsThePlatformsAnswerAndTheRelaysErrorCode() throws Exception {
        Path photo = Files.write(folder.resolve("refused.png"), TestImages.png(40, 40));

        browser.findElement(By.id("file")).sendKeys(photo.toString());
        browser.findElement(By.cssSelector("#to option[value='telegram']")).click();
        WebElement recipient = browser.findElement(By.id("recipient"));
        recipient.clear();
        recipient.sendKeys("@blocked_user");
        browser.findElement(By.id("submit")).click();

        WebElement card = awaitCard("#telegram .card.refused[data-recipient='@blocked_user']");
        assertThat(card.findElement(By.className("code")).getText()).isEqualTo("FORBIDDEN");
        assertThat(card.getText()).contains("403", "bot was blocked by the user");
        await().atMost(SHOWN_WITHIN).until(() -> browser.findElement(By.id("result")).getText().startsWith("502"));
    }

    @Test
    void aPhotoSentToTheBotFromThePageIsRelayedOnToZapiAndSonoran() throws Exception {
        Path photo = Files.write(folder.resolve("to-the-bot.jpg"), TestImages.jpeg(160, 120));
        String sonoranCards = "#sonoran .card.accepted[data-recipient='STEAM:1000']";
        int sonoranBefore = browser.findElements(By.cssSelector(sonoranCards)).size();

        browser.findElement(By.id("bot-file")).sendKeys(photo.toString());
        browser.findElement(By.id("bot-caption")).sendKeys("to the bot, from a user");
        browser.findElement(By.id("bot-submit")).click();

        await().atMost(SHOWN_WITHIN).until(() -> browser.findElement(By.id("bot-result")).getText()
                .matches("The bot has it as update \\d+: .*"));
        // the demo relays what its bot is sent to everyone: the round trip Telegram -> relay -> Z-API and Sonoran
        WebElement whatsapp = awaitCard("#zapi .card.accepted[data-recipient='5511999990000']", "to the bot, from a user");
        assertThat(naturalWidth(whatsapp.findElement(By.tagName("img")))).isEqualTo(160);
        await().atMost(SHOWN_WITHIN).until(() -> browser.findElements(By.cssSelector(sonoranCards)).size() > sonoranBefore);
    }

    @Test
    void theBotIsSentOnlyTheFileAsItIsAndOnlyWhatATelegramClientSends() {
        // a form of another site can post multipart, never application/octet-stream without the browser asking
        given().baseUri(base).multiPart("file", "x.jpg", TestImages.jpeg(20, 20), "image/jpeg")
                .post("/demo/send-to-bot?chat=1").then().statusCode(415);
        given().baseUri(base).contentType("application/octet-stream").body("not an image".getBytes())
                .post("/demo/send-to-bot?chat=1&as=photo").then().statusCode(400)
                .body(containsString("as a document"));
        given().baseUri(base).contentType("application/octet-stream").body(TestImages.jpeg(20, 20))
                .post("/demo/send-to-bot?chat=me").then().statusCode(400);
    }

    /** The first card of {@code selector} whose text holds {@code text}, once the page shows it. */
    private static WebElement awaitCard(String selector, String text) {
        await().atMost(SHOWN_WITHIN).until(() -> browser.findElements(By.cssSelector(selector)).stream()
                .anyMatch(card -> card.getText().contains(text)));
        return browser.findElements(By.cssSelector(selector)).stream().filter(card -> card.getText().contains(text))
                .findFirst().orElseThrow();
    }

    private static WebElement awaitCard(String selector) {
        await().atMost(SHOWN_WITHIN).until(() -> !browser.findElements(By.cssSelector(selector)).isEmpty());
        List<WebElement> cards = browser.findElements(By.cssSelector(selector));
        return cards.get(0);
    }

    private static long naturalWidth(WebElement image) {
        await().atMost(SHOWN_WITHIN).until(() -> Boolean.TRUE.equals(
                browser.executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", image)));
        return (Long) browser.executeScript("return arguments[0].naturalWidth", image);
    }
}
