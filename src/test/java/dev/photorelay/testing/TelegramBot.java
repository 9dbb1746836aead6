package dev.photorelay.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * Telegram's side of the bot {@link TelegramWireMock#TOKEN}, played by a WireMock server: the messages users send it,
 * as {@code getUpdates} gives them (Bot API: Update, Message, PhotoSize, Document), and their files through
 * {@code getFile} and the file download. Updates are numbered from 1000; the field chat is {@value #FIELD_CHAT}.
 */
public final class TelegramBot {

    public static final String GET_UPDATES = "/bot" + TelegramWireMock.TOKEN + "/getUpdates";
    public static final String GET_FILE = "/bot" + TelegramWireMock.TOKEN + "/getFile";
    public static final String FILES = "/file/bot" + TelegramWireMock.TOKEN + "/";
    /** The private chat of the sender {@code @field_alice}, whose documents {@link #document} sends. */
    public static final long FIELD_CHAT = 4240001;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WireMockServer telegram;
    private final List<ObjectNode> updates = new ArrayList<>();
    private long nextUpdateId = 1000;

    /** Starts with no update to give. */
    public TelegramBot(WireMockServer telegram) {
        this.telegram = telegram;
        offer();
    }

    /**
     * Makes Telegram give these updates (after those offered before), each until a getUpdates' {@code offset} passes
     * it: a call without offset gets them all, one with offset N those from N on.
     */
    public void offer(ObjectNode... more) {
        updates.addAll(List.of(more));
        telegram.stubFor(get(urlPathEqualTo(GET_UPDATES)).atPriority(5).withQueryParam("offset", absent())
                .willReturn(okJson(result(updates))));
        for (int i = 0; i <= updates.size(); i++) {
            long offset = i < updates.size() ? updates.get(i).path("update_id").asLong() : nextUpdateId;
            telegram.stubFor(get(urlPathEqualTo(GET_UPDATES)).atPriority(5).withQueryParam("offset", equalTo(
                    Long.toString(offset))).willReturn(okJson(result(updates.subList(i, updates.size())))));
        }
    }

    /** A getUpdates answer giving these updates. */
    public static String result(List<ObjectNode> given) {
        ObjectNode answer = JSON.createObjectNode().put("ok", true);
        answer.putArray("result").addAll(given);
        return answer.toString();
    }

    /** getUpdates calls that acknowledged the update: an offset past it. */
    public List<LoggedRequest> acknowledgements(long updateId) {
        return telegram.findAll(getRequestedFor(urlPathEqualTo(GET_UPDATES))).stream()
                .filter(call -> call.queryParameter("offset").isPresent()
                        && Long.parseLong(call.queryParameter("offset").firstValue()) > updateId)
                .toList();
    }

    /** A photo message, its sizes smallest first (file ids {@code file-<message>-<index>}), each downloadable. */
    public ObjectNode photo(long messageId, long chatId, String username, String caption, byte[]... sizes) {
        ObjectNode message = message(messageId, chatId, username, caption);
        ArrayNode photo = message.putArray("photo");
        for (int i = 0; i < sizes.length; i++) {
            String fileId = file(messageId, i, "photos/file_" + messageId + "_" + i + ".jpg", sizes[i]);
            photo.addObject().put("file_id", fileId).put("file_unique_id", "u" + fileId).put("width", 90 * (i + 1))
                    .put("height", 60 * (i + 1)).put("file_size", sizes[i].length);
        }
        return update(message);
    }

    /** A file sent "as a file" by the field chat: a document with its type. */
    public ObjectNode document(long messageId, String name, String mimeType, byte[] content) {
        ObjectNode message = message(messageId, FIELD_CHAT, "field_alice", null);
        String fileId = file(messageId, 0, "documents/" + name, content);
        message.putObject("document").put("file_id", fileId).put("file_unique_id", "u" + fileId).put("file_name", name)
                .put("mime_type", mimeType).put("file_size", content.length);
        return update(message);
    }

    /** A message from {@code @username} (or a user without one) in a private chat, or in group "Field team" for a negative id. */
    public static ObjectNode message(long messageId, long chatId, String username, String caption) {
        ObjectNode message = JSON.createObjectNode().put("message_id", messageId).put("date", 1764572400);
        ObjectNode from = message.putObject("from").put("id", Math.abs(chatId)).put("is_bot", false)
                .put("first_name", "Alice");
        if (username != null) {
            from.put("username", username);
        }
        message.set("chat", chatId > 0 ? from.deepCopy().put("type", "private").without("is_bot") : chat(chatId, "Field team"));
        if (caption != null) {
            message.put("caption", caption);
        }
        return message;
    }

    private static ObjectNode chat(long chatId, String title) {
        return JSON.createObjectNode().put("id", chatId).put("type", "supergroup").put("title", title);
    }

    /** The message as the next update. */
    public ObjectNode update(ObjectNode message) {
        return JSON.createObjectNode().put("update_id", nextUpdateId++).set("message", message);
    }

    /** getFile answers the file's path, and the path its bytes. */
    private String file(long messageId, int index, String path, byte[] content) {
        String fileId = "file-" + messageId + "-" + index;
        telegram.stubFor(post(urlEqualTo(GET_FILE)).atPriority(5).withRequestBody(containing("file_id=" + fileId))
                .willReturn(okJson("{\"ok\":true,\"result\":{\"file_id\":\"" + fileId + "\",\"file_unique_id\":\"u"
                        + fileId + "\",\"file_size\":" + content.length + ",\"file_path\":\"" + path + "\"}}")));
        telegram.stubFor(get(urlEqualTo(FILES + path)).willReturn(aResponse().withStatus(200).withBody(content)));
        return fileId;
    }
}
