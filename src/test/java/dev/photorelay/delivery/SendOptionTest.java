package dev.photorelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Each option takes the same values under the same name from a sidecar's JSON and from an API form field. */
class SendOptionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSidecarValueMustHaveTheOptionsType() throws Exception {
        assertThat(SendOption.CAPTION.fromJson(json("\"Hi\""))).isEqualTo("Hi");
        assertThat(SendOption.CAPTION.fromJson(json("3"))).isNull();
        assertThat(SendOption.REPLY_TO.fromJson(json("101"))).isEqualTo("101");
        assertThat(SendOption.REPLY_TO.fromJson(json("\"ABC123\""))).isEqualTo("ABC123");
        assertThat(SendOption.REPLY_TO.fromJson(json("1.5"))).isNull();
        assertThat(SendOption.VIEW_ONCE.fromJson(json("true"))).isEqualTo(true);
        assertThat(SendOption.VIEW_ONCE.fromJson(json("\"true\""))).isNull();
        assertThat(SendOption.DELAY_SECONDS.fromJson(json("5"))).isEqualTo(5);
        assertThat(SendOption.DELAY_SECONDS.fromJson(json("\"soon\""))).isNull();
        assertThat(SendOption.DELAY_SECONDS.fromJson(json("99999999999"))).isNull();
    }

    @Test
    void aFormFieldBecomesTheSameTypedValue() {
        assertThat(SendOption.PARSE_MODE.fromText("HTML")).isEqualTo("HTML");
        assertThat(SendOption.VIEW_ONCE.fromText("false")).isEqualTo(false);
        assertThat(SendOption.VIEW_ONCE.fromText("yes")).isNull();
        assertThat(SendOption.DELAY_SECONDS.fromText(" 3 ")).isEqualTo(3);
        assertThat(SendOption.DELAY_SECONDS.fromText("soon")).isNull();
    }

    @Test
    void namesAndMessagesComeFromOnePlace() {
        assertThat(SendOption.byField("delaySeconds")).contains(SendOption.DELAY_SECONDS);
        assertThat(SendOption.byField("delay")).isEmpty();
        assertThat(SendOption.fields()).isEqualTo("caption, replyTo, viewOnce, delaySeconds, parseMode, asDocument");
        assertThat(SendOption.VIEW_ONCE.mustBe()).isEqualTo("viewOnce must be true or false");
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }
}
