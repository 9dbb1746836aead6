package dev.photorelay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark: the packaged relay against the {@link Baseline} and the durable baseline: start-up, then per target
 * at the standard photo size side by side in alternating rounds (throughput and CPU per photo), with latency, memory
 * and I/O, then large photos in alternating rounds, fitting, the relay's pacing check, and the Kafka run (one relay
 * and three in one consumer group, against a real broker). Run by
 * {@code ./bench/run.sh} from the project folder. Markdown report on stdout; all figures in
 * {@code bench/results/<timestamp>.json} (and the report beside it as {@code .md}, the logs in {@code <timestamp>-logs/}).
 */
public final class Benchmark {

    private static final Path CACHE = Path.of("bench/target");
    private static final Path RESULTS = Path.of("bench/results");

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\n\n" + Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.print(Options.USAGE);
            return;
        }
        // the Kafka run's clients log through slf4j-simple: their warnings and errors only, on stderr
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // a benchmark stopped with Ctrl-C leaves no relay or baseline behind (nor a Kafka broker: see Broker)
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> ProcessHandle.current().children().forEach(ProcessHandle::destroyForcibly)));
        run(options);
    }

    private static void run(Options options) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Progress.say("options %s", options.asMap());
        String timestamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path logs = Files.createDirectories(RESULTS.resolve(timestamp + "-logs"));
        Map<String, Object> machine = MachineInfo.collect();
        int standardPhotos = Math.max(options.photos, Math.max(options.latencyPhotos(), PacingCheck.PHOTOS));
        PhotoSet photos = PhotoSet.prepare(CACHE, standardPhotos, options.size);
        PhotoSet largePhotos = options.skipLarge ? null : PhotoSet.prepare(CACHE, options.largePhotos, options.largeSize);
        PhotoSet fitPhotos = options.skipFit ? null : PhotoSet.prepare(CACHE, options.fitPhotos, options.fitSize);
        // side by side in this order, which the rounds then rotate
        List<Contender> contenders = options.skipDurable ? List.of(Contender.RELAY, Contender.BASELINE)
                : List.of(Contender.RELAY, Contender.DURABLE_BASELINE, Contender.BASELINE);

        Results results = new Results();
        Path benchFolder = Files.createTempDirectory(Files.createDirectories(options.workDir.toAbsolutePath()),
                "photo-relay-bench-");
        try (FakePlatform fake = new FakePlatform(options.serviceTime)) {
            machine.put("fileCreationMicrosInWorkDir", MachineInfo.fileCreationMicros(benchFolder));
            results.fakeAlone = FakeSelfCheck.run(fake, photos.file(0), options.concurrency);
            Progress.say("fake alone: %.0f photos/s", results.fakeAlone);
            Runs measure = new Runs(options, fake, benchFolder, logs);
            // first, with no contender running and before the runs have filled the disk with photos
            if (!options.skipStartup) {
                results.startup = StartupRun.run(options, fake, benchFolder, logs);
            }
            for (String target : options.skipStandard ? List.<String>of() : options.targets) {
                results.comparisons.add(measure.standard(target, contenders, photos, results.runs));
            }
            if (largePhotos != null) {
                // Z-API takes at most 5 MB, so large photos go to the other two
                for (String target : List.of("telegram", "sonoran")) {
                    results.largeComparisons.add(measure.large(target, List.of(Contender.RELAY, Contender.BASELINE),
                            largePhotos, false, options.rounds, results.largeRuns));
                }
            }
            if (fitPhotos != null) {
                List<LargeRun> fitRuns = new ArrayList<>();
                measure.large("telegram", List.of(Contender.RELAY), fitPhotos, true, 1, fitRuns);
                results.fitRun = fitRuns.get(0);
            }
            if (!options.skipPacing) {
                results.pacing = PacingCheck.run(options, fake, photos, benchFolder, logs);
            }
            if (!options.skipKafka) {
                results.kafka = KafkaRun.run(options, photos, benchFolder, logs);
            }
        } finally {
            Workspace.delete(benchFolder);
        }
        machine.put("loadAverageAtEnd", MachineInfo.loadAverage());
        double minutes = (System.nanoTime() - start) / 60e9;
        String markdown = Report.markdown(machine, options, results, minutes);
        System.out.print(markdown);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("machine", machine);
        json.put("options", options.asMap());
        json.put("minutes", minutes);
        results.putFigures(json, options);
        Files.createDirectories(RESULTS);
        Files.writeString(RESULTS.resolve(timestamp + ".json"), Json.write(json));
        Files.writeString(RESULTS.resolve(timestamp + ".md"), markdown);
        Progress.say("results in %s.json (report %s.md, logs %s)", RESULTS.resolve(timestamp), RESULTS.resolve(timestamp), logs);
    }
}
