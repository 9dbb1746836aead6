package dev.photorelay.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.photorelay.testing.Inbox;
import dev.photorelay.testing.LogCapture;
import dev.photorelay.testing.TempInbox.InjectInbox;
import dev.photorelay.testing.TestImages;
import io.quarkus.test.junit.QuarkusTest;

/** A file name can neither split nor forge a log line: its control characters are written as escapes. */
@QuarkusTest
class InboxLogLinesTest {

    @InjectInbox
    Inbox inbox;

    @Test
    void aNameWithALineBreakOrATerminalEscapeIsLoggedEscapedOnOneLine() {
        String delivered = "telegram/120040/a\nINFO forged delivery.jpg";
        String refused = "nobody-here/b\u001b[2J\u2028c.jpg";
        List<String> logged;
        try (LogCapture capture = LogCapture.start()) {
            logged = capture.lines();
            inbox.drop(delivered, TestImages.jpeg(10, 10));
            inbox.drop(refused, TestImages.jpeg(10, 10));
            inbox.awaitSent(delivered);
            inbox.awaitFailed(refused);
        }

        assertThat(logged).anyMatch(line -> line.contains("Delivered telegram/120040/a\\nINFO forged delivery.jpg"));
        assertThat(logged).anyMatch(line -> line.contains("nobody-here/b\\u001b[2J\\u2028c.jpg"));
        assertThat(logged).noneMatch(line -> line.contains("\u001b") || line.contains("\u2028")
                || line.contains("a\nINFO"));
    }
}
