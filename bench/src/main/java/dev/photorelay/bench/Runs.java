package dev.photorelay.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Runs the measurements, each with a fresh process and a fresh inbox, against the one fake platform: photos are
 * staged first, then dropped, then awaited at the fake; between runs the fake's records are cleared.
 */
final class Runs {

    /** How long the inbox may take to empty after the last delivery (records, moves into {@code .sent/}). */
    private static final Duration DRAIN = Duration.ofSeconds(30);
    /** The warm-up is over when the JIT compiler took under this share of the process's CPU in that many bursts. */
    private static final double QUIET_JIT_SHARE = 0.05;
    private static final int QUIET_BURSTS = 5;
    static final int THROUGHPUT_RUNS = 5;

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
     * Warm-up (all at once into the fresh process: the cold throughput), then throughput (all at once), then latency
     * (at the set rate), then memory; memory and failed photos are taken even after a run that went wrong.
     */
    StandardRun standard(Contender contender, String target, PhotoSet photos) throws IOException, InterruptedException {
        StandardRun run = new StandardRun(contender.label(), target);
        String name = contender.label() + "-" + target;
        Destinations destinations = Destinations.of(target, options.concurrency, contender.ordinal());
        Progress.say("%s: %d-%d s warm-up, %d at once, %d at %d/s", name, options.warmupSeconds,
                options.warmupMaxSeconds, options.photos, options.latencyPhotos(), options.rate);
        try (Workspace workspace = Workspace.create(benchFolder, name, destinations.folders(), logs)) {
            Dropper dropper = new Dropper(photos, workspace);
            // renamed in with fresh modification times, as producers that write and rename at once make them
            Phase paced = new Phase("latency run", "l", photos.first(options.latencyPhotos()), dropper, destinations,
                    true);
            ServiceProcess process = contender.start(name, workspace, fake, options.concurrency, false,
                    destinations, options, jfrFile(contender, name), true);
            try {
                run.startupSeconds = process.startupSeconds();
                run.error = measure(run, process, workspace, photos, dropper, destinations, paced);
                run.failedPhotos = workspace.failedPhotos();
                run.peakRssBytes = ProcessStats.peakRss(process.pid());
                run.heapAfterGcBytes = ProcessStats.heapUsedAfterGc(process.pid());
            } finally {
                process.close();
            }
        } catch (IOException | RuntimeException e) {
            run.error = run.error != null ? run.error : e.toString();
        }
        report(name, run.error);
        return run;
    }

    /** The three phases in turn; returns why one went wrong, or null. */
    private String measure(StandardRun run, ServiceProcess process, Workspace workspace, PhotoSet photos,
            Dropper dropper, Destinations destinations, Phase paced)
            throws IOException, InterruptedException {
        try {
            warmUp(run, process, workspace, photos, dropper, destinations);
            throughput(run, process, workspace, photos, dropper, destinations);
            long[] renamedAt = paced.dropper.paced(paced.staged, options.rate);
            run.latency = Figures.latency(paced.ids, renamedAt, settled(paced, process, workspace), options.rate);
            return null;
        } catch (PhaseFailed e) {
            return e.getMessage();
        }
    }

    /**
     * Bursts the size of the throughput run, for at least the warm-up time and until the JIT compiler is quiet (or the
     * longest warm-up is over); the first burst's rate is the cold throughput. Each burst is staged while the process
     * idles, so staging is never measured.
     */
    private void warmUp(StandardRun run, ServiceProcess process, Workspace workspace, PhotoSet photos, Dropper dropper,
            Destinations destinations) throws IOException, InterruptedException, PhaseFailed {
        long start = System.nanoTime();
        long least = start + TimeUnit.SECONDS.toNanos(options.warmupSeconds);
        long most = start + TimeUnit.SECONDS.toNanos(options.warmupMaxSeconds);
        int quietBursts = 0;
        run.warmupPhotos = 0;
        for (int burst = 1; System.nanoTime() < most && (System.nanoTime() < least || quietBursts < QUIET_BURSTS);
                burst++) {
            Phase phase = new Phase("warm-up burst " + burst, "w" + burst, photos.first(options.photos), dropper,
                    destinations);
            Figures.Throughput figures = allAtOnce(phase, process, workspace, photos.size());
            double jitShare = figures.process().jitCpuSeconds() / figures.process().cpuSeconds();
            quietBursts = jitShare < QUIET_JIT_SHARE ? quietBursts + 1 : 0;
            Progress.say("  warm-up burst %d: %.0f photos/s, JIT compiler %.0f%% of the CPU", burst,
                    figures.photosPerSecond(), 100 * jitShare);
            if (burst == 1) {
                run.coldThroughput = figures;
            }
            run.warmupPhotos += options.photos;
        }
        run.warmupSeconds = (System.nanoTime() - start) / 1e9;
        run.warmupSteady = quietBursts >= QUIET_BURSTS;
    }

    /**
     * {@link #THROUGHPUT_RUNS} bursts; the one with the median rate gives the figures. A burst of 1,000 photos lasts
     * about a second here, so one burst alone moves by a fifth from run to run.
     */
    private void throughput(StandardRun run, ServiceProcess process, Workspace workspace, PhotoSet photos,
            Dropper dropper, Destinations destinations) throws IOException, InterruptedException, PhaseFailed {
        List<Figures.Throughput> bursts = new ArrayList<>();
        for (int burst = 1; burst <= THROUGHPUT_RUNS; burst++) {
            Phase phase = new Phase("throughput run " + burst, "t" + burst, photos.first(options.photos), dropper,
                    destinations);
            bursts.add(allAtOnce(phase, process, workspace, photos.size()));
        }
        run.throughputRates = bursts.stream().map(Figures.Throughput::photosPerSecond).toList();
        bursts.sort(Comparator.comparingDouble(Figures.Throughput::photosPerSecond));
        run.throughput = bursts.get(bursts.size() / 2);
        Progress.say("  throughput: median %.0f photos/s of %s", run.throughput.photosPerSecond(),
                run.throughputRates.stream().map(rate -> String.format(Locale.ROOT, "%.0f", rate)).toList());
    }

    /** Drops the phase's photos all at once and measures how fast, and at what CPU cost, they are delivered. */
    private Figures.Throughput allAtOnce(Phase phase, ServiceProcess process, Workspace workspace, long photoSize)
            throws IOException, InterruptedException, PhaseFailed {
        ProcessStats.Sample before = ProcessStats.Sample.of(process.pid());
        long[] renamedAt = phase.dropper.burst(phase.staged);
        Deliveries.Outcome outcome = settled(phase, process, workspace);
        return Figures.throughput(renamedAt, outcome, photoSize, ProcessStats.Sample.of(process.pid()).since(before));
    }

    /** Awaits the phase's deliveries and the inbox emptying; {@link PhaseFailed} says what went wrong. */
    private Deliveries.Outcome settled(Phase phase, ServiceProcess process, Workspace workspace)
            throws IOException, InterruptedException, PhaseFailed {
        Deliveries.Outcome outcome = deliver(process, phase.ids, phase.destinations);
        String failure = failure(outcome, workspace, process);
        if (failure != null) {
            throw new PhaseFailed(phase.name + ": " + failure);
        }
        return outcome;
    }

    /** A phase whose photos were not all delivered, or not all settled. */
    private static final class PhaseFailed extends Exception {
        PhaseFailed(String why) {
            super(why);
        }
    }

    /** One run's photos, staged before the process starts. */
    private static final class Phase {
        final String name;
        final List<Integer> ids;
        final Dropper dropper;
        final Destinations destinations;
        final List<Dropper.Staged> staged;

        Phase(String name, String filePrefix, List<Integer> ids, Dropper dropper, Destinations destinations)
                throws IOException {
            this(name, filePrefix, ids, dropper, destinations, false);
        }

        /** @param copies staged as files of their own (see {@link Dropper#paced}) */
        Phase(String name, String filePrefix, List<Integer> ids, Dropper dropper, Destinations destinations,
                boolean copies) throws IOException {
            this.name = name;
            this.ids = ids;
            this.dropper = dropper;
            this.destinations = destinations;
            this.staged = dropper.stage(filePrefix, ids, destinations::folderOf, copies);
        }
    }

    /** Large photos all at once, with the heap after a full GC before and after. */
    LargeRun large(Contender contender, String target, PhotoSet photos) throws IOException, InterruptedException {
        return large(contender, target, photos, false);
    }

    /**
     * Photos over Telegram's 10 MB all at once into the relay, which fits each (re-encodes it within the limit): the
     * cost of fitting. The baselines do not fit, so the relay runs alone.
     */
    LargeRun fit(PhotoSet photos) throws IOException, InterruptedException {
        return large(Contender.RELAY, "telegram", photos, true);
    }

    private LargeRun large(Contender contender, String target, PhotoSet photos, boolean fitted)
            throws IOException, InterruptedException {
        LargeRun run = new LargeRun(contender.label(), target);
        String name = contender.label() + "-" + target + (fitted ? "-fit" : "-large");
        Destinations destinations = Destinations.of(target, options.largeConcurrency, contender.ordinal());
        Progress.say("%s: %d photos of %s at once, concurrency %d", name, photos.count(), Units.size(photos.size()),
                options.largeConcurrency);
        try (Workspace workspace = Workspace.create(benchFolder, name, destinations.folders(), logs)) {
            Phase all = new Phase(fitted ? "fitting run" : "large-photo run", "x", photos.first(photos.count()),
                    new Dropper(photos, workspace, fitted), destinations);
            ServiceProcess process = contender.start(name, workspace, fake, options.largeConcurrency, false,
                    destinations, options, jfrFile(contender, name), true);
            try {
                run.startupSeconds = process.startupSeconds();
                run.heapBeforeBytes = ProcessStats.heapUsedAfterGc(process.pid());
                try {
                    run.throughput = allAtOnce(all, process, workspace, photos.size());
                    run.peakRssBytes = ProcessStats.peakRss(process.pid());
                    run.heapAfterBytes = ProcessStats.heapUsedAfterGc(process.pid());
                } catch (PhaseFailed e) {
                    run.error = e.getMessage();
                }
                run.failedPhotos = workspace.failedPhotos();
            } finally {
                process.close();
            }
        } catch (IOException | RuntimeException e) {
            run.error = run.error != null ? run.error : e.toString();
        }
        report(name, run.error);
        return run;
    }

    /** Awaits the run's deliveries, with the fake's records cleared when the run is over. */
    private Deliveries.Outcome deliver(ServiceProcess process, List<Integer> ids, Destinations destinations)
            throws InterruptedException {
        try {
            return Deliveries.await(fake, ids, destinations, () -> isAlive(process));
        } finally {
            fake.reset();
        }
    }

    private static boolean isAlive(ServiceProcess process) {
        return ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Why the run went wrong (not all delivered, or the inbox did not empty: photos are settled after their last
     * delivery), or null. Also waits for that settling, so that the next run starts with nothing in flight.
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

    private Path jfrFile(Contender contender, String name) {
        return options.jfr && contender == Contender.RELAY ? logs.resolve(name + ".jfr").toAbsolutePath() : null;
    }

    private static void report(String name, String error) {
        if (error != null) {
            Progress.say("%s FAILED: %s", name, error);
        }
    }
}
