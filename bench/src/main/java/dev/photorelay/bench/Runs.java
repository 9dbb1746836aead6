package dev.photorelay.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs the measurements against the one fake platform. The contenders compared run side by side, each in a fresh
 * process with a fresh inbox and recipients of its own (so that the fake's receipts say whose photo arrived); photos
 * are staged first, then dropped into one of them while the others idle, then awaited at the fake; between bursts the
 * fake's records are cleared.
 */
final class Runs {

    /** How long the inbox may take to empty after the last delivery (records, moves into {@code .sent/}). */
    private static final Duration DRAIN = Duration.ofSeconds(30);
    /** The warm-up is over when the JIT compiler took under this share of the process's CPU in that many bursts. */
    private static final double QUIET_JIT_SHARE = 0.05;
    private static final int QUIET_BURSTS = 5;
    /**
     * The processes beside the one measured are idle when they took at most one clock tick of CPU (5% of a core) in
     * such a window; a burst waits for that at most {@link #IDLE_WAIT}.
     */
    private static final Duration IDLE_WINDOW = Duration.ofMillis(200);
    private static final double IDLE_CPU_SECONDS = 0.01;
    private static final Duration IDLE_WAIT = Duration.ofSeconds(10);

    private final Options options;
    private final FakePlatform fake;
    private final Path benchFolder;
    private final Path logs;

    Runs(Options options, FakePlatform fake, Path benchFolder, Path logs) {
        this.options = options;
        this.fake = fake;
        this.benchFolder = benchFolder;
        this.logs = logs;
    }

    /**
     * The order of round {@code round} (from 0): rotated by one place each round, so that each goes first, in the
     * middle and last in turn (relay, durable baseline, baseline / durable baseline, baseline, relay / …), and
     * reversed after each full rotation, so that each also follows each of the others in turn.
     */
    static <T> List<T> order(List<T> items, int round) {
        List<T> order = new ArrayList<>(items);
        Collections.rotate(order, -(round % items.size()));
        if (round / items.size() % 2 == 1) {
            Collections.reverse(order);
        }
        return order;
    }

    /**
     * One target at the standard photo size, the contenders side by side: each started in turn, then warmed up in
     * turn while the others idle; then {@link Options#rounds} rounds of one burst to each contender in the round's
     * {@link #order} (the comparison returned); then each one's latency run in turn; then each one's memory and failed
     * photos, taken even after a run that went wrong. A contender that fails is left out of the later steps, with why
     * in its run.
     */
    Comparison standard(String target, List<Contender> contenders, PhotoSet photos, List<StandardRun> runs)
            throws InterruptedException {
        Comparison comparison = new Comparison(target);
        List<Entrant<StandardRun>> entrants = new ArrayList<>();
        for (Contender contender : contenders) {
            StandardRun run = new StandardRun(contender.label(), target);
            runs.add(run);
            entrants.add(new Entrant<>(contender, contender.label() + "-" + target, run,
                    Destinations.of(target, options.concurrency, contender.ordinal())));
        }
        Progress.say("%s: %s side by side; %d-%d s warm-up each, %d rounds of %d at once, %d at %d/s each", target,
                contenders.stream().map(Contender::label).collect(Collectors.joining(", ")), options.warmupSeconds,
                options.warmupMaxSeconds, options.rounds, options.photos, options.latencyPhotos(), options.rate);
        try {
            each(entrants, entrant -> {
                open(entrant, photos, false);
                // renamed in with fresh modification times, as producers that write and rename at once make them
                entrant.prepared = Phase.stage("latency run", "l", photos.first(options.latencyPhotos()), entrant,
                        true);
            });
            each(entrants, entrant -> start(entrant, options.concurrency));
            each(entrants, entrant -> warmUp(entrant, entrants, photos));
            for (int round = 0; round < options.rounds; round++) {
                int r = round;
                each(order(entrants, round), entrant -> {
                    Phase phase = Phase.stage("round " + (r + 1), "r" + (r + 1), photos.first(options.photos), entrant,
                            false);
                    comparison.add(r, entrant.contender, allAtOnce(phase, entrant, entrants, photos.size()));
                });
                sayRound(target, comparison, round);
            }
            each(entrants, entrant -> medianBurst(entrant.run, comparison.bursts(entrant.contender)));
            each(entrants, entrant -> {
                awaitIdle(entrant.name, idle(entrant, entrants));
                long[] renamedAt = entrant.dropper.paced(entrant.prepared.staged(), options.rate);
                entrant.run.latency = Figures.latency(entrant.prepared.ids(), renamedAt,
                        settled(entrant.prepared, entrant), options.rate);
            });
        } finally {
            eachStarted(entrants, entrant -> {
                entrant.run.failedPhotos = entrant.workspace.failedPhotos();
                entrant.run.peakRssBytes = ProcessStats.peakRss(entrant.process.pid());
                entrant.run.heapAfterGcBytes = ProcessStats.heapUsedAfterGc(entrant.process.pid());
            });
            close(entrants);
        }
        return comparison;
    }

    /**
     * Large photos all at once into fresh processes, in {@code rounds} alternating rounds: each round starts a fresh
     * process per contender side by side and takes each one's heap after a full GC, then drops the photos into each
     * in the round's {@link #order}, taking each one's peak RSS and heap right after its burst. {@code fitted}: photos
     * over Telegram's 10 MB, which the relay re-encodes within it (the cost of fitting; one round of the relay alone,
     * since the baselines do not fit).
     */
    Comparison large(String target, List<Contender> contenders, PhotoSet photos, boolean fitted, int rounds,
            List<LargeRun> runs) throws InterruptedException {
        Comparison comparison = new Comparison(target);
        String kind = fitted ? "fit" : "large";
        for (int round = 0; round < rounds; round++) {
            int r = round;
            List<Entrant<LargeRun>> entrants = new ArrayList<>();
            for (Contender contender : contenders) {
                LargeRun run = new LargeRun(contender.label(), target, r + 1);
                runs.add(run);
                entrants.add(new Entrant<>(contender, contender.label() + "-" + target + "-" + kind + "-" + (r + 1),
                        run, Destinations.of(target, options.largeConcurrency, contender.ordinal())));
            }
            Progress.say("%s %s round %d of %d: %d photos of %s at once into fresh %s, concurrency %d", target, kind,
                    r + 1, rounds, photos.count(), Units.size(photos.size()), order(contenders, r).stream()
                            .map(Contender::label).collect(Collectors.joining(", then ")), options.largeConcurrency);
            try {
                each(entrants, entrant -> {
                    open(entrant, photos, fitted);
                    entrant.prepared = Phase.stage(fitted ? "fitting run" : "large-photo run", "x",
                            photos.first(photos.count()), entrant, false);
                });
                each(entrants, entrant -> start(entrant, options.largeConcurrency));
                each(entrants, entrant -> entrant.run.heapBeforeBytes =
                        ProcessStats.heapUsedAfterGc(entrant.process.pid()));
                each(order(entrants, round), entrant -> {
                    entrant.run.throughput = allAtOnce(entrant.prepared, entrant, entrants, photos.size());
                    comparison.add(r, entrant.contender, entrant.run.throughput);
                    entrant.run.peakRssBytes = ProcessStats.peakRss(entrant.process.pid());
                    entrant.run.heapAfterBytes = ProcessStats.heapUsedAfterGc(entrant.process.pid());
                });
                sayRound(target + " " + kind, comparison, round);
            } finally {
                eachStarted(entrants, entrant -> entrant.run.failedPhotos = entrant.workspace.failedPhotos());
                close(entrants);
            }
        }
        return comparison;
    }

    /**
     * A warm-up's figures: its first burst's (the cold throughput; null without a burst), photos delivered, how long
     * in seconds, and whether it ended with the JIT compiler quiet.
     */
    record WarmUp(Figures.Throughput cold, int photos, double seconds, boolean steady) {
    }

    /** One burst of a warm-up, numbered from 1: delivers photos and returns its figures. */
    interface Burst {
        Figures.Throughput take(int number) throws IOException, InterruptedException, PhaseFailed;
    }

    /**
     * Bursts for at least {@link Options#warmupSeconds} and until the JIT compiler of the processes measured is
     * quiet (under {@link #QUIET_JIT_SHARE} of their CPU in {@link #QUIET_BURSTS} bursts in a row), or the longest
     * warm-up ({@link Options#warmupMaxSeconds}) is over; none with a longest warm-up of 0. {@code name} is for the
     * progress lines.
     */
    static WarmUp warmUp(String name, Options options, Burst burst)
            throws IOException, InterruptedException, PhaseFailed {
        long start = System.nanoTime();
        long least = start + TimeUnit.SECONDS.toNanos(options.warmupSeconds);
        long most = start + TimeUnit.SECONDS.toNanos(options.warmupMaxSeconds);
        int quietBursts = 0;
        int photos = 0;
        Figures.Throughput cold = null;
        for (int number = 1; System.nanoTime() < most
                && (System.nanoTime() < least || quietBursts < QUIET_BURSTS); number++) {
            Figures.Throughput figures = burst.take(number);
            double jitShare = figures.process().jitCpuSeconds() / figures.process().cpuSeconds();
            quietBursts = jitShare < QUIET_JIT_SHARE ? quietBursts + 1 : 0;
            Progress.say("  %s warm-up burst %d: %.0f photos/s, JIT compiler %.0f%% of the CPU", name, number,
                    figures.photosPerSecond(), 100 * jitShare);
            cold = cold == null ? figures : cold;
            photos += figures.photos();
        }
        return new WarmUp(cold, photos, Units.seconds(System.nanoTime() - start), quietBursts >= QUIET_BURSTS);
    }

    /**
     * The entrant's warm-up: bursts the size of a round's; the first burst's rate is the cold throughput. Each burst
     * is staged while the process idles, so staging is never measured.
     */
    private void warmUp(Entrant<StandardRun> entrant, List<Entrant<StandardRun>> lineup, PhotoSet photos)
            throws IOException, InterruptedException, PhaseFailed {
        WarmUp warmUp = warmUp(entrant.name, options, number -> allAtOnce(Phase.stage("warm-up burst " + number,
                "w" + number, photos.first(options.photos), entrant, false), entrant, lineup, photos.size()));
        StandardRun run = entrant.run;
        run.coldThroughput = warmUp.cold();
        run.warmupPhotos = warmUp.photos();
        run.warmupSeconds = warmUp.seconds();
        run.warmupSteady = warmUp.steady();
    }

    /** The run's burst with the median rate (the upper one of an even count) gives its CPU and I/O figures. */
    private static void medianBurst(StandardRun run, List<Figures.Throughput> bursts) {
        run.throughputRates = bursts.stream().map(Figures.Throughput::photosPerSecond).toList();
        List<Figures.Throughput> sorted = new ArrayList<>(bursts);
        sorted.sort(Comparator.comparingDouble(Figures.Throughput::photosPerSecond));
        run.throughput = sorted.isEmpty() ? null : sorted.get(sorted.size() / 2);
    }

    /** The round's rates, in the order taken, on the progress line. */
    private static void sayRound(String run, Comparison comparison, int round) {
        Progress.say("  %s round %d: %s", run, round + 1, comparison.order(round).stream()
                .map(contender -> String.format(Locale.ROOT, "%s %.1f/s", contender.label(),
                        comparison.burst(round, contender).photosPerSecond()))
                .collect(Collectors.joining(", ")));
    }

    /**
     * Once the others of its {@code lineup} idle, drops the phase's photos all at once and measures how fast, and at
     * what CPU cost, they are delivered; and what the others took meanwhile.
     */
    private Figures.Throughput allAtOnce(Phase phase, Entrant<?> entrant, List<? extends Entrant<?>> lineup,
            long photoSize) throws IOException, InterruptedException, PhaseFailed {
        long pid = entrant.process.pid();
        List<Long> idle = idle(entrant, lineup);
        awaitIdle(entrant.name, idle);
        ProcessStats.Sample before = ProcessStats.Sample.of(pid, idle);
        long[] renamedAt = entrant.dropper.burst(phase.staged());
        Deliveries.Outcome outcome = settled(phase, entrant);
        return Figures.throughput(renamedAt, outcome, photoSize, ProcessStats.Sample.of(pid, idle).since(before));
    }

    /** The processes of the others of its lineup still running. */
    private static List<Long> idle(Entrant<?> entrant, List<? extends Entrant<?>> lineup) {
        return lineup.stream().filter(other -> other != entrant && other.process != null)
                .map(other -> other.process.pid()).filter(other -> ProcessHandle.of(other).isPresent()).toList();
    }

    /**
     * Waits until the processes {@code idle} beside the one about to be measured ({@code name}) are idle: one still
     * compiling, collecting or filing after its own burst (or its start) would take the CPU from the next burst.
     */
    static void awaitIdle(String name, List<Long> idle) throws IOException, InterruptedException {
        if (idle.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + IDLE_WAIT.toNanos();
        double before = ProcessStats.cpuSeconds(idle);
        while (true) {
            Thread.sleep(IDLE_WINDOW.toMillis());
            double now = ProcessStats.cpuSeconds(idle);
            if (now - before <= IDLE_CPU_SECONDS) {
                return;
            }
            if (System.nanoTime() > deadline) {
                Progress.say("  the processes beside %s were still busy after %d s: measured anyway", name,
                        IDLE_WAIT.toSeconds());
                return;
            }
            before = now;
        }
    }

    /**
     * Awaits the phase's deliveries (with the fake's records cleared when they are in) and the inbox emptying, so that
     * the next burst starts with nothing in flight; {@link PhaseFailed} says what went wrong.
     */
    private Deliveries.Outcome settled(Phase phase, Entrant<?> entrant)
            throws IOException, InterruptedException, PhaseFailed {
        ServiceProcess process = entrant.process;
        Deliveries.Outcome outcome;
        try {
            outcome = Deliveries.await(fake, phase.ids(), entrant.destinations, () -> isAlive(process));
        } finally {
            fake.reset();
        }
        String failure = failure(outcome, entrant.workspace, process);
        if (failure != null) {
            throw new PhaseFailed(phase.name() + ": " + failure);
        }
        return outcome;
    }

    /**
     * Why the run went wrong (not all delivered, or the inbox did not empty: photos are settled after their last
     * delivery), or null. Also waits for that settling.
     */
    private static String failure(Deliveries.Outcome outcome, Workspace workspace, ServiceProcess process)
            throws IOException, InterruptedException {
        if (outcome.failure() != null) {
            return outcome.failure() + "\n" + process.tail();
        }
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (workspace.photosInInbox() > 0) {
            if (System.nanoTime() > deadline) {
                return workspace.photosInInbox() + " photo(s) still in the inbox " + DRAIN.toSeconds()
                        + " s after their delivery";
            }
            Thread.sleep(10);
        }
        return null;
    }

    private static boolean isAlive(ServiceProcess process) {
        return ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    private void open(Entrant<?> entrant, PhotoSet photos, boolean markerInCaption) throws IOException {
        entrant.workspace = Workspace.create(benchFolder, entrant.name, entrant.destinations.folders(), logs);
        entrant.dropper = new Dropper(photos, entrant.workspace, markerInCaption);
    }

    private void start(Entrant<?> entrant, int concurrency) throws IOException, InterruptedException {
        entrant.process = entrant.contender.start(entrant.name, entrant.workspace, fake, concurrency, false,
                entrant.destinations, options, jfrFile(options, logs, entrant.contender, entrant.name), true, Map.of());
        entrant.run.startupSeconds = entrant.process.startupSeconds();
    }

    /** Where {@code --jfr} records the process {@code name}: beside the results' logs; null for none. */
    static Path jfrFile(Options options, Path logs, Contender contender, String name) {
        return options.jfr && contender == Contender.RELAY ? logs.resolve(name + ".jfr").toAbsolutePath() : null;
    }

    /** A step of a run, for one contender. */
    private interface Step<E> {
        void take(E entrant) throws IOException, InterruptedException, PhaseFailed;
    }

    /** Takes the step for each entrant that has not failed yet; one that fails now is left out of later steps. */
    private static <E extends Entrant<?>> void each(List<E> entrants, Step<E> step) throws InterruptedException {
        for (E entrant : entrants) {
            if (entrant.run.error == null) {
                attempt(entrant, step);
            }
        }
    }

    /** Takes the step for each entrant whose process started, even one that failed since (its first error stays). */
    private static <E extends Entrant<?>> void eachStarted(List<E> entrants, Step<E> step) throws InterruptedException {
        for (E entrant : entrants) {
            if (entrant.process != null) {
                attempt(entrant, step);
            }
        }
    }

    private static <E extends Entrant<?>> void attempt(E entrant, Step<E> step) throws InterruptedException {
        try {
            step.take(entrant);
        } catch (PhaseFailed | IOException | RuntimeException e) {
            failed(entrant, e instanceof PhaseFailed ? e.getMessage() : e.toString());
        }
    }

    private static void close(List<? extends Entrant<?>> entrants) throws InterruptedException {
        for (Entrant<?> entrant : entrants) {
            try {
                if (entrant.process != null) {
                    entrant.process.close();
                }
                if (entrant.workspace != null) {
                    entrant.workspace.close();
                }
            } catch (IOException | RuntimeException e) {
                failed(entrant, e.toString());
            }
        }
    }

    private static void failed(Entrant<?> entrant, String why) {
        if (entrant.run.error == null) {
            entrant.run.error = why;
            Progress.say("%s FAILED: %s", entrant.name, why);
        }
    }

    /** A contender's process in its workspace, with recipients of its own, and its figures so far. */
    private static final class Entrant<R extends ProcessRun> {
        final Contender contender;
        final String name;
        final R run;
        final Destinations destinations;
        Workspace workspace;
        Dropper dropper;
        /** Photos staged before the process starts: the latency run's, or the large photos. */
        Phase prepared;
        ServiceProcess process;

        Entrant(Contender contender, String name, R run, Destinations destinations) {
            this.contender = contender;
            this.name = name;
            this.run = run;
            this.destinations = destinations;
        }
    }

    /** One burst's or paced run's photos, staged in an entrant's workspace. */
    private record Phase(String name, List<Integer> ids, List<Dropper.Staged> staged) {

        /** @param copies staged as files of their own (see {@link Dropper#paced}) */
        static Phase stage(String name, String filePrefix, List<Integer> ids, Entrant<?> entrant, boolean copies)
                throws IOException {
            return new Phase(name, ids, entrant.dropper.stage(filePrefix, ids, entrant.destinations::folderOf, copies));
        }
    }

    /** A phase whose photos were not all delivered, or not all settled. */
    static final class PhaseFailed extends Exception {
        PhaseFailed(String why) {
            super(why);
        }
    }
}
