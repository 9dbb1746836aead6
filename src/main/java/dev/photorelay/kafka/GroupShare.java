package dev.photorelay.kafka;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.jboss.logging.Logger;

import dev.photorelay.Printable;
import dev.photorelay.delivery.Pacer;

/**
 * Keeps each platform's overall rate for the Kafka group as a whole: every {@link #PERIOD_SECONDS} s it counts the
 * members of the relay's consumer group and has the {@link Pacer} keep its share (Telegram's 30 calls/s per bot across
 * three relays: 10 each). Between a member's loss and the next count, the others go at their old share: slower, never
 * faster, than the limit.
 */
final class GroupShare {

    static final int PERIOD_SECONDS = 5;
    private static final Logger LOG = Logger.getLogger(GroupShare.class);

    private final Admin admin;
    private final String group;
    private final String clientId;
    private final Pacer pacer;
    private int relays = 1;

    GroupShare(Properties connection, String group, String clientId, Pacer pacer) {
        this.admin = Admin.create(connection);
        this.group = group;
        this.clientId = clientId;
        this.pacer = pacer;
    }

    void start(ScheduledExecutorService scheduler) {
        scheduler.scheduleWithFixedDelay(this::count, 0, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    private void count() {
        try {
            Map<String, ConsumerGroupDescription> groups = admin.describeConsumerGroups(List.of(group)).all()
                    .get(PERIOD_SECONDS, TimeUnit.SECONDS);
            // this relay's consumer is a member once it has joined; before that it counts itself
            ConsumerGroupDescription description = groups.get(group);
            boolean joined = description.members().stream().anyMatch(member -> member.clientId().equals(clientId));
            int members = description.members().size() + (joined ? 0 : 1);
            if (members != relays) {
                relays = members;
                pacer.shareOverallRate(members);
                LOG.info("Kafka: " + members + " relay(s) in group " + group + ": each keeps 1/" + members
                        + " of every platform's overall rate");
            }
        } catch (Exception e) {
            // the broker away: the last count stands
            LOG.debug("Kafka: the group's members could not be counted: " + Printable.of(e.toString()));
        }
    }
}
