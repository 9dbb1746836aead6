package dev.photorelay.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/** What each platform stand-in received, by recipient. */
public final class Received {

    public static final String TELEGRAM_SEND_PHOTO = "/bot" + TelegramWireMock.TOKEN + "/sendPhoto";
    public static final String TELEGRAM_SEND_MEDIA_GROUP = "/bot" + TelegramWireMock.TOKEN + "/sendMediaGroup";
    public static final String TELEGRAM_SEND_DOCUMENT = "/bot" + TelegramWireMock.TOKEN + "/sendDocument";
    public static final String ZAPI_SEND_IMAGE = "/instances/" + ZapiWireMock.INSTANCE + "/token/" + ZapiWireMock.TOKEN
            + "/send-image";
    public static final String SONORAN_SEND_PHOTO = "/general/send_photo";

    private Received() {
    }

    public static List<LoggedRequest> telegram(WireMockServer telegram, String chatId) {
        return telegram(telegram, TELEGRAM_SEND_PHOTO, chatId);
    }

    /** Documents sent to a chat ({@code sendDocument}). */
    public static List<LoggedRequest> telegramDocuments(WireMockServer telegram, String chatId) {
        return telegram(telegram, TELEGRAM_SEND_DOCUMENT, chatId);
    }

    /** Albums sent to a chat ({@code sendMediaGroup}), in the order they came. */
    public static List<LoggedRequest> telegramAlbums(WireMockServer telegram, String chatId) {
        return telegram(telegram, TELEGRAM_SEND_MEDIA_GROUP, chatId);
    }

    private static List<LoggedRequest> telegram(WireMockServer telegram, String method, String chatId) {
        return telegram.findAll(postRequestedFor(urlEqualTo(method))).stream()
                .filter(r -> r.isMultipart() ? chatId.equals(r.getPart("chat_id").getBody().asString())
                        : r.getBodyAsString().contains("\"chat_id\":\"" + chatId + "\""))
                .toList();
    }

    public static List<LoggedRequest> zapi(WireMockServer zapi, String phone) {
        return zapi.findAll(postRequestedFor(urlEqualTo(ZAPI_SEND_IMAGE))).stream()
                .filter(r -> r.getBodyAsString().contains("\"phone\":\"" + phone + "\""))
                .toList();
    }

    public static List<LoggedRequest> sonoran(WireMockServer sonoran, String apiId) {
        return sonoran.findAll(postRequestedFor(urlEqualTo(SONORAN_SEND_PHOTO))).stream()
                .filter(r -> r.getBodyAsString().contains("\"apiId\":\"" + apiId + "\""))
                .toList();
    }

    /** The one request of these: also proves nothing was sent twice. */
    public static LoggedRequest only(List<LoggedRequest> requests) {
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }
}
