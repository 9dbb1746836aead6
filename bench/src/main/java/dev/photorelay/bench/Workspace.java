package dev.photorelay.bench;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A fresh folder for one process under test, inside the benchmark's work folder: its inbox (with the recipient folders
 * made beforehand), an empty routes folder, and a staging folder on the same file system, from which photos are
 * renamed into the inbox. When closed, the process's log is kept in the results' log folder; the files stay until the
 * whole benchmark is over ({@link #delete}), because deleting thousands of files slows the next process's file
 * creation on some file systems (ext4 without a journal skips inodes freed in the last minutes, one by one), and the
 * relay creates a record per photo while the baseline creates none.
 */
final class Workspace implements AutoCloseable {

    private final Path root;
    private final Path logs;

    private Workspace(Path root, Path logs) {
        this.root = root;
        this.logs = logs;
    }

    static Workspace create(Path benchFolder, String name, Collection<String> folders, Path logs) throws IOException {
        Workspace workspace = new Workspace(Files.createDirectory(benchFolder.resolve(name)), logs);
        for (String folder : folders) {
            Files.createDirectories(workspace.inbox().resolve(folder));
        }
        Files.createDirectories(workspace.routes());
        Files.createDirectories(workspace.staging());
        return workspace;
    }

    Path root() {
        return root;
    }

    Path inbox() {
        return root.resolve("inbox");
    }

    Path routes() {
        return root.resolve("custom-routes");
    }

    Path staging() {
        return root.resolve("staging");
    }

    /** Photos still in the inbox (not yet filed below a hidden folder such as {@code .sent/}). */
    long photosInInbox() throws IOException {
        long[] photos = {0};
        Files.walkFileTree(inbox(), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                // .sent/, .failed/ and the like hold tens of thousands of files by the end of a warm-up
                return dir.equals(inbox()) || !isHidden(dir) ? FileVisitResult.CONTINUE
                        : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile() && !isHidden(file)) {
                    photos[0]++;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // settled while we looked
            }
        });
        return photos[0];
    }

    /** Photos the relay filed as failed (their {@code .error.json} records not counted). */
    long failedPhotos() throws IOException {
        Path failed = inbox().resolve(".failed");
        if (!Files.isDirectory(failed)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(failed)) {
            return files.filter(Files::isRegularFile).filter(file -> !file.toString().endsWith(".json")).count();
        }
    }

    private static boolean isHidden(Path file) {
        return file.getFileName().toString().startsWith(".");
    }

    @Override
    public void close() throws IOException {
        Files.createDirectories(logs);
        try (Stream<Path> logFiles = Files.list(root)) {
            for (Path log : logFiles.filter(file -> file.toString().endsWith(".log")).toList()) {
                Files.copy(log, logs.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Deletes the benchmark's work folder with every workspace in it, once all processes are done. */
    static void delete(Path benchFolder) throws IOException {
        try (Stream<Path> all = Files.walk(benchFolder)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
