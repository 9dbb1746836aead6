package dev.photorelay.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collections;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.photorelay.Printable;
import dev.photorelay.RelayConfig;
import dev.photorelay.delivery.ErrorCode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The HTTP API's gate, passed before a byte of a request's body is read: the API's own routes (platform-http) read
 * the body whole first, to disk for uploads. So an anonymous request costs no disk and little memory:
 * <ul>
 * <li>framing that two parsers could read apart is not let through to a second request (RFC 9112 §6.1, §6.3): two
 * lengths are refused {@code 400}; a request framed by {@code Transfer-Encoding} (a {@code Content-Length} beside it is
 * dropped by Netty before we see it) has its connection closed after its answer, and nothing pipelined behind it is
 * answered;</li>
 * <li>the bearer token is checked, in constant time ({@code 401});</li>
 * <li>a {@code Content-Length} over {@code relay.api.max-body} is refused from the header ({@code 413});</li>
 * <li>a multipart request without its boundary is refused ({@code 400});</li>
 * <li>a body that does not arrive whole within {@code relay.api.read-timeout} is answered {@code 408}.</li>
 * </ul>
 * Each refusal is {@code application/problem+json} with our code, and closes the connection: the rest of the body is
 * never read. Whatever the HTTP layer refuses later (a malformed multipart body, too many parts, a field too long) is
 * answered the same way by {@link #failed}, with at most one WARN line and no stack trace. Every upload file of a
 * request is deleted however it ends; files no live request owns (a restart mid-request, parts the decoder wrote after
 * a refusal) are swept at start and every {@code relay.api.read-timeout}.
 */
@Singleton
public class ApiGate {

    /** Ahead of every route on the API's paths, platform-http's own included. */
    private static final int BEFORE_THE_BODY = -1_000;
    private static final Logger LOG = Logger.getLogger(ApiGate.class);

    private final Optional<String> token;
    private final long maxBody;
    private final long readTimeoutMillis;
    private final Path uploads;
    /** Connections refused and being closed: a request pipelined behind a refusal is never answered. */
    private final Map<HttpConnection, Boolean> closing = Collections.synchronizedMap(new WeakHashMap<>());
    /** Requests whose body the API's route has begun to read: whole, so no longer on the read deadline. */
    private final Set<HttpServerRequest> bodiesRead = ConcurrentHashMap.newKeySet();
    /** Requests being read or answered: their upload files are in use. */
    private final Set<RoutingContext> live = Collections.synchronizedSet(new HashSet<>());
    /** Uploads a delivery still sends from: kept past their request's end (a client that left) until it is done. */
    private final Set<Path> held = ConcurrentHashMap.newKeySet();

    public ApiGate(RelayConfig config, @ConfigProperty(name = "quarkus.http.body.uploads-directory") String uploads) {
        this.token = config.api().token().filter(t -> !t.isBlank());
        this.maxBody = config.api().maxBody().asLongValue();
        this.readTimeoutMillis = config.api().readTimeout().toMillis();
        this.uploads = Path.of(uploads);
    }

    void routes(@Observes Router router, Vertx vertx) {
        deleteStrayUploads(Set.of());
        // every path: the media host and /q/* can be smuggled behind as well as the API
        router.route().order(BEFORE_THE_BODY - 1).handler(this::checkFraming);
        router.route("/api/*").order(BEFORE_THE_BODY).handler(this::check).failureHandler(this::failed);
        // a multipart body refused mid-way can have upload files created after its request ended
        vertx.setPeriodic(readTimeoutMillis, tick -> {
            Set<Path> inUse;
            try {
                inUse = uploadsInUse();
            } catch (ConcurrentModificationException busy) {
                return; // a request was adding an upload meanwhile: the next round
            }
            vertx.executeBlocking(() -> {
                deleteStrayUploads(inUse);
                return null;
            }, false);
        });
    }

    /** The upload files of the requests being read or answered now. */
    private Set<Path> uploadsInUse() {
        Set<Path> inUse = new HashSet<>(held);
        synchronized (live) {
            for (RoutingContext context : live) {
                // read from the timer's event loop while the request's own may add to it: copied first
                for (FileUpload upload : List.copyOf(context.fileUploads())) {
                    inUse.add(Path.of(upload.uploadedFileName()));
                }
            }
        }
        return inUse;
    }

    /**
     * On every path: a request pipelined behind a refusal is not answered, and a request framed by
     * {@code Transfer-Encoding} ends its connection with its answer. Netty drops a {@code Content-Length} sent alongside,
     * so a request framed both ways cannot be told apart here; closing the connection after it means nothing hidden
     * in its body is ever read as a request of its own (RFC 9112 §6.1).
     */
    void checkFraming(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (closing.containsKey(request.connection())) {
            request.connection().close();
            return;
        }
        if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            closeAfterAnswer(context);
        }
        context.next();
    }

    /** The API's checks that need no body, then the body's own deadline and clean-up. */
    void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        MultiMap headers = request.headers();
        List<String> lengths = headers.getAll(HttpHeaders.CONTENT_LENGTH);
        if (!authorized(headers.get(HttpHeaders.AUTHORIZATION))) {
            refuse(context, 401, "UNAUTHORIZED", token.isEmpty()
                    ? "the HTTP API is off: set relay.api.token (RELAY_API_TOKEN) and send it as a bearer token"
                    : "missing or wrong bearer token (Authorization: Bearer <token>)");
            return;
        }
        long length = lengths.isEmpty() ? -1 : parseLength(lengths.get(0));
        if (length < -1) {
            refuse(context, 400, ErrorCode.INVALID_REQUEST.name(), "Content-Length is not a number of bytes");
            return;
        }
        if (length > maxBody) {
            refuse(context, 413, ErrorCode.PAYLOAD_TOO_LARGE.name(),
                    "the request is larger than relay.api.max-body (" + maxBody + " bytes)");
            return;
        }
        String type = headers.get(HttpHeaders.CONTENT_TYPE);
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")
                && !type.toLowerCase(Locale.ROOT).contains("boundary=")) {
            refuse(context, 400, ErrorCode.INVALID_REQUEST.name(), "multipart/form-data without its boundary");
            return;
        }
        // until the route has the whole body: a multipart body whose closing delimiter never comes ends by its
        // Content-Length, yet the decoder waits for the delimiter for good
        long deadline = context.vertx().setTimer(readTimeoutMillis, id -> {
            if (!bodiesRead.contains(request) && !context.response().ended()) {
                refuse(context, 408, "REQUEST_TIMEOUT",
                        "the request's body did not arrive within relay.api.read-timeout");
            }
        });
        live.add(context);
        context.addEndHandler(ended -> {
            live.remove(context);
            bodiesRead.remove(request);
            context.vertx().cancelTimer(deadline);
            deleteUploads(context);
        });
        context.next();
    }

    /**
     * The API's route has the request's whole body (its first step): from here the request may take as long as its
     * delivery does. Called from the route, which sees the Vert.x request through platform-http's message.
     *
     * @param request the request, as platform-http hands it to the route
     */
    public void bodyRead(HttpServerRequest request) {
        bodiesRead.add(request);
    }

    /**
     * The files a request being answered uploaded, in the order their parts came.
     *
     * @param request the request, as platform-http hands it to the route
     * @return        its uploads; none if it is not a live API request
     */
    public List<FileUpload> uploads(HttpServerRequest request) {
        synchronized (live) {
            for (RoutingContext context : live) {
                if (context.request() == request) {
                    return List.copyOf(context.fileUploads());
                }
            }
        }
        return List.of();
    }

    private void closeAfterAnswer(RoutingContext context) {
        HttpConnection connection = context.request().connection();
        closing.put(connection, Boolean.TRUE);
        context.addHeadersEndHandler(headersSent -> context.response().putHeader(HttpHeaders.CONNECTION, "close"));
        // a refusal answered before the body was read closes it itself, once the client has sent what is left
        context.addBodyEndHandler(written -> {
            if (context.request().isEnded()) {
                connection.close();
            }
        });
    }

    /**
     * Refusals of the HTTP layer itself (body handler, multipart decoder) in our form: the API's route answers its own
     * failures, so what reaches here is the request's fault (a body cut short, too many parts, a field too long), or a
     * client that left, which needs no answer.
     */
    void failed(RoutingContext context) {
        if (context.response().ended() || context.response().closed()) {
            return;
        }
        if (context.statusCode() == 413) {
            refuse(context, 413, ErrorCode.PAYLOAD_TOO_LARGE.name(),
                    "the request is larger than relay.api.max-body (" + maxBody + " bytes)");
            return;
        }
        LOG.warnf("HTTP API refused a malformed request from %s: %s", context.request().remoteAddress(),
                Printable.of(describe(context.failure()), 200));
        refuse(context, 400, ErrorCode.INVALID_REQUEST.name(), "the request is malformed or over a limit of the "
                + "HTTP API (a multipart body cut short, more than 64 parts, a field over 4 KB, a file part without "
                + "filename=); see the README's HTTP API section");
    }

    private static String describe(Throwable failure) {
        return failure == null ? "(no cause)" : failure.getClass().getSimpleName();
    }

    /**
     * Answers, then closes the connection: what is left of a refused body is never kept. Until the client has sent it
     * (at most relay.api.max-body, within relay.api.read-timeout) it is read and dropped, not cut off: a connection
     * closed under a client still sending is reset, and the reset can destroy the answer before the client reads it.
     */
    private void refuse(RoutingContext context, int status, String code, String detail) {
        HttpServerRequest request = context.request();
        closing.put(request.connection(), Boolean.TRUE);
        context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, ApiProblems.PROBLEM_JSON)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(ApiProblems.problemJson(status, code, detail));
        if (request.isEnded()) {
            request.connection().close();
            return;
        }
        long[] dropped = { 0 };
        long closeAt = context.vertx().setTimer(readTimeoutMillis, id -> request.connection().close());
        request.handler(data -> {
            dropped[0] += data.length();
            if (dropped[0] > maxBody) {
                request.connection().close();
            }
        });
        request.endHandler(end -> {
            context.vertx().cancelTimer(closeAt);
            request.connection().close();
        });
        request.resume();
    }

    /** The bearer token, compared in constant time (of hashes, so not even its length shows). */
    boolean authorized(String header) {
        if (token.isEmpty() || header == null) {
            return false;
        }
        String given = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        return MessageDigest.isEqual(sha256(given), sha256(token.get()));
    }

    private static long parseLength(String value) {
        try {
            long length = Long.parseLong(value.trim());
            return length < 0 ? -2 : length;
        } catch (NumberFormatException e) {
            return -2;
        }
    }

    private void deleteUploads(RoutingContext context) {
        for (FileUpload upload : context.fileUploads()) {
            Path file = Path.of(upload.uploadedFileName());
            if (!held.contains(file)) {
                delete(file);
            }
        }
    }

    private static void delete(Path upload) {
        try {
            Files.deleteIfExists(upload);
        } catch (IOException | RuntimeException e) {
            LOG.debugf("Could not delete an upload: %s", e.getMessage());
        }
    }

    /**
     * Keeps a request's uploads until its exchange is done, also if the client leaves before: a delivery of several
     * calls (an album, a retry) still sends from them. Deleted when the exchange completes.
     *
     * @param request  the request, as platform-http hands it to the route
     * @param exchange the exchange delivering them
     */
    public void holdUploads(HttpServerRequest request, Exchange exchange) {
        List<Path> files = uploads(request).stream().map(upload -> Path.of(upload.uploadedFileName())).toList();
        if (files.isEmpty()) {
            return;
        }
        held.addAll(files);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                files.forEach(ApiGate::delete);
                held.removeAll(files);
            }
        });
    }

    /**
     * Deletes upload files no request being read or answered owns: those left by a relay stopped mid-request (at
     * start), and those the multipart decoder creates for a request already refused. Files younger than a second may
     * belong to a request whose first part is just being written, and are left for the next round.
     */
    private void deleteStrayUploads(Set<Path> inUse) {
        if (!Files.isDirectory(uploads)) {
            return;
        }
        Instant young = Instant.now().minusSeconds(1);
        try (var files = Files.list(uploads)) {
            files.filter(file -> !inUse.contains(file)).forEach(stray -> {
                try {
                    if (Files.isRegularFile(stray) && Files.getLastModifiedTime(stray).toInstant().isBefore(young)) {
                        Files.deleteIfExists(stray);
                    }
                } catch (IOException e) {
                    LOG.debugf("Could not delete the stray upload %s: %s", stray, e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.warnf("Could not clear the uploads folder %s: %s", uploads, e.getMessage());
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
