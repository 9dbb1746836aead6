package dev.photorelay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A real Apache Kafka broker, started as its own process by README's {@code kafka/broker.sh} on a free port with a data
 * dir of its own, and clients of it for tests: a producer of requests and a reader of topics from their beginning.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Path SCRIPT = Path.of("kafka/broker.sh").toAbsolutePath();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Path data;
    private final int port;
    private String bootstrap;

    private KafkaBroker(Path data, int port) {
        this.data = data;
        this.port = port;
    }

    /** Starts a broker with its data in {@code data}; returns once it takes clients. */
    public static KafkaBroker start(Path data) {
        KafkaBroker broker = new KafkaBroker(data, RelayProcess.freePort());
        broker.startAgain();
        return broker;
    }

    /** Starts the stopped broker again, on the same port and data. */
    public void startAgain() {
        bootstrap = run("start", "--port", Integer.toString(port), "--data", data.toString()).strip();
    }

    /** Stops the broker (cleanly) and waits until it has exited. */
    public void stop() {
        run("stop", "--data", data.toString());
    }

    @Override
    public void close() {
        stop();
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    /** Sends one record and waits until the broker has it. */
    public void send(String topic, String key, byte[] value, Map<String, String> headers) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
            headers.forEach((name, text) -> record.headers()
                    .add(new RecordHeader(name, text.getBytes(StandardCharsets.UTF_8))));
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot send to " + topic, e);
        }
    }

    /** Every record of the topic so far (keys and values as text, headers too), read from its beginning. */
    public List<ConsumerRecord<String, byte[]>> read(String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            // until a poll finds nothing more once the partitions are assigned (a topic not made yet: 30 s)
            long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            for (int empty = 0; empty < 2 && System.nanoTime() < giveUp;) {
                int before = records.size();
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                empty = records.size() == before && !consumer.assignment().isEmpty() ? empty + 1 : 0;
            }
        }
        return records;
    }

    /** The group's committed offsets on the topic, summed over its partitions (0 where none is committed). */
    public long committed(String group, String topic) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(config)) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the offsets of group " + group, e);
        }
    }

    private String run(String... arguments) {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(arguments));
        try {
            Path log = Files.createTempFile("broker", ".log");
            Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(log));
            }
            Files.delete(log);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
