package dev.photorelay.platforms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TelegramCaptionsTest {

    @Test
    void htmlTagsDoNotCountAndAnEntityIsOneCharacter() {
        assertThat(TelegramCaptions.length("<b>" + "A".repeat(1022) + "</b>", "HTML")).isEqualTo(1022);
        assertThat(TelegramCaptions.length("<a href=\"https://example.com/a/long/path\">map</a> &amp; &lt;3 &#128247;",
                "HTML")).isEqualTo(10);
    }

    @Test
    void markdownMarkupAndLinkTargetsDoNotCountAndAnEscapeIsOneCharacter() {
        assertThat(TelegramCaptions.length("*bold* _it_ [site](https://example.com) 1\\.5", "MarkdownV2"))
                .isEqualTo("bold it site 1.5".length());
        assertThat(TelegramCaptions.length("||spoiler|| ~gone~ `code`\n>quote", "MarkdownV2"))
                .isEqualTo("spoiler gone code\nquote".length());
        assertThat(TelegramCaptions.length("*bold* [site](https://example.com)", "Markdown"))
                .isEqualTo("bold site".length());
    }

    @Test
    void aQuotedGreaterThanSignInATagAndACodeBlocksLanguageAreMarkupToo() {
        assertThat(TelegramCaptions.length("<a href=\"http://x/?q=>>>>\">" + "a".repeat(1020) + "</a>", "HTML"))
                .isEqualTo(1020);
        assertThat(TelegramCaptions.length("```python\n" + "a".repeat(1020) + "```", "MarkdownV2")).isEqualTo(1020);
    }

    @Test
    void plainTextCountsEveryCharacterOnceAstralOnesToo() {
        assertThat(TelegramCaptions.length("<b>1025</b> " + "x".repeat(1013), null)).isEqualTo(1025);
        assertThat(TelegramCaptions.length("🐈".repeat(600), null)).isEqualTo(600);
        assertThat(TelegramCaptions.length(null, "HTML")).isZero();
    }
}
