package dev.photorelay.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The relay taking photo requests from Kafka (README, "Kafka: requests in, outcomes out"): photos per second of one
 * relay and of three relays in one consumer group, and request-to-delivery latency, against a real broker
 * ({@link Broker}) and a fake platform taking {@link Options#kafkaServiceTime} per call.
 *
 * <p>The two groups run side by side, each with topics and chats of its own, and get their bursts in alternating
 * rounds, as the contenders of the standard runs do. A request is a photo's bytes for a Telegram chat (headers
 * {@code PhotoTarget} and {@code PhotoRecipient}) keyed by its destination, sent by one producer for the whole run;
 * the photo's marker tells the fake which request arrived. Each group's {@link #RECIPIENTS} chats are spread evenly
 * over the requests topic's {@link #PARTITIONS} partitions (chat i on partition i mod {@link #PARTITIONS}, set by
 * the producer), so each of three relays, holding two partitions, gets a third of the requests. Pacing is
 * {@code none}: with Telegram's 30 calls/s per bot, which the relays of a group share, three relays could not be faster
 * than one (correct, but not what this run measures), and Telegram's 1 call/s per chat would make the chats the
 * bound. Unpaced, a chat still gets one call at a time, so the chats allow {@link #RECIPIENTS} × 20 calls/s at 50 ms,
 * and what bounds one relay is its concurrency over the service time ({@link Options#kafkaConcurrency}, 2 by default:
 * 2 calls / 50 ms = 40 photos/s; at 8, three relays would need more CPU than a 2-core box has, and the run would
 * measure the box rather than the group).
 *
 * <p>After each group's warm-up ({@link Runs#warmUp}), {@link Options#rounds} rounds of one burst of
 * {@link Options#photos} requests to each group in the round's {@link Runs#order}, each once the other group and the
 * broker idle: photos/s = requests / (last delivery at the fake − first request sent); the ratio three / one is the
 * median of the per-round ratios. A burst is over when every photo has reached its chat and the group has committed
 * every request's offset. Then each group's latency run: {@link Options#rate} requests a second for
 * {@link Options#latencySeconds}, from a request's send to the fake reading its call.
 */
final class KafkaRun {

    static final int PARTITIONS = 6;
    /** Chats per group. */
    static final int RECIPIENTS = 96;
    /** The groups' chats, apart from the other runs'. */
    private static final int FIRST_CHAT = 5_000_000;
    private static final Duration GROUP_WAIT = Duration.ofSeconds(60);
    private static final Duration COMMIT_WAIT = Duration.ofSeconds(30);
    private static final Duration COMMIT_POLL = Duration.ofMillis(50);

    /**
     * One burst to a group: the relays' throughput (their CPU and I/O summed; the idle CPU is the other group's), the
     * broker's CPU meanwhile, and how long the producer took to hand the burst to the broker (from the first send to
     * the broker having every request), which shows that the producer was not the bound.
     */
    record Burst(Figures.Throughput throughput, double brokerCpuSeconds, double producedSeconds) {

        /** Cores kept busy by the group's relays, the benchmark JVM (fake, producer) and the broker together. */
        double coresBusy() {
            return (throughput.process().cpuSeconds() + throughput.benchmarkCpuSeconds() + brokerCpuSeconds)
                    / throughput.seconds();
        }

        /** The broker's CPU time per photo, in ms. */
        double brokerCpuMillisPerPhoto() {
            return brokerCpuSeconds * 1000 / throughput.photos();
        }

        Map<String, Object> toMap() {
            Map<String, Object> map = throughput.toMap();
            map.put("brokerCpuSeconds", brokerCpuSeconds);
            map.put("producedSeconds", producedSeconds);
            map.put("coresBusy", coresBusy());
            return map;
        }
    }

    /** One group's figures, filled in as the run goes. */
    static final class GroupRun {

        /** Relays in the group. */
        final int relays;
        /** "one relay", "three relays". */
        final String label;
        Runs.WarmUp warmUp;
        /** One per round, in round order. */
        final List<Burst> bursts = new ArrayList<>();
        Figures.Latency latency;

        GroupRun(int relays, String label) {
            this.relays = relays;
            this.label = label;
        }

        /** A figure of its bursts over the rounds; null without a burst. */
        Spread figure(ToDoubleFunction<Burst> figure) {
            return Spread.of(bursts.stream().map(figure::applyAsDouble).toList());
        }

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("relays", relays);
            map.put("coldThroughput", warmUp == null || warmUp.cold() == null ? null : warmUp.cold().toMap());
            map.put("warmupPhotos", warmUp == null ? null : warmUp.photos());
            map.put("warmupSeconds", warmUp == null ? null : warmUp.seconds());
            map.put("warmupSteady", warmUp == null ? null : warmUp.steady());
            map.put("bursts", bursts.stream().map(Burst::toMap).toList());
            Spread rate = figure(burst -> burst.throughput().photosPerSecond());
            map.put("photosPerSecond", rate == null ? null : rate.toMap());
            map.put("latency", latency == null ? null : latency.toMap());
            return map;
        }
    }

    final GroupRun one = new GroupRun(1, "one relay");
    final GroupRun three = new GroupRun(3, "three relays");
    /** The fake's time per call. */
    final Duration serviceTime;
    /** What went wrong, or null; the figures up to it stay. */
    String error;

    private KafkaRun(Duration serviceTime) {
        this.serviceTime = serviceTime;
    }

    /**
     * Three relays' photos/s over one relay's, per round where both had a burst: the median and spread; null
     * without such a round.
     */
    Spread threeOverOne() {
        int rounds = Math.min(one.bursts.size(), three.bursts.size());
        return Spread.of(IntStream.range(0, rounds).mapToObj(round -> three.bursts.get(round).throughput()
                .photosPerSecond() / one.bursts.get(round).throughput().photosPerSecond()).toList());
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("serviceTimeMs", serviceTime.toMillis());
        map.put("partitions", PARTITIONS);
        map.put("recipientsPerGroup", RECIPIENTS);
        map.put("oneRelay", one.toMap());
        map.put("threeRelays", three.toMap());
        Spread ratio = threeOverOne();
        map.put("threeOverOnePhotosPerSecond", ratio == null ? null : ratio.toMap());
        map.put("error", error);
        return map;
    }

    /**
     * Starts the broker, the fake and both groups' relays, measures, and stops them all; a run that fails part way
     * keeps what it measured and says why in {@link #error}.
     *
     * @param photos the standard set, of at least {@link Options#photos} and {@link Options#latencyPhotos()} photos
     * @param benchFolder where the relays' workspaces and the broker's data go
     * @param logs where the relays' and the broker's logs are kept
     */
    static KafkaRun run(Options options, PhotoSet photos, Path benchFolder, Path logs) throws InterruptedException {
        KafkaRun run = new KafkaRun(options.kafkaServiceTime);
        List<Group> groups = List.of(new Group("kafka-1", run.one, 0), new Group("kafka-3", run.three, 1));
        Progress.say("kafka run: %s side by side, %d partitions and %d chats each, the fake taking %d ms per call; "
                + "%d-%d s warm-up each, %d rounds of %d requests, %d at %d/s each",
                groups.stream().map(group -> group.run.label).collect(Collectors.joining(" and ")), PARTITIONS,
                RECIPIENTS, options.kafkaServiceTime.toMillis(), options.warmupSeconds, options.warmupMaxSeconds,
                options.rounds, options.photos, options.kafkaLatencyPhotos(), options.kafkaRate());
        // a thread for every call the relays may have in flight: a call waits its service time on its thread
        int relays = run.one.relays + run.three.relays;
        try (FakePlatform fake = new FakePlatform(options.kafkaServiceTime, relays * options.kafkaConcurrency);
                Broker broker = Broker.start(benchFolder.resolve("kafka"), logs);
                KafkaProducer<String, byte[]> producer = broker.producer()) {
            Session session = new Session(options, photos, fake, broker, producer, benchFolder, logs);
            try {
                session.measure(groups);
            } finally {
                for (Group group : groups) {
                    group.close();
                }
            }
        } catch (Runs.PhaseFailed | IOException | RuntimeException e) {
            run.error = e instanceof Runs.PhaseFailed ? e.getMessage() : e.toString();
            Progress.say("kafka run FAILED: %s", run.error);
        }
        return run;
    }

    /** A group's relays, their workspaces, topics and chats, and how many requests it has been sent. */
    private static final class Group {

        /** Names the group, its topics and its relays. */
        final String id;
        final GroupRun run;
        final List<String> chats = new ArrayList<>();
        final Destinations destinations;
        final List<ServiceProcess> relays = new ArrayList<>();
        final List<Workspace> workspaces = new ArrayList<>();
        long produced;

        /** @param index from 0: each group has chats of its own */
        Group(String id, GroupRun run, int index) {
            this.id = id;
            this.run = run;
            for (int i = 0; i < RECIPIENTS; i++) {
                chats.add(Destinations.telegramChat(FIRST_CHAT + index * 1000 + i));
            }
            destinations = Destinations.oneRecipientEach("telegram",
                    chats.stream().map(chat -> "telegram/" + chat).toList());
        }

        String requestsTopic() {
            return id + "-requests";
        }

        List<Long> pids() {
            return relays.stream().map(ServiceProcess::pid).toList();
        }

        boolean alive() {
            return relays.stream().allMatch(relay -> ProcessHandle.of(relay.pid()).map(ProcessHandle::isAlive)
                    .orElse(false));
        }

        /** The last lines of each relay's output, for error messages. */
        String tails() {
            return IntStream.range(0, relays.size()).mapToObj(i -> "--- relay " + (i + 1) + " of " + run.label
                    + ":\n" + relays.get(i).tail()).collect(Collectors.joining("\n"));
        }

        /** Stops its relays, then keeps their logs. */
        void close() throws InterruptedException {
            for (ServiceProcess relay : relays) {
                relay.close();
            }
            for (Workspace workspace : workspaces) {
                try {
                    workspace.close();
                } catch (IOException e) {
                    Progress.say("the log of a relay of %s was not kept: %s", run.label, e);
                }
            }
        }
    }

    /** The run's broker, fake, producer and photos, and its steps. */
    private record Session(Options options, PhotoSet photos, FakePlatform fake, Broker broker,
            KafkaProducer<String, byte[]> producer, Path benchFolder, Path logs) {

        void measure(List<Group> groups) throws IOException, InterruptedException, Runs.PhaseFailed {
            for (Group group : groups) {
                start(group);
            }
            List<Integer> burstIds = photos.first(options.photos);
            for (Group group : groups) {
                group.run.warmUp = Runs.warmUp(group.run.label, options,
                        number -> burst(group, groups, burstIds).throughput());
            }
            for (int round = 0; round < options.rounds; round++) {
                for (Group group : Runs.order(groups, round)) {
                    group.run.bursts.add(burst(group, groups, burstIds));
                }
                int r = round;
                Progress.say("  kafka round %d: %s", round + 1, Runs.order(groups, round).stream()
                        .map(group -> String.format(Locale.ROOT, "%s %.1f/s", group.run.label,
                                group.run.bursts.get(r).throughput().photosPerSecond()))
                        .collect(Collectors.joining(", ")));
            }
            List<Integer> latencyIds = photos.first(options.kafkaLatencyPhotos());
            for (Group group : groups) {
                awaitOthersIdle(group, groups);
                long[] sentAt = produce(group, records(group, latencyIds), options.kafkaRate());
                group.run.latency = Figures.latency(latencyIds, sentAt, settled(group, latencyIds), options.kafkaRate());
                Progress.say("  kafka latency at %d/s, %s: p50 %.0f ms, p99 %.0f ms", options.kafkaRate(),
                        group.run.label, group.run.latency.p50(), group.run.latency.p99());
            }
        }

        /** Makes the group's requests topic, starts its relays, and waits until they share its partitions. */
        private void start(Group group) throws IOException, InterruptedException, Runs.PhaseFailed {
            broker.createTopic(group.requestsTopic(), PARTITIONS);
            Map<String, String> kafka = Map.of("relay.kafka.bootstrap-servers", broker.bootstrapServers(),
                    "relay.kafka.requests-topic", group.requestsTopic(),
                    "relay.kafka.outcomes-topic", group.id + "-outcomes",
                    "relay.kafka.deliveries-topic", group.id + "-deliveries",
                    "relay.kafka.group-id", group.id);
            for (int i = 1; i <= group.run.relays; i++) {
                String name = "relay-" + group.id + "-" + i;
                // no inbox folders: its photos come from Kafka
                Workspace workspace = Workspace.create(benchFolder, name, List.of(), logs);
                group.workspaces.add(workspace);
                group.relays.add(Contender.RELAY.start(name, workspace, fake, options.kafkaConcurrency, false,
                        group.destinations, options, Runs.jfrFile(options, logs, Contender.RELAY, name), true,
                        kafka));
            }
            if (!broker.awaitGroup(group.id, group.run.relays, PARTITIONS, GROUP_WAIT)) {
                throw new Runs.PhaseFailed(group.run.label + ": the relays did not share the " + PARTITIONS
                        + " partitions of " + group.requestsTopic() + " within " + GROUP_WAIT.toSeconds() + " s\n"
                        + group.tails());
            }
        }

        /**
         * Once the others idle, sends photos {@code ids} to the group all at once and measures how fast, and at what
         * CPU cost, they are delivered.
         */
        private Burst burst(Group group, List<Group> groups, List<Integer> ids)
                throws IOException, InterruptedException, Runs.PhaseFailed {
            List<Long> others = awaitOthersIdle(group, groups);
            List<ProducerRecord<String, byte[]>> records = records(group, ids);
            double brokerBefore = ProcessStats.cpuSeconds(List.of(broker.pid()));
            ProcessStats.Sample before = ProcessStats.Sample.of(group.pids(), others);
            long[] sentAt = produce(group, records, 0);
            double producedSeconds = Units.seconds(System.nanoTime() - sentAt[0]);
            Deliveries.Outcome outcome = settled(group, ids);
            ProcessStats.Sample used = ProcessStats.Sample.of(group.pids(), others).since(before);
            return new Burst(Figures.throughput(sentAt, outcome, photos.size(), used),
                    ProcessStats.cpuSeconds(List.of(broker.pid())) - brokerBefore, producedSeconds);
        }

        /**
         * Waits until the other group's relays and the broker idle before {@code group} is measured (see
         * {@link Runs#awaitIdle}); returns the other group's relays, whose CPU meanwhile the figures keep apart.
         */
        private List<Long> awaitOthersIdle(Group group, List<Group> groups) throws IOException, InterruptedException {
            List<Long> others = groups.stream().filter(other -> other != group)
                    .flatMap(other -> other.pids().stream()).toList();
            Runs.awaitIdle(group.run.label, Stream.concat(others.stream(), Stream.of(broker.pid())).toList());
            return others;
        }

        /**
         * The requests for photos {@code ids}, read beforehand so that the burst does not wait for the disk: photo
         * {@code ids[i]} for chat {@code i mod RECIPIENTS}, keyed {@code telegram:<chat>}, on the chat's partition.
         */
        private List<ProducerRecord<String, byte[]>> records(Group group, List<Integer> ids) throws IOException {
            List<ProducerRecord<String, byte[]>> records = new ArrayList<>(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                int chat = i % RECIPIENTS;
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(group.requestsTopic(), chat % PARTITIONS,
                        "telegram:" + group.chats.get(chat), Files.readAllBytes(photos.file(ids.get(i))));
                record.headers().add("PhotoTarget", "telegram".getBytes(StandardCharsets.UTF_8))
                        .add("PhotoRecipient", group.chats.get(chat).getBytes(StandardCharsets.UTF_8));
                records.add(record);
            }
            return records;
        }

        /**
         * Sends {@code records} at {@code perSecond}, or all at once for 0, and returns once the broker has them all;
         * returns when each was sent (ns).
         */
        private long[] produce(Group group, List<ProducerRecord<String, byte[]>> records, int perSecond)
                throws IOException {
            AtomicReference<Exception> refused = new AtomicReference<>();
            Callback callback = (metadata, e) -> {
                if (e != null) {
                    refused.compareAndSet(null, e);
                }
            };
            Pace.Step send = i -> producer.send(records.get(i), callback);
            long[] sentAt = perSecond == 0 ? Pace.allAtOnce(records.size(), send)
                    : Pace.steady(records.size(), perSecond, send);
            producer.flush();
            group.produced += records.size();
            if (refused.get() != null) {
                throw new IOException("the broker did not take a request: " + refused.get(), refused.get());
            }
            return sentAt;
        }

        /**
         * Awaits the photos' deliveries (with the fake's records cleared when they are in), then the group's commit of
         * every request's offset, so that nothing is in flight when the next burst starts.
         */
        private Deliveries.Outcome settled(Group group, List<Integer> ids)
                throws IOException, InterruptedException, Runs.PhaseFailed {
            Deliveries.Outcome outcome;
            try {
                outcome = Deliveries.await(fake, ids, group.destinations, group::alive);
            } finally {
                fake.reset();
            }
            if (outcome.failure() != null) {
                throw new Runs.PhaseFailed(group.run.label + ": " + outcome.failure() + "\n" + group.tails());
            }
            long deadline = System.nanoTime() + COMMIT_WAIT.toNanos();
            for (long committed = broker.committed(group.id, group.requestsTopic()); committed < group.produced;
                    committed = broker.committed(group.id, group.requestsTopic())) {
                if (System.nanoTime() > deadline) {
                    throw new Runs.PhaseFailed(group.run.label + ": " + (group.produced - committed) + " of "
                            + group.produced + " requests delivered but not committed " + COMMIT_WAIT.toSeconds()
                            + " s later\n" + group.tails());
                }
                Thread.sleep(COMMIT_POLL.toMillis());
            }
            return outcome;
        }
    }
}
