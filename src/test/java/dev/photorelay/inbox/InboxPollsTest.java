package dev.photorelay.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** A poll that does not end (a read that blocks) is reported, with the file it is on, once it is over stall-after. */
class InboxPollsTest {

    @Test
    void aPollThatDoesNotEndIsReportedStuckNamingItsFile() {
        InboxPolls polls = new InboxPolls(Duration.ofMillis(200));
        polls.at("telegram/42/x\n.jpg");

        assertThat(polls.stuck()).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> polls.stuck().isPresent());
        assertThat(polls.stuck().orElseThrow()).contains("stuck on telegram/42/x\\n.jpg", "relay.inbox.stall-after");
    }

    @Test
    void pollsThatKeepEndingAreNotStuck() {
        InboxPolls polls = new InboxPolls(Duration.ofMillis(200));

        await().pollInterval(Duration.ofMillis(50)).during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2))
                .until(() -> {
                    polls.at("telegram/42/y.jpg");
                    polls.ended();
                    return polls.stuck().isEmpty();
                });
    }
}
