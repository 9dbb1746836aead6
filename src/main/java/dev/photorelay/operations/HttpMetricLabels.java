package dev.photorelay.operations;

import java.util.Set;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * HTTP metrics label requests from a fixed vocabulary, so that nothing a client sends becomes a label: a path is its
 * route's template ({@code /media/{token}}, {@code /api/photos/{id}}, set in application.properties) or one of the
 * relay's fixed paths, anything else {@code UNMATCHED}; a method other than the standard ones is {@code OTHER}. Labels
 * from client input would let anyone put a capability (a media token) into the unauthenticated {@code /q/metrics}, or
 * grow it without bound.
 */
@Singleton
public class HttpMetricLabels {

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH",
            "TRACE", "CONNECT");
    private static final Set<String> PATHS = Set.of("/api/photos", "/api/photos/{id}", "/media/{token}", "/demo",
            "/demo/{path}", "/q/health", "/q/health/live", "/q/health/ready", "/q/health/started", "/q/metrics",
            "NOT_FOUND", "REDIRECTION", "root");

    @Produces
    @Singleton
    MeterFilter httpServerLabels() {
        MeterFilter methods = MeterFilter.replaceTagValues("method", m -> METHODS.contains(m) ? m : "OTHER");
        MeterFilter paths = MeterFilter.replaceTagValues("uri", p -> PATHS.contains(p) ? p : "UNMATCHED");
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().startsWith("http.server") ? paths.map(methods.map(id)) : id;
            }
        };
    }
}
