package dev.photorelay.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.photorelay.Printable;
import dev.photorelay.RelayConfig;
import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.PhotoDeliveryException;
import dev.photorelay.delivery.PhotoHeaders;
import dev.photorelay.delivery.PhotoRequestJson;
import dev.photorelay.media.MediaType;
import dev.photorelay.media.Sha256;
import dev.photorelay.operations.DeliveryMetrics;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Photo requests from Kafka (routes {@code kafka-requests} and {@code kafka-deliver}). A record's value is either the
 * HTTP API's JSON request with an optional {@code id}, or the photo's bytes with the options in record headers named
 * as {@link PhotoHeaders} ({@code PhotoTarget}, {@code PhotoRecipient}, {@code PhotoDestination}, ...; UTF-8). The
 * request's id is its {@code id}, else {@code <topic>-<partition>-<offset>}.
 * <p>
 * At least once: a record's offset is committed once every recipient of it is settled and every record before it on
 * its partition too ({@link KafkaOffsets}); a record that cannot be taken gets an outcome, a copy in
 * {@code <requests-topic>.dlq} with the reason in its headers, and its offset committed, so that it never holds up its
 * partition. Above {@code relay.kafka.max-in-flight} unsettled requests the consumer pauses
 * ({@link KafkaRequestsListener}, which also commits).
 */
@Singleton
@Named("kafkaRequests")
@RegisterForReflection
public class KafkaRequests {

    /** Exchange property: the request's id (its {@code id}, else {@code <topic>-<partition>-<offset>}). */
    public static final String REQUEST_ID = "kafkaRequestId";
    static final String ROUTE = "kafka-requests";
    /** Record headers of a copy in the DLQ: the error code and why it was not taken. */
    static final String DLQ_CODE = "PhotoRelayErrorCode";
    static final String DLQ_REASON = "PhotoRelayReason";
    /**
     * Exchange property: the SHA-256 of the record's value and headers (first 16 hex digits). With the id it names the request in
     * the group's confirmed deliveries: an id used again for another photo (a producer's mistake, a topic made anew
     * whose offsets start again) is another request, not one delivered already.
     */
    static final String FINGERPRINT = "kafkaRequestFingerprint";
    private static final String TAKEN = "kafkaTaken";
    private static final String RECORD = "kafkaRecord";
    private static final int MAX_ID_LENGTH = 200;
    private static final Logger LOG = Logger.getLogger(KafkaRequests.class);

    /** The record as it came, for its copy in the DLQ. */
    private record Original(Object key, byte[] value, Headers headers) {
    }

    private final PhotoRequestJson json;
    private final KafkaOffsets offsets = new KafkaOffsets();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final int maxInFlight;
    private final String dlqTopic;
    private final ProducerTemplate producer;
    private final OutcomePublisher outcomes;
    private final DeliveryMetrics metrics;

    public KafkaRequests(ObjectMapper mapper, RelayConfig config, ProducerTemplate producer, OutcomePublisher outcomes,
            DeliveryMetrics metrics) {
        this.json = new PhotoRequestJson(mapper, Set.of("id"));
        this.maxInFlight = config.kafka().maxInFlight();
        this.dlqTopic = config.kafka().requestsTopic() + ".dlq";
        this.producer = producer;
        this.outcomes = outcomes;
        this.metrics = metrics;
    }

    /**
     * First step, in the consumer's thread: the record becomes {@code direct:send-photo}'s headers and body.
     *
     * @throws PhotoDeliveryException {@code INVALID_REQUEST}: JSON of the wrong shape, an id that is not printable or
     *                                too long
     */
    public void read(Exchange exchange) throws PhotoDeliveryException {
        Message in = exchange.getMessage();
        String topic = in.getHeader(KafkaConstants.TOPIC, String.class);
        int partition = in.getHeader(KafkaConstants.PARTITION, Integer.class);
        long offset = in.getHeader(KafkaConstants.OFFSET, Long.class);
        KafkaOffsets.Taken taken = new KafkaOffsets.Taken(new TopicPartition(topic, partition), offset);
        offsets.taken(taken);
        exchange.setProperty(TAKEN, taken);
        exchange.setProperty(REQUEST_ID, taken.toString());
        inFlight.incrementAndGet();

        byte[] value = in.getBody(byte[].class);
        exchange.setProperty(FINGERPRINT, fingerprint(value, in.getHeader(KafkaConstants.HEADERS, Headers.class)));
        Headers headers = in.getHeader(KafkaConstants.HEADERS, Headers.class);
        exchange.setProperty(RECORD, new Original(in.getHeader(KafkaConstants.KEY), value, headers));
        // nothing of the record travels on but the photo's own headers
        in.getHeaders().clear();
        if (isJson(value)) {
            Map<String, String> fields = new LinkedHashMap<>();
            Object image = json.read(value, fields);
            String id = fields.remove("id");
            if (id != null) {
                exchange.setProperty(REQUEST_ID, requireId(id));
            }
            fields.forEach((name, text) -> in.setHeader(PhotoRequestJson.FIELDS.get(name), text));
            in.setBody(image);
        } else {
            if (value == null || value.length == 0) {
                throw new PhotoDeliveryException(ErrorCode.INVALID_REQUEST, "the record has no value");
            }
            if (MediaType.sniff(value, value.length).isEmpty()) {
                throw new PhotoDeliveryException(ErrorCode.UNSUPPORTED_MEDIA,
                        "the record's value is neither a JSON request nor a JPEG, PNG, GIF or WebP image");
            }
            if (headers != null) {
                for (Header header : headers) {
                    // Kafka's header values are bytes: the photo's options, as UTF-8 text
                    if (PhotoRequestJson.FIELDS.containsValue(header.key()) || header.key().equals(PhotoHeaders.FILE_NAME)) {
                        in.setHeader(header.key(), header.value() == null ? null : utf8(header));
                    }
                }
            }
            in.setBody(value);
        }
    }

    /**
     * The request could not be taken (refused before any recipient: a bad record, an unknown destination, a photo over
     * every limit): its outcome is published, the record copied to the DLQ with the reason, and its offset settled.
     */
    public void refused(Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        ErrorCode code = failure instanceof PhotoDeliveryException refused ? refused.code() : ErrorCode.INTERNAL_ERROR;
        String reason = failure instanceof PhotoDeliveryException refused ? refused.reason()
                : "the relay failed to take the request: " + failure.getClass().getSimpleName();
        String id = exchange.getProperty(REQUEST_ID, String.class);
        Original record = exchange.getProperty(RECORD, Original.class);
        LOG.warn("Kafka request " + Printable.of(id) + " refused: " + code + ": " + Printable.of(reason));
        metrics.rejected(code);
        outcomes.refused(id, record == null ? null : record.key(), code, reason);
        Exception notCopied;
        try {
            notCopied = producer.send("kafka:" + dlqTopic, copy -> {
                Message message = copy.getMessage();
                if (record != null) {
                    if (record.headers() != null) {
                        for (Header header : record.headers()) {
                            message.setHeader(header.key(), header.value());
                        }
                    }
                    message.setHeader(KafkaConstants.KEY, record.key());
                    message.setBody(record.value());
                }
                message.setHeader(DLQ_CODE, code.name());
                message.setHeader(DLQ_REASON, reason);
            }).getException();
        } catch (RuntimeException e) {
            notCopied = e;
        }
        if (notCopied != null) {
            LOG.error("Kafka request " + Printable.of(id) + " could not be copied to " + dlqTopic + ": "
                    + Printable.of(notCopied.toString()));
        }
        settled(exchange);
    }

    /** Every recipient of the request is settled (or it was refused): its offset may be committed. */
    public void settled(Exchange exchange) {
        KafkaOffsets.Taken taken = exchange.getProperty(TAKEN, KafkaOffsets.Taken.class);
        if (taken != null && offsets.settled(taken)) {
            inFlight.decrementAndGet();
        }
    }

    /**
     * Whether the request's partition went to another relay of the group before its recipients were settled here:
     * the new owner reads it again, and this relay must not send it as well.
     */
    public boolean handedOver(Exchange exchange) {
        KafkaOffsets.Taken taken = exchange.getProperty(TAKEN, KafkaOffsets.Taken.class);
        return taken != null && taken.handedOver();
    }

    /** Whether fewer than {@code relay.kafka.max-in-flight} requests are unsettled (more may be taken). */
    boolean hasRoom() {
        return inFlight.get() < maxInFlight;
    }

    /** The offsets of the requests taken, for the hand-over of partitions ({@link RequestsSubscription}). */
    KafkaOffsets offsets() {
        return offsets;
    }

    /** The record's value and headers, hashed: see {@link #FINGERPRINT}. */
    private static String fingerprint(byte[] value, Headers headers) {
        MessageDigest digest = Sha256.digest();
        digest.update(value == null ? new byte[0] : value);
        if (headers != null) {
            for (Header header : headers) {
                digest.update((byte) 0);
                digest.update(header.key().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(header.value() == null ? new byte[0] : header.value());
            }
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 8);
    }

    private static String utf8(Header header) throws PhotoDeliveryException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(header.value())).toString();
        } catch (CharacterCodingException e) {
            throw new PhotoDeliveryException(ErrorCode.INVALID_REQUEST, "header " + Printable.of(header.key(), 80)
                    + " is not UTF-8 text");
        }
    }

    private static boolean isJson(byte[] value) {
        for (byte b : value == null ? new byte[0] : value) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b == '{';
            }
        }
        return false;
    }

    private static String requireId(String id) throws PhotoDeliveryException {
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH || !id.codePoints().allMatch(c -> c > 0x20 && c != 0x7F)) {
            throw new PhotoDeliveryException(ErrorCode.INVALID_REQUEST,
                    "id must be 1 to " + MAX_ID_LENGTH + " printable characters without spaces");
        }
        return id;
    }
}
