package dev.photorelay.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The Markdown report: the targets first, then one table per measurement, the relay beside each baseline, with their
 * ratios (from the alternating rounds where there are rounds).
 */
final class Report {

    /** The contenders in the order of the rounds' tables. */
    private static final List<Contender> COLUMNS = List.of(Contender.RELAY, Contender.DURABLE_BASELINE,
            Contender.BASELINE);

    private final StringBuilder out = new StringBuilder();
    private final Options options;
    private final Results results;

    private Report(Options options, Results results) {
        this.options = options;
        this.results = results;
    }

    static String markdown(Map<String, Object> machine, Options options, Results results, double minutes) {
        Report report = new Report(options, results);
        report.line("# photo-relay benchmark: relay vs baseline");
        report.line("");
        report.targets();
        report.header(machine, minutes);
        if (results.startup != null) {
            report.startup(results.startup);
        }
        if (!results.runs.isEmpty()) {
            report.standardTables();
        }
        if (!results.largeRuns.isEmpty()) {
            report.largeTables();
        }
        if (results.fitRun != null) {
            report.fitTable(results.fitRun);
        }
        if (results.pacing != null) {
            report.pacing(results.pacing);
        }
        if (results.kafka != null) {
            report.kafka(results.kafka);
        }
        report.errors();
        return report.out.toString();
    }

    private void targets() {
        line("### Targets");
        line("");
        line("| figure | measured | ratio | target | |");
        line("|---|---|---:|---|---|");
        for (Targets.Row row : Targets.rows(options, results)) {
            Boolean met = row.met();
            line("| " + row.figure() + " | " + (row.measured() == null ? "—" : row.measured()) + " | "
                    + spread("%.2f", row.ratio()) + " | " + row.target() + " | "
                    + (met == null ? "—" : met ? "met" : "**not met**") + " |");
        }
        line("");
        line("Ratio to a baseline (Kafka: three relays to one): the median of the per-round ratios (the contenders "
                + "side by side, one burst each per round), min–max in brackets; of an absolute figure: the figure over its limit. Met: the median "
                + "within the target.");
        line("");
    }

    private void header(Map<String, Object> machine, double minutes) {
        line("Relay = `target/quarkus-app/quarkus-run.jar`, started by `bin/photo-relay` with the JVM settings it "
                + "ships; baseline = `dev.photorelay.bench.Baseline`, a minimal JDK-only "
                + "uploader (inotify watch, fixed thread pool, same requests; no retries, pacing, order, journal or records); "
                + "durable baseline = the same uploader doing the relay's durable work by hand too (SHA-256 of each photo, "
                + "each delivery in a journal forced to disk, deliveries finishing together sharing one force, a JSON "
                + "record written and renamed beside the photo in .sent/): what is left between it and the relay is "
                + "the framework, not the guarantees. All against the same in-process fake platforms. Ratio = relay / "
                + "baseline, or relay / durable baseline.");
        line("");
        machine.forEach((key, value) -> line("- " + key + ": " + value));
        line(String.format(Locale.ROOT, "- total run time: %.1f min", minutes));
        line(String.format(Locale.ROOT, "- fake alone: %.0f photos/s (bare JDK HttpClient, %d threads, %s Telegram uploads)",
                results.fakeAlone, options.concurrency, Units.size(options.size)));
        line("- options: `" + options.asMap() + "`");
        line("");
        line("Method: per target, the contenders run side by side, each in a fresh process with a fresh temporary inbox "
                + "and recipients of its own (recipient folders made beforehand; photos spread round robin over "
                + Destinations.of("telegram", options.concurrency, 0).folders().size() + " recipients per target, or "
                + Destinations.of("alias", options.concurrency, 0).folders().size() + " aliases of 3), so that a "
                + "burst counts only the photos of the contender measured, and waits until the others idle (at most one clock "
                + "tick of CPU in 200 ms, for at most 10 s). Photos are staged "
                + "outside the inbox and renamed in: for the bursts with old modification times (older than "
                + "stable-for, so nobody waits for them to settle), for the latency run each with a fresh one (the "
                + "time of its rename, as a producer that writes and renames at once makes it; the relay then waits "
                + "stable-for). A photo counts as delivered when the fake has read the request of its last recipient "
                + "(Sonoran: the send_photo request; the fake then fetches the photo before answering). Each process "
                + "is warmed up in turn in bursts of " + options.photos + " photos at once (the first burst's rate is "
                + "the cold throughput), for at least " + options.warmupSeconds + " s and until the JIT compiler has "
                + "taken under 5% of the process's CPU in 5 bursts in a row (at most " + options.warmupMaxSeconds
                + " s). Then " + options.rounds + " rounds, each one burst of " + options.photos + " at once to each "
                + "contender in turn, the order rotated by one each round and reversed after each full rotation "
                + "(throughput = photos / (last delivery − first rename)); per round the relay's throughput and CPU "
                + "per photo are divided by each baseline's, and the ratio reported is the median of those per-round "
                + "ratios, with their min–max; each contender's own figure is the median of its rounds, and its "
                + "median burst gives the JIT, cores and I/O figures. Then each one's latency run in turn, "
                + options.rate + "/s for " + options.latencySeconds + " s; memory at the end. Large photos: "
                + options.rounds + " rounds, each into a fresh relay and baseline started side by side, whose turn "
                + "alternates. The start-up run starts each contender " + options.starts + " times, interleaved, "
                + "before the other runs, with no other contender running. Pacing is `none` except in the pacing "
                + "check. The relay runs with its launcher's JVM settings, the baselines with the JDK's defaults (no "
                + "-Xmx). All workspaces are deleted only at the end (a deletion of thousands of files slows the next "
                + "process's file creation on ext4 without a journal).");
        line("");
    }

    private void startup(StartupRun startup) {
        line("### Start-up run: process start to ready (s), " + options.starts + " starts of each, interleaved");
        line("");
        line("Ready: the relay's `" + ServiceProcess.READY + "` line and `GET /q/health/ready` answering 200 (polled "
                + "every 10 ms once the line is seen); a baseline's `" + ServiceProcess.READY + "` line. The relay "
                + "through `bin/photo-relay` as shipped, and with `PHOTO_RELAY_CLASS_ARCHIVE=off`. Class archives "
                + "beside the jar and newer than it: " + (startup.classArchives.isEmpty()
                        ? "**none**, so the relay's starts \"with\" ran without one too"
                        : String.join(", ", startup.classArchives)) + ".");
        line("");
        line("| started | median | min–max | each start | median / " + Targets.STARTUP_SECONDS + " s target |");
        line("|---|---:|---:|---|---:|");
        startup.seconds.forEach((variant, values) -> {
            Spread spread = Spread.of(values);
            line("| " + variant.label() + " | " + number("%.2f", spread == null ? null : spread.median()) + " | "
                    + (spread == null ? "—" : String.format(Locale.ROOT, "%.2f–%.2f", spread.min(), spread.max()))
                    + " | " + values.stream().map(value -> String.format(Locale.ROOT, "%.2f", value))
                            .collect(Collectors.joining(", ")) + " | "
                    + number("%.2f", spread == null ? null : spread.median() / Targets.STARTUP_SECONDS) + " |");
        });
        line("");
    }

    private void standardTables() {
        String size = Units.size(options.size);
        String rounds = "the median of the " + options.rounds + " rounds; ratio: the median of the per-round ratios "
                + "(min–max)";
        roundTable("Throughput: " + options.photos + " × " + size + " photos dropped at once, after the warm-up, one "
                + "burst to each contender per round (photos/s; " + rounds + ")", "%.1f",
                Figures.Throughput::photosPerSecond);
        roundsTable("Throughput per round (photos/s, in the order taken)", results.comparisons, "%.0f");
        roundTable("CPU time per photo (ms, user + system; " + rounds + ")", "%.2f",
                Figures.Throughput::cpuMillisPerPhoto);
        if (options.warmupMaxSeconds > 0) {
            table("Throughput, cold: the first " + options.photos + " warm-up photos dropped at once into the fresh "
                    + "process (photos/s)", "%.1f",
                    run -> run.coldThroughput == null ? null : run.coldThroughput.photosPerSecond());
            table("Warm-up: photos delivered before the rounds", "%.0f",
                    run -> run.warmupPhotos == null ? null : run.warmupPhotos.doubleValue());
            table("Warm-up: seconds until the JIT compiler was quiet (or the longest warm-up was over: see below)",
                    "%.0f", run -> run.warmupSeconds);
            String unsteady = results.runs.stream().filter(run -> Boolean.FALSE.equals(run.warmupSteady))
                    .map(run -> run.contender + " " + run.target).collect(Collectors.joining(", "));
            if (!unsteady.isEmpty()) {
                line("Still compiling when the longest warm-up was over: " + unsteady + ".");
                line("");
            }
        }
        table("Latency p50 at " + options.rate + "/s (ms, rename → delivered to every recipient)", "%.1f",
                run -> run.latency == null ? null : run.latency.p50());
        table("Latency p95 at " + options.rate + "/s (ms)", "%.1f", run -> run.latency == null ? null : run.latency.p95());
        table("Latency p99 at " + options.rate + "/s (ms)", "%.1f", run -> run.latency == null ? null : run.latency.p99());
        table("Latency max at " + options.rate + "/s (ms)", "%.1f", run -> run.latency == null ? null : run.latency.max());
        table("JIT compiler threads in each one's median burst (ms per photo; near 0 once the warm-up has compiled "
                + "the hot paths)", "%.2f", run -> run.throughput == null ? null
                        : run.throughput.process().jitCpuSeconds() * 1000 / run.throughput.photos());
        table("Cores busy during each one's median burst: the process plus the benchmark JVM (fake platforms, "
                + "dropper), of " + Runtime.getRuntime().availableProcessors(), "%.2f",
                run -> run.throughput == null ? null : run.throughput.coresBusy());
        table("CPU the other contenders took, idling, during each one's median burst (ms; an idle relay polls its "
                + "inbox, an idle baseline waits on inotify)", "%.1f",
                run -> run.throughput == null ? null : run.throughput.idleCpuSeconds() * 1000);
        table("Peak RSS, VmHWM (MB)", "%.0f", run -> run.peakRssBytes == null ? null : Units.mib(run.peakRssBytes));
        table("Heap used after the runs, after a full GC (`jcmd GC.run`, then `GC.heap_info`) (MB)", "%.1f",
                run -> run.heapAfterGcBytes == null ? null : Units.mib(run.heapAfterGcBytes));
        ioTable();
    }

    /**
     * One row per target from its rounds: each contender's median, and the median of the relay's per-round ratios to
     * it with their spread.
     */
    private void roundTable(String title, String format, ToDoubleFunction<Figures.Throughput> figure) {
        line("### " + title);
        line("");
        line("| target | relay | baseline | ratio | durable baseline | ratio |");
        line("|---|---:|---:|---:|---:|---:|");
        for (Comparison comparison : results.comparisons) {
            line("| " + comparison.target + " | " + median(format, comparison.figure(Contender.RELAY, figure)) + " | "
                    + median(format, comparison.figure(Contender.BASELINE, figure)) + " | "
                    + spread("%.2f", comparison.ratio(Contender.RELAY, Contender.BASELINE, figure)) + " | "
                    + median(format, comparison.figure(Contender.DURABLE_BASELINE, figure)) + " | "
                    + spread("%.2f", comparison.ratio(Contender.RELAY, Contender.DURABLE_BASELINE, figure)) + " |");
        }
        line("");
    }

    /** Every round of {@code comparisons}: who went when, each one's rate, and the relay's ratios to the others. */
    private void roundsTable(String title, List<Comparison> comparisons, String format) {
        List<Contender> columns = COLUMNS.stream().filter(contender -> comparisons.stream()
                .anyMatch(comparison -> !comparison.bursts(contender).isEmpty())).toList();
        List<Contender> others = columns.stream().filter(contender -> contender != Contender.RELAY).toList();
        line("### " + title);
        line("");
        line("| target | round | order | " + columns.stream().map(Contender::label).collect(Collectors.joining(" | "))
                + " | " + others.stream().map(other -> "relay / " + other.label()).collect(Collectors.joining(" | "))
                + " |");
        line("|---|---:|---|" + "---:|".repeat(columns.size() + others.size()));
        for (Comparison comparison : comparisons) {
            for (int round = 0; round < comparison.rounds(); round++) {
                int r = round;
                Function<Contender, Double> rate = contender -> {
                    Figures.Throughput burst = comparison.burst(r, contender);
                    return burst == null ? null : burst.photosPerSecond();
                };
                line("| " + comparison.target + " | " + (round + 1) + " | " + comparison.order(round).stream()
                        .map(Contender::label).collect(Collectors.joining(", ")) + " | "
                        + columns.stream().map(contender -> number(format, rate.apply(contender)))
                                .collect(Collectors.joining(" | ")) + " | "
                        + others.stream().map(other -> ratio(rate.apply(Contender.RELAY), rate.apply(other)))
                                .collect(Collectors.joining(" | ")) + " |");
            }
        }
        line("");
    }

    /**
     * One row per target: relay, baseline, relay / baseline; then the durable baseline and relay / durable baseline,
     * which leaves out what the relay's guarantees cost and shows what the framework does.
     */
    private void table(String title, String format, Function<StandardRun, Double> figure) {
        line("### " + title);
        line("");
        line("| target | relay | baseline | ratio | durable baseline | ratio |");
        line("|---|---:|---:|---:|---:|---:|");
        for (String target : options.targets) {
            Double relay = figureOf(results.runs, target, Contender.RELAY, figure);
            Double baseline = figureOf(results.runs, target, Contender.BASELINE, figure);
            Double durable = figureOf(results.runs, target, Contender.DURABLE_BASELINE, figure);
            line("| " + target + " | " + number(format, relay) + " | " + number(format, baseline) + " | "
                    + ratio(relay, baseline) + " | " + number(format, durable) + " | " + ratio(relay, durable) + " |");
        }
        line("");
    }

    private void ioTable() {
        line("### Bytes read / written by the process during its median burst (MB; /proc/<pid>/io rchar/wchar, "
                + "which count socket I/O too)");
        line("");
        line("| target | photos | fake received | relay read | baseline read | ratio | relay written | baseline written | ratio |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (String target : options.targets) {
            Figures.Throughput relay = figureOf(results.runs, target, Contender.RELAY, run -> run.throughput);
            Figures.Throughput baseline = figureOf(results.runs, target, Contender.BASELINE, run -> run.throughput);
            Figures.Throughput any = relay != null ? relay : baseline;
            Double relayRead = relay == null ? null : Units.mib(relay.process().readBytes());
            Double baselineRead = baseline == null ? null : Units.mib(baseline.process().readBytes());
            Double relayWritten = relay == null ? null : Units.mib(relay.process().writtenBytes());
            Double baselineWritten = baseline == null ? null : Units.mib(baseline.process().writtenBytes());
            line("| " + target + " | " + (any == null ? "—" : number("%.0f", Units.mib(any.photoBytes()))) + " | "
                    + (relay == null ? "—" : number("%.0f", Units.mib(relay.receivedBytes()))) + " | "
                    + number("%.0f", relayRead) + " | " + number("%.0f", baselineRead) + " | " + ratio(relayRead, baselineRead)
                    + " | " + number("%.0f", relayWritten) + " | " + number("%.0f", baselineWritten) + " | "
                    + ratio(relayWritten, baselineWritten) + " |");
        }
        line("");
        line("\"photos\" = bytes of the photos dropped; \"fake received\" = request bodies (and, for Sonoran, the photos it "
                + "fetched) in the relay's run. A process's read/written include its HTTP traffic.");
        line("");
    }

    private void largeTables() {
        line("### Large photos: " + options.largePhotos + " × " + Units.size(options.largeSize) + " at once into "
                + "fresh processes (no warm-up), concurrency " + options.largeConcurrency + ", " + options.rounds
                + " rounds of a fresh relay and baseline side by side (throughput: the median of the rounds, ratio: "
                + "the median of the per-round ratios (min–max); memory: the highest of the rounds)");
        line("");
        line("| target | figure | relay | baseline | ratio |");
        line("|---|---|---:|---:|---:|");
        for (Comparison comparison : results.largeComparisons) {
            largeRoundRow(comparison, "throughput (photos/s)", "%.2f", Figures.Throughput::photosPerSecond);
            largeRoundRow(comparison, "throughput (MB/s)", "%.0f",
                    burst -> Units.mib(burst.photoBytes()) / burst.seconds());
            largeRow(comparison.target, "peak RSS (MB)", "%.0f", run -> run.peakRssBytes == null ? null
                    : Units.mib(run.peakRssBytes));
            largeRow(comparison.target, "heap after full GC, before the run (MB)", "%.1f",
                    run -> run.heapBeforeBytes == null ? null : Units.mib(run.heapBeforeBytes));
            largeRow(comparison.target, "heap after full GC, after the run (MB)", "%.1f",
                    run -> run.heapAfterBytes == null ? null : Units.mib(run.heapAfterBytes));
        }
        line("");
        roundsTable("Large photos per round (photos/s, in the order taken)", results.largeComparisons, "%.2f");
    }

    private void largeRoundRow(Comparison comparison, String figure, String format,
            ToDoubleFunction<Figures.Throughput> value) {
        line("| " + comparison.target + " | " + figure + " | "
                + median(format, comparison.figure(Contender.RELAY, value)) + " | "
                + median(format, comparison.figure(Contender.BASELINE, value)) + " | "
                + spread("%.2f", comparison.ratio(Contender.RELAY, Contender.BASELINE, value)) + " |");
    }

    /** The highest of the rounds' figures, relay beside baseline. */
    private void largeRow(String target, String figure, String format, Function<LargeRun, Double> value) {
        Double relay = highest(target, Contender.RELAY, value);
        Double baseline = highest(target, Contender.BASELINE, value);
        line("| " + target + " | " + figure + " | " + number(format, relay) + " | " + number(format, baseline) + " | "
                + ratio(relay, baseline) + " |");
    }

    private Double highest(String target, Contender contender, Function<LargeRun, Double> value) {
        return results.largeRuns.stream()
                .filter(run -> run.target.equals(target) && run.contender.equals(contender.label())).map(value)
                .filter(Objects::nonNull).max(Double::compare).orElse(null);
    }

    private void fitTable(LargeRun run) {
        int photos = run.throughput != null ? run.throughput.photos() : options.fitPhotos;
        line("### Fitting: " + photos + " × " + Units.size(options.fitSize) + " JPEGs at once for Telegram (over its "
                + "10 MB, so each is re-encoded within it), concurrency " + options.largeConcurrency + ", relay alone");
        line("");
        line("| figure | relay |");
        line("|---|---:|");
        line("| photos fitted and sent per second | "
                + number("%.2f", run.throughput == null ? null : run.throughput.photosPerSecond()) + " |");
        line("| peak RSS (MB) | " + number("%.0f", run.peakRssBytes == null ? null : Units.mib(run.peakRssBytes)) + " |");
        line("| heap after full GC, after the run (MB) | "
                + number("%.1f", run.heapAfterBytes == null ? null : Units.mib(run.heapAfterBytes)) + " |");
        line("");
    }

    private void pacing(PacingCheck.Result pacing) {
        line("### Pacing check: relay with its default pacing (" + PacingCheck.PHOTOS + " photos at once: 90 to 30 "
                + "Telegram chats, 20 to one chat, 5 to 5 Sonoran recipients), from the fake's receipt times");
        line("");
        line("| check | limit | measured | |");
        line("|---|---|---:|---|");
        line("| Telegram calls in any 1 s (" + pacing.telegramCalls() + " calls) | ≤ 30 | "
                + pacing.telegramMaxPerSecond() + number(" (31 calls within %.1f ms at the closest)",
                pacing.telegramShortestSpanOf31Ms()) + " | " + held(pacing.overallHeld()) + " |");
        line("| Telegram: shortest gap between calls to one chat | ≥ 1000 ms | "
                + number("%.1f ms", pacing.telegramMinChatGapMs()) + " | " + held(pacing.perChatHeld()) + " |");
        line("| Sonoran: shortest gap between calls (" + pacing.sonoranCalls() + " calls) | ≥ 1000 ms | "
                + number("%.1f ms", pacing.sonoranMinGapMs()) + " | " + held(pacing.sonoranHeld()) + " |");
        line(String.format(Locale.ROOT, "%nAll delivered %.1f s after the drop.%n", pacing.seconds()));
    }

    private void kafka(KafkaRun kafka) {
        long serviceMillis = kafka.serviceTime.toMillis();
        int cores = Runtime.getRuntime().availableProcessors();
        line("### Kafka: one relay and three relays in one consumer group, the fake taking " + serviceMillis
                + " ms per call");
        line("");
        line("A real broker (`kafka/broker.sh`, one node), and the two groups side by side, each with its own "
                + "requests topic of " + KafkaRun.PARTITIONS + " partitions and " + KafkaRun.RECIPIENTS + " Telegram "
                + "chats of its own, spread evenly over the partitions (so each of three relays holds two partitions "
                + "and gets a third of the requests). A request is a photo's bytes with `PhotoTarget` and "
                + "`PhotoRecipient` headers, keyed `telegram:<chat>`, from one producer for the whole run. Pacing is "
                + "`none` (every `relay.*.pacing.*` key): Telegram's 30 calls/s per bot, which the relays of a group "
                + "share, would hold three relays to one relay's rate (a correct result, but not what this run "
                + "measures), and its 1 call/s per chat would make the chats the bound. Unpaced, a chat still takes "
                + "one call at a time" + (serviceMillis == 0 ? "" : String.format(Locale.ROOT, ", %.0f a second, so "
                        + "the chats allow %,.0f calls/s, and what bounds one relay is `relay.concurrency` over the "
                        + "service time (%d / %d ms = %.0f photos/s)", 1000.0 / serviceMillis,
                        KafkaRun.RECIPIENTS * 1000.0 / serviceMillis, options.kafkaConcurrency, serviceMillis,
                        options.kafkaConcurrency * 1000.0 / serviceMillis)) + "; `relay.concurrency` is "
                + options.kafkaConcurrency + " (`--kafka-concurrency`) so that three relays' CPU fits the box and the "
                + "run measures how the group scales rather than the cores. Each group is warmed up as the standard "
                + "runs are, then " + options.rounds + " rounds of one burst of " + options.photos + " requests sent "
                + "at once to each group in turn (the order alternating), each once the other group and the broker "
                + "idle; photos/s = requests / (last delivery at the fake − first request sent), and a burst is over "
                + "once the group has committed every offset. Then " + options.kafkaRate() + " requests a second (half "
                + "of what one relay can do here, at most `--rate`) for "
                + options.latencySeconds + " s to each group: latency from a request's send to the fake reading its "
                + "call. **All of it shares the machine's " + cores + " cores**: the broker, the "
                + (kafka.one.relays + kafka.three.relays) + " relays (the other group idling), the fake and the "
                + "producer.");
        line("");
        line("| figure | one relay | three relays | three / one |");
        line("|---|---:|---:|---:|");
        line("| photos/s (median of the rounds; ratio: the median of the per-round ratios (min–max)) | "
                + median("%.1f", kafka.one.figure(burst -> burst.throughput().photosPerSecond())) + " | "
                + median("%.1f", kafka.three.figure(burst -> burst.throughput().photosPerSecond())) + " | "
                + spread("%.2f", kafka.threeOverOne()) + " |");
        kafkaRow(kafka, "CPU per photo, the group's relays together (ms; medians of the rounds)", "%.2f",
                group -> burstMedian(group, burst -> burst.throughput().cpuMillisPerPhoto()));
        kafkaRow(kafka, "broker CPU per photo (ms)", "%.2f",
                group -> burstMedian(group, KafkaRun.Burst::brokerCpuMillisPerPhoto));
        kafkaRow(kafka, "cores busy: the group's relays, the benchmark JVM (fake, producer) and the broker, of "
                + cores, "%.2f", group -> burstMedian(group, KafkaRun.Burst::coresBusy));
        kafkaRow(kafka, "CPU the other group took, idling (ms per burst)", "%.1f",
                group -> burstMedian(group, burst -> burst.throughput().idleCpuSeconds() * 1000));
        kafkaRow(kafka, "seconds from the first request sent to the broker having the burst", "%.2f",
                group -> burstMedian(group, KafkaRun.Burst::producedSeconds));
        kafkaRow(kafka, "cold: the first warm-up burst (photos/s)", "%.1f", group -> group.warmUp == null
                || group.warmUp.cold() == null ? null : group.warmUp.cold().photosPerSecond());
        kafkaRow(kafka, "warm-up: seconds until the JIT compiler was quiet (or the longest warm-up was over)", "%.0f",
                group -> group.warmUp == null ? null : group.warmUp.seconds());
        for (Map.Entry<String, ToDoubleFunction<Figures.Latency>> percentile : List.<Map.Entry<String,
                ToDoubleFunction<Figures.Latency>>>of(Map.entry("p50", Figures.Latency::p50),
                        Map.entry("p95", Figures.Latency::p95), Map.entry("p99", Figures.Latency::p99),
                        Map.entry("max", Figures.Latency::max))) {
            kafkaRow(kafka, "latency " + percentile.getKey() + " at " + options.kafkaRate() + "/s (ms, request sent → call "
                    + "read)", "%.1f", group -> group.latency == null ? null
                            : percentile.getValue().applyAsDouble(group.latency));
        }
        line("");
        line("| round | order | one relay (photos/s) | three relays (photos/s) | three / one |");
        line("|---:|---|---:|---:|---:|");
        int rounds = Math.max(kafka.one.bursts.size(), kafka.three.bursts.size());
        List<KafkaRun.GroupRun> groups = List.of(kafka.one, kafka.three);
        for (int round = 0; round < rounds; round++) {
            int r = round;
            Function<KafkaRun.GroupRun, Double> rate = group -> r < group.bursts.size()
                    ? group.bursts.get(r).throughput().photosPerSecond() : null;
            line("| " + (round + 1) + " | " + Runs.order(groups, round).stream().map(group -> group.label)
                    .collect(Collectors.joining(", ")) + " | " + number("%.0f", rate.apply(kafka.one)) + " | "
                    + number("%.0f", rate.apply(kafka.three)) + " | "
                    + ratio(rate.apply(kafka.three), rate.apply(kafka.one)) + " |");
        }
        line("");
    }

    /** A row of the Kafka table: each group's figure, and three relays' over one relay's. */
    private void kafkaRow(KafkaRun kafka, String figure, String format, Function<KafkaRun.GroupRun, Double> value) {
        Double one = value.apply(kafka.one);
        Double three = value.apply(kafka.three);
        line("| " + figure + " | " + number(format, one) + " | " + number(format, three) + " | " + ratio(three, one)
                + " |");
    }

    /** The median of a figure of the group's bursts, or null without a burst. */
    private static Double burstMedian(KafkaRun.GroupRun group, ToDoubleFunction<KafkaRun.Burst> figure) {
        Spread spread = group.figure(figure);
        return spread == null ? null : spread.median();
    }

    private void errors() {
        StringBuilder errors = new StringBuilder();
        if (results.startup != null && results.startup.error != null) {
            errors.append("- start-up run: ").append(results.startup.error.lines().findFirst().orElse("")).append('\n');
        }
        results.runs.stream().filter(run -> run.error != null || nonZero(run.failedPhotos)).forEach(run -> errors.append(
                "- " + run.contender + " " + run.target + ": " + describe(run.error, run.failedPhotos) + "\n"));
        results.largeRuns.stream().filter(run -> run.error != null || nonZero(run.failedPhotos)).forEach(run -> errors
                .append("- " + run.contender + " " + run.target + " (large, round " + run.round + "): "
                        + describe(run.error, run.failedPhotos) + "\n"));
        LargeRun fitRun = results.fitRun;
        if (fitRun != null && (fitRun.error != null || nonZero(fitRun.failedPhotos))) {
            errors.append("- relay telegram (fitting): " + describe(fitRun.error, fitRun.failedPhotos) + "\n");
        }
        if (results.pacing != null && results.pacing.error() != null) {
            errors.append("- pacing check: ").append(results.pacing.error()).append('\n');
        }
        if (results.kafka != null && results.kafka.error != null) {
            errors.append("- kafka run: ").append(results.kafka.error.lines().findFirst().orElse("")).append('\n');
        }
        if (errors.length() > 0) {
            line("### Errors");
            line("");
            out.append(errors);
            line("");
        }
    }

    private static boolean nonZero(Long failed) {
        return failed != null && failed > 0;
    }

    private static String describe(String error, Long failedPhotos) {
        String text = error == null ? "" : error.lines().findFirst().orElse("");
        return text + (nonZero(failedPhotos) ? " " + failedPhotos + " photo(s) filed in .failed/" : "");
    }

    /** The figure of the run of this contender for this target, or null if it has none. */
    private static <F> F figureOf(List<StandardRun> runs, String target, Contender contender,
            Function<StandardRun, F> figure) {
        return runs.stream().filter(run -> run.target.equals(target) && run.contender.equals(contender.label()))
                .map(figure).filter(Objects::nonNull).findFirst().orElse(null);
    }

    private static String held(boolean held) {
        return held ? "held" : "NOT held";
    }

    private static String number(String format, Double value) {
        return value == null || value.isNaN() ? "—" : String.format(Locale.ROOT, format, value);
    }

    private static String median(String format, Spread spread) {
        return number(format, spread == null ? null : spread.median());
    }

    /** The median with its min–max, or the value alone when there is one. */
    private static String spread(String format, Spread spread) {
        return spread == null ? "—" : spread.values().size() == 1 ? number(format, spread.median())
                : spread.format(format);
    }

    private static String ratio(Double relay, Double baseline) {
        return relay == null || baseline == null || baseline == 0 ? "—" : String.format(Locale.ROOT, "%.2f", relay / baseline);
    }

    private void line(String text) {
        out.append(text).append('\n');
    }
}
