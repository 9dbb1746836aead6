package dev.photorelay.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A real Apache Kafka broker for the Kafka run: README's {@code kafka/broker.sh} (one node from Kafka's own jars, as
 * its own process) on a free port, its data in a folder of the run. Closing it stops it and keeps its log with the
 * results. Stopping the benchmark (Ctrl-C) stops it too, by a hook of its own: the script detaches the broker, which
 * is then no child that the benchmark's hook would end. It also takes the run's admin steps: topics, and a group's
 * members and offsets.
 */
final class Broker implements AutoCloseable {

    private static final Path SCRIPT = Path.of("kafka/broker.sh").toAbsolutePath();
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration GROUP_POLL = Duration.ofMillis(200);
    /** As the script's stop: SIGTERM, so that the broker shuts down cleanly, then SIGKILL after this long. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final Path data;
    private final Path logs;
    private final Thread stopAtExit;
    private final String bootstrap;
    private final long pid;
    private final Admin admin;

    private Broker(Path data, Path logs, Thread stopAtExit, String bootstrap) throws IOException {
        this.data = data;
        this.logs = logs;
        this.stopAtExit = stopAtExit;
        this.bootstrap = bootstrap;
        this.pid = pidOf(data);
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        this.admin = Admin.create(config);
    }

    /**
     * Starts a broker with its data in {@code data} (made if missing) and returns once it takes clients; the script's
     * own lines go to {@code kafka-broker.log} in {@code logs}, the broker's log there too once it is closed.
     */
    static Broker start(Path data, Path logs) throws IOException, InterruptedException {
        Files.createDirectories(data);
        // before the start: a Ctrl-C while the broker starts stops it too
        Thread stopAtExit = new Thread(() -> terminate(data), "kafka broker stop");
        Runtime.getRuntime().addShutdownHook(stopAtExit);
        try {
            String bootstrap = script(logs, "start", "--port", Integer.toString(Contender.freePort()), "--data",
                    data.toString()).strip();
            return new Broker(data, logs, stopAtExit, bootstrap);
        } catch (IOException | RuntimeException e) {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
            try {
                script(logs, "stop", "--data", data.toString());
            } catch (IOException stopFailed) {
                e.addSuppressed(stopFailed);
            }
            throw e;
        }
    }

    /** {@code host:port} of the broker, for the relays and the clients. */
    String bootstrapServers() {
        return bootstrap;
    }

    /** The broker's process id (its JVM's). */
    long pid() {
        return pid;
    }

    /** Makes topic {@code name} with {@code partitions} partitions of one replica each. */
    void createTopic(String name, int partitions) throws IOException, InterruptedException {
        admin(() -> admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all()
                .get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    }

    /**
     * A producer of photo requests: a key (the destination) and the photo's bytes, with the client's default
     * settings. The caller closes it.
     */
    KafkaProducer<String, byte[]> producer() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Waits until consumer group {@code group} has {@code members} members whose assignments share {@code partitions}
     * partitions evenly (no member with two more than another), or {@code timeout} is over.
     *
     * @return whether it has
     */
    boolean awaitGroup(String group, int members, int partitions, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                IntSummaryStatistics held = admin(() -> admin.describeConsumerGroups(List.of(group)).all()
                        .get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS).get(group)).members().stream()
                        .mapToInt(member -> member.assignment().topicPartitions().size()).summaryStatistics();
                if (held.getCount() == members && held.getSum() == partitions && held.getMax() - held.getMin() <= 1) {
                    return true;
                }
            } catch (IOException notYet) {
                // a group no member has joined yet may be unknown to the broker
            }
            Thread.sleep(GROUP_POLL.toMillis());
        }
        return false;
    }

    /** The offsets group {@code group} has committed on {@code topic}, summed over its partitions (0 where none). */
    long committed(String group, String topic) throws IOException, InterruptedException {
        return admin(() -> admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS).entrySet().stream()
                .filter(entry -> entry.getKey().topic().equals(topic) && entry.getValue() != null)
                .mapToLong(entry -> entry.getValue().offset()).sum());
    }

    /** Stops the broker (cleanly) and waits until it has exited; its log is kept as {@code kafka-server.log}. */
    @Override
    public void close() throws IOException, InterruptedException {
        admin.close(ADMIN_TIMEOUT);
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException exiting) {
            // the hook stops it
            return;
        }
        script(logs, "stop", "--data", data.toString());
        Path serverLog = data.resolve("logs/server.log");
        if (Files.exists(serverLog)) {
            Files.copy(serverLog, logs.resolve("kafka-server.log"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Ends the broker of {@code data}, if it has been launched, as the script's stop does, but without the script:
     * the benchmark's own exit hook ends every child process, which would cut a script started beside it short.
     */
    private static void terminate(Path data) {
        long pid;
        try {
            pid = pidOf(data);
        } catch (IOException | NumberFormatException notLaunched) {
            return;
        }
        ProcessHandle.of(pid).ifPresent(broker -> {
            broker.destroy();
            try {
                broker.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException | InterruptedException e) {
                broker.destroyForcibly();
            }
        });
    }

    /** The broker's process id, from the file the script writes when it launches it. */
    private static long pidOf(Path data) throws IOException {
        return Long.parseLong(Files.readString(data.resolve("broker.pid")).strip());
    }

    /** An admin call's answer, with Kafka's failure as the cause of an IOException. */
    private interface AdminCall<T> {
        T answer() throws ExecutionException, TimeoutException, InterruptedException;
    }

    private static <T> T admin(AdminCall<T> call) throws IOException, InterruptedException {
        try {
            return call.answer();
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the Kafka broker's admin call failed: " + e.getMessage(), e);
        }
    }

    /** Runs {@code kafka/broker.sh <arguments>}; returns its stdout, or fails with the end of its log. */
    private static String script(Path logs, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(arguments));
        Path log = logs.resolve("kafka-broker.log");
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        // until the script ends (the broker it starts writes elsewhere); it bounds its own waits
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            List<String> lines = Files.readAllLines(log);
            throw new IOException(String.join(" ", command) + " failed:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size())));
        }
        return out;
    }
}
