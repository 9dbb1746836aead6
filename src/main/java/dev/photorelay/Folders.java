package dev.photorelay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.apache.camel.quarkus.main.events.BeforeConfigure;

/**
 * Creates the folders the relay works in before Camel reads them: the inbox, and the folder for the user's own
 * routes (Camel refuses to start on a route folder that does not exist); and any folder on the way ({@link #ensure}).
 */
@Singleton
public class Folders {

    void create(@Observes BeforeConfigure event, RelayConfig config) throws IOException {
        ensure(Path.of(config.inbox().dir()));
        ensure(Path.of(config.routes().dir()));
    }

    /**
     * Creates the folder (and its parents) unless it is there. Asked first, because {@link Files#createDirectories}
     * throws and catches an exception for a folder that exists, which costs more than the rest of a photo's filing.
     */
    public static void ensure(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder);
        }
    }
}
