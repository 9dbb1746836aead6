package dev.photorelay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Start to ready, {@link Options#starts} times each, interleaved (relay, relay without its class archive, durable
 * baseline, baseline, relay, …) so that the machine's drift falls on all alike: the relay through
 * {@code bin/photo-relay} as shipped (with the class archive the build trained), the relay with
 * {@code PHOTO_RELAY_CLASS_ARCHIVE=off}, and the two baselines. Ready is as {@link ServiceProcess} says: the relay's
 * {@code Watching inbox} line and {@code /q/health/ready} answering 200, a baseline's line. Each start is a fresh
 * process in a fresh workspace, with the standard run's settings, stopped once ready; no other contender runs
 * meanwhile.
 */
final class StartupRun {

    /**
     * What is started: a contender, and for the relay whether with its class archive.
     *
     * @param name for file names
     */
    record Variant(String label, String name, Contender contender, boolean classArchive) {
    }

    static final Variant RELAY = new Variant("relay", "relay", Contender.RELAY, true);
    static final Variant RELAY_WITHOUT_ARCHIVE = new Variant("relay without class archive", "relay-no-archive",
            Contender.RELAY, false);

    /** Seconds from just before the spawn to ready, per variant, in the order taken. */
    final Map<Variant, List<Double>> seconds = new LinkedHashMap<>();
    /**
     * The class archives beside the relay's jar that are newer than it (the launcher maps one only then): none means
     * the relay's starts "with" ran without one too.
     */
    final List<String> classArchives;
    /** The first start that went wrong, and why. */
    String error;

    private StartupRun(List<Variant> variants, List<String> classArchives) {
        variants.forEach(variant -> seconds.put(variant, new ArrayList<>()));
        this.classArchives = classArchives;
    }

    static StartupRun run(Options options, FakePlatform fake, Path benchFolder, Path logs)
            throws IOException, InterruptedException {
        List<Variant> variants = new ArrayList<>(List.of(RELAY, RELAY_WITHOUT_ARCHIVE));
        if (!options.skipDurable) {
            variants.add(new Variant("durable baseline", "durable-baseline", Contender.DURABLE_BASELINE, false));
        }
        variants.add(new Variant("baseline", "baseline", Contender.BASELINE, false));
        StartupRun run = new StartupRun(variants, classArchives());
        Progress.say("start-up run: %d starts each of %s; class archives newer than the jar: %s", options.starts,
                variants.stream().map(Variant::label).toList(), run.classArchives);
        for (int start = 1; start <= options.starts; start++) {
            for (Variant variant : variants) {
                String name = variant.name() + "-start-" + start;
                Destinations destinations = Destinations.of("telegram", options.concurrency,
                        variant.contender().ordinal());
                try (Workspace workspace = Workspace.create(benchFolder, name, destinations.folders(), logs);
                        ServiceProcess process = variant.contender().start(name, workspace, fake, options.concurrency,
                                false, destinations, options, null, variant.classArchive(), Map.of())) {
                    run.seconds.get(variant).add(process.startupSeconds());
                    Progress.say("  %s: %.2f s", name, process.startupSeconds());
                } catch (IOException | RuntimeException e) {
                    Progress.say("%s FAILED: %s", name, e);
                    run.error = run.error != null ? run.error : name + ": " + e;
                }
            }
        }
        return run;
    }

    /** Null if it never got ready. */
    Spread spread(Variant variant) {
        return Spread.of(seconds.getOrDefault(variant, List.of()));
    }

    private static List<String> classArchives() throws IOException {
        Path jar = Contender.RELAY_APP.resolve("quarkus-run.jar");
        if (!Files.exists(jar)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(Contender.RELAY_APP)) {
            return files.filter(file -> file.getFileName().toString().matches("class-archive-\\d+\\.(jsa|aot)"))
                    .filter(file -> newer(file, jar)).map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private static boolean newer(Path file, Path than) {
        try {
            return Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(than)) > 0;
        } catch (IOException gone) {
            return false;
        }
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("classArchivesNewerThanJar", classArchives);
        seconds.forEach((variant, values) -> {
            Spread spread = Spread.of(values);
            map.put(variant.label(), spread == null ? null : spread.toMap());
        });
        map.put("error", error);
        return map;
    }
}
