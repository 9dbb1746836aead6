package dev.photorelay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.apache.camel.quarkus.main.events.BeforeConfigure;

/**
 * Creates the folders the relay works in before Camel reads them: the inbox, and the folder for the user's own
 * routes (Camel refuses to start on a route folder that does not exist).
 */
@Singleton
public class Folders {

    void create(@Observes BeforeConfigure event, RelayConfig config) throws IOException {
        Files.createDirectories(Path.of(config.inbox().dir()));
        Files.createDirectories(Path.of(config.routes().dir()));
    }
}
