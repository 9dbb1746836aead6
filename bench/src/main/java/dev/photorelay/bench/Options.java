package dev.photorelay.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The benchmark's command line: {@code --name value} pairs and a few flags, each with a default. */
final class Options {

    static final String USAGE = """
            Usage: ./bench/run.sh [options]
              Compares the packaged relay with a minimal hand-written uploader (the baseline), and with that
              uploader doing the relay's durable work too (the durable baseline: checksum, journal forced to disk,
              records), against in-process fake platforms. The contenders run side by side and get their bursts
              in alternating rounds; ratios are the median of the per-round ratios, with their spread. Markdown
              report on stdout, figures in bench/results/<timestamp>.json.

              --photos N             photos per burst (default 1000)
              --rounds N             rounds after the warm-up, each one burst to each contender in turn, who goes
                                     first rotating (default 5); also the large-photo run's rounds, each into
                                     fresh processes
              --size SIZE            size of those photos, e.g. 200KB, 1MB (default 200KB; K/M are 1024-based)
              --warmup-seconds S     the least time each process delivers photos before the rounds, not
                                     measured (default 30; 0 for none: cold figures), in bursts the size of a
                                     round's. A running service is warm: on 2 cores the JVMs take from
                                     tens of seconds (baseline) to minutes (relay) under load to compile their
                                     hot paths, so the warm-up goes on until the JIT compiler has taken under 5%
                                     of the process's CPU in 5 bursts in a row
              --warmup-max-seconds S the longest warm-up, steady or not (default 300)
              --rate N               photos per second offered in the latency run (default 50)
              --latency-seconds S    length of the latency run (default 10, i.e. 500 photos at 50/s)
              --concurrency N        relay.concurrency, and the baseline's thread count (default 8)
              --targets LIST         any of telegram,zapi,sonoran,alias (default all four)
              --large-photos N       photos in the large-photo run (default 50)
              --large-size SIZE      their size (default 8MB)
              --large-concurrency N  concurrency of the large-photo run (default 4)
              --service-time D       how long the fake platform takes per request, e.g. 20ms (default 0ms)
              --stable-for D         relay.inbox.stable-for (default: the relay's shipped setting)
              --poll D               relay.inbox.poll-interval (default: the relay's shipped setting)
              --work-dir DIR         where each run's inbox is made (default: bench/target/work, beside the
                                     cached photos, so that staging links them rather than copies them); e.g.
                                     /dev/shm (tmpfs) to see the figures without the disk
              --skip-large           no large-photo run
              --fit-photos N         photos in the fitting run (default 50): the relay alone fits them for Telegram
              --fit-size SIZE        their size (default 18MB, over Telegram's 10 MB)
              --skip-fit             no fitting run
              --skip-pacing          no pacing check
              --starts N             starts of each in the start-up run (default 5): the relay as shipped (with
                                     its class archive), the relay with PHOTO_RELAY_CLASS_ARCHIVE=off, the durable
                                     baseline and the baseline, interleaved
              --skip-startup         no start-up run
              --skip-durable         no durable baseline
              --kafka-service-time D how long the fake platform takes per call in the Kafka run (default 50ms)
              --kafka-concurrency N  relay.concurrency of each relay in the Kafka run (default 2: one relay is
                                     bound by its calls in flight over the service time, 40 photos/s, and three
                                     still fit this box's cores, so the run measures how a group scales out)
              --skip-kafka           no Kafka run: a real broker (kafka/broker.sh), one relay and three relays
                                     in one consumer group side by side, taking photo requests (a photo's
                                     bytes for a Telegram chat, keyed by it; many chats over a few partitions)
                                     with pacing none; after a warm-up as above, --rounds rounds of --photos
                                     requests to each group in turn (photos/s, three / one), then --rate for
                                     --latency-seconds to each (request to delivery latency). Photos of --size
                                     must fit a Kafka record (1 MB)
              --only LIST            only these runs, any of startup,standard,large,fit,pacing,kafka; e.g.
                                     --only kafka for the Kafka run alone
              --jfr                  record the relay with Java Flight Recorder (a .jfr per relay run, beside the
                                     results), to see where its time goes
              --quick                a smoke run: 200 photos, 5 s warm-up (at most), 3 rounds, 4 s latency
                                     run, 3 starts, no large-photo or fitting run
                                     (options after it still apply)
              --help                 this text
            """;

    private static final List<String> ALL_TARGETS = List.of("telegram", "zapi", "sonoran", "alias");
    private static final List<String> ALL_RUNS = List.of("startup", "standard", "large", "fit", "pacing", "kafka");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KM]?)B?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s)");

    int photos = 1000;
    int rounds = 5;
    long size = 200 * 1024;
    int warmupSeconds = 30;
    int warmupMaxSeconds = 300;
    int rate = 50;
    int latencySeconds = 10;
    int concurrency = 8;
    List<String> targets = ALL_TARGETS;
    int largePhotos = 50;
    long largeSize = 8L * 1024 * 1024;
    int largeConcurrency = 4;
    Duration serviceTime = Duration.ZERO;
    /** Null: the relay's shipped setting, as a user runs it. */
    String stableFor;
    /** Null: the relay's shipped setting. */
    String poll;
    Path workDir = Path.of("bench/target/work");
    boolean skipLarge;
    int fitPhotos = 50;
    long fitSize = 18L * 1024 * 1024;
    boolean skipFit;
    boolean skipPacing;
    int starts = 5;
    boolean skipStartup;
    boolean skipDurable;
    /** The standard runs (one per target): left out only by {@code --only}. */
    boolean skipStandard;
    boolean skipKafka;
    Duration kafkaServiceTime = Duration.ofMillis(50);
    int kafkaConcurrency = 2;
    boolean jfr;
    boolean help;
    /** The arguments as given, for the report. */
    final List<String> given = new ArrayList<>();

    static Options parse(String[] args) {
        Options options = new Options();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            options.given.add(name);
            switch (name) {
                case "--skip-large" -> options.skipLarge = true;
                case "--skip-fit" -> options.skipFit = true;
                case "--skip-pacing" -> options.skipPacing = true;
                case "--skip-startup" -> options.skipStartup = true;
                case "--skip-durable" -> options.skipDurable = true;
                case "--skip-kafka" -> options.skipKafka = true;
                case "--jfr" -> options.jfr = true;
                case "--help", "-h" -> options.help = true;
                case "--quick" -> {
                    options.photos = 200;
                    options.warmupSeconds = 5;
                    options.warmupMaxSeconds = 5;
                    options.rounds = 3;
                    options.latencySeconds = 4;
                    options.starts = 3;
                    options.skipLarge = true;
                    options.skipFit = true;
                }
                default -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("unknown option or missing value: " + name);
                    }
                    String value = args[++i];
                    options.given.add(value);
                    options.set(name, value);
                }
            }
        }
        // the least time wins over a longest time set below it; none at all is asked for with 0
        options.warmupMaxSeconds = options.warmupSeconds == 0 ? 0
                : Math.max(options.warmupMaxSeconds, options.warmupSeconds);
        return options;
    }

    private void set(String name, String value) {
        switch (name) {
            case "--photos" -> photos = positive(name, value);
            case "--rounds" -> rounds = positive(name, value);
            case "--starts" -> starts = positive(name, value);
            case "--size" -> size = bytes(name, value);
            case "--warmup-seconds" -> warmupSeconds = Math.max(0, Integer.parseInt(value));
            case "--warmup-max-seconds" -> warmupMaxSeconds = Math.max(0, Integer.parseInt(value));
            case "--rate" -> rate = positive(name, value);
            case "--latency-seconds" -> latencySeconds = positive(name, value);
            case "--concurrency" -> concurrency = positive(name, value);
            case "--targets" -> targets = targets(value);
            case "--large-photos" -> largePhotos = positive(name, value);
            case "--large-size" -> largeSize = bytes(name, value);
            case "--large-concurrency" -> largeConcurrency = positive(name, value);
            case "--fit-photos" -> fitPhotos = positive(name, value);
            case "--fit-size" -> fitSize = bytes(name, value);
            case "--service-time" -> serviceTime = duration(name, value);
            case "--kafka-service-time" -> kafkaServiceTime = duration(name, value);
            case "--kafka-concurrency" -> kafkaConcurrency = positive(name, value);
            case "--only" -> only(value);
            case "--stable-for" -> stableFor = durationText(name, value);
            case "--poll" -> poll = durationText(name, value);
            case "--work-dir" -> workDir = Path.of(value);
            default -> throw new IllegalArgumentException("unknown option: " + name);
        }
    }

    int latencyPhotos() {
        return rate * latencySeconds;
    }

    /**
     * The Kafka run's latency rate, photos/s: {@link #rate}, but at most half of what one relay can do there
     * ({@link #kafkaConcurrency} calls over {@link #kafkaServiceTime}), so that latency is measured below saturation.
     */
    int kafkaRate() {
        long serviceMillis = Math.max(1, kafkaServiceTime.toMillis());
        return (int) Math.max(1, Math.min(rate, kafkaConcurrency * 1000L / serviceMillis / 2));
    }

    /** Photos of the Kafka run's latency part: {@link #kafkaRate()} for {@link #latencySeconds}. */
    int kafkaLatencyPhotos() {
        return kafkaRate() * latencySeconds;
    }

    /** The settings that shape the figures, for the report and the JSON. */
    Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("photos", photos);
        map.put("size", Units.size(size));
        map.put("rounds", rounds);
        map.put("warmupSeconds", warmupSeconds);
        map.put("warmupMaxSeconds", warmupMaxSeconds);
        map.put("durableBaseline", skipDurable ? "skipped" : "yes");
        map.put("rate", rate);
        map.put("latencySeconds", latencySeconds);
        map.put("concurrency", concurrency);
        map.put("targets", skipStandard ? "skipped" : String.join(",", targets));
        map.put("largePhotos", skipLarge ? "skipped" : largePhotos);
        map.put("largeSize", Units.size(largeSize));
        map.put("largeConcurrency", largeConcurrency);
        map.put("fitPhotos", skipFit ? "skipped" : fitPhotos);
        map.put("fitSize", Units.size(fitSize));
        map.put("serviceTime", serviceTime.toMillis() + "ms");
        map.put("stableFor", stableFor == null ? "shipped" : stableFor);
        map.put("poll", poll == null ? "shipped" : poll);
        map.put("workDir", workDir.toString());
        map.put("pacingCheck", skipPacing ? "skipped" : "yes");
        map.put("starts", skipStartup ? "skipped" : starts);
        map.put("kafka", skipKafka ? "skipped" : "yes");
        map.put("kafkaServiceTime", kafkaServiceTime.toMillis() + "ms");
        map.put("kafkaConcurrency", kafkaConcurrency);
        map.put("jfr", jfr);
        map.put("arguments", String.join(" ", given));
        return map;
    }

    private static int positive(String name, String value) {
        int n = Integer.parseInt(value);
        if (n < 1) {
            throw new IllegalArgumentException(name + " must be at least 1");
        }
        return n;
    }

    private static long bytes(String name, String value) {
        Matcher m = SIZE.matcher(value.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(name + ": not a size (e.g. 200KB, 8MB): " + value);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> n * 1024;
            case "M" -> n * 1024 * 1024;
            default -> n;
        };
    }

    private static Duration duration(String name, String value) {
        Matcher m = DURATION.matcher(durationText(name, value));
        m.matches();
        long n = Long.parseLong(m.group(1));
        return m.group(2).equals("s") ? Duration.ofSeconds(n) : Duration.ofMillis(n);
    }

    private static String durationText(String name, String value) {
        if (!DURATION.matcher(value).matches()) {
            throw new IllegalArgumentException(name + ": not a duration (e.g. 100ms, 1s): " + value);
        }
        return value;
    }

    /** Leaves out every run that {@code value} (comma-separated, of {@link #ALL_RUNS}) does not name. */
    private void only(String value) {
        List<String> runs = List.of(value.split(","));
        for (String run : runs) {
            if (!ALL_RUNS.contains(run)) {
                throw new IllegalArgumentException("--only: unknown run " + run + " (known: " + ALL_RUNS + ")");
            }
        }
        skipStartup = !runs.contains("startup");
        skipStandard = !runs.contains("standard");
        skipLarge = !runs.contains("large");
        skipFit = !runs.contains("fit");
        skipPacing = !runs.contains("pacing");
        skipKafka = !runs.contains("kafka");
    }

    private static List<String> targets(String value) {
        List<String> list = List.of(value.split(","));
        for (String target : list) {
            if (!ALL_TARGETS.contains(target)) {
                throw new IllegalArgumentException("--targets: unknown target " + target + " (known: " + ALL_TARGETS + ")");
            }
        }
        return list;
    }
}
