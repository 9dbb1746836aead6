package dev.photorelay.api;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.photorelay.HostFault;
import dev.photorelay.Printable;
import dev.photorelay.delivery.DeliveryResult;
import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.PhotoDeliveryException;
import dev.photorelay.delivery.NamedPhoto;
import dev.photorelay.delivery.PhotoHeaders;
import dev.photorelay.delivery.PhotoRequestJson;
import dev.photorelay.kafka.OutcomePublisher;
import dev.photorelay.media.ImageEnd;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.FileUpload;

/**
 * {@code POST /api/photos} (its bearer token checked by {@link ApiGate}): turns a multipart form ({@code file} and
 * fields) or a JSON object ({@code image} and the same fields) into the headers and body of {@code direct:send-photo},
 * and answers with the per-recipient results. Several {@code file} parts, or {@code images} (a list), are an album:
 * a {@code List} body, in order.
 */
@Singleton
@Named("apiRequests")
@RegisterForReflection
public class ApiRequests {

    private final ObjectMapper json;
    private final PhotoRequestJson requests;
    private final ApiGate gate;

    public ApiRequests(ObjectMapper json, ApiGate gate) {
        this.json = json;
        this.gate = gate;
        this.requests = new PhotoRequestJson(json, Set.of());
    }

    public void read(Exchange exchange) throws PhotoDeliveryException, ApiProblem, IOException {
        Message message = exchange.getMessage();
        if (message instanceof HttpMessage http) {
            gate.bodyRead(http.getRequest());
            gate.holdUploads(http.getRequest(), exchange);
        }
        String contentType = message.getHeader(Exchange.CONTENT_TYPE, "", String.class).toLowerCase(Locale.ROOT);
        Map<String, String> fields = new LinkedHashMap<>();
        Object photo;
        String fileName = null;
        if (contentType.startsWith("multipart/form-data")) {
            formFields(message, fields);
            List<FileUpload> uploads = message instanceof HttpMessage http ? gate.uploads(http.getRequest()) : List.of();
            if (uploads.size() > 1) {
                photo = album(uploads);
            } else {
                photo = message.getBody();
                if (!(photo instanceof File upload) || uploads.size() == 1 && !uploads.get(0).name().equals("file")) {
                    throw invalid("a multipart request carries its photo as a file part named 'file' (several for an "
                            + "album)");
                }
                requireWrittenWhole(upload, message.getHeader(Exchange.FILE_LENGTH, Long.class));
                MultipartRepair.upload(upload);
                requireWholeImage(upload);
                fileName = message.getHeader(Exchange.FILE_NAME, String.class);
            }
        } else if (contentType.startsWith("application/json")) {
            photo = requests.read(message.getBody(byte[].class), fields);
        } else {
            throw new ApiProblem(415, "UNSUPPORTED_MEDIA_TYPE", "send multipart/form-data or application/json");
        }
        String prefer = message.getHeader("Prefer", "", String.class);
        exchange.setProperty(OutcomePublisher.SOURCE, "api");
        exchange.setProperty(ApiSpool.ASYNC, prefer.toLowerCase(Locale.ROOT).contains("respond-async"));
        // nothing of the HTTP request travels on: the headers are only the photo's
        message.getHeaders().clear();
        fields.forEach((name, value) -> message.setHeader(PhotoRequestJson.FIELDS.get(name), value));
        if (fileName != null) {
            message.setHeader(PhotoHeaders.FILE_NAME, fileName);
        }
        message.setBody(photo);
    }

    /** Several file parts: an album, its photos in the order of the parts, each under its client's file name. */
    private static List<NamedPhoto> album(List<FileUpload> uploads) throws PhotoDeliveryException, IOException {
        List<NamedPhoto> photos = new ArrayList<>(uploads.size());
        for (FileUpload upload : uploads) {
            if (!upload.name().equals("file")) {
                throw invalid("unknown file part '" + Printable.of(upload.name(), 80) + "': photos are file parts "
                        + "named 'file'");
            }
            File file = new File(upload.uploadedFileName());
            requireWrittenWhole(file, upload.size());
            MultipartRepair.upload(file);
            try {
                requireWholeImage(file);
            } catch (PhotoDeliveryException truncated) {
                throw new PhotoDeliveryException(truncated.code(), "photo " + (photos.size() + 1) + " of the album ("
                        + Printable.of(upload.fileName(), 80) + "): " + truncated.reason());
            }
            photos.add(new NamedPhoto(upload.fileName(), file));
        }
        return photos;
    }

    /**
     * An upload that is an image cut short (its own end missing, see {@link ImageEnd}) is refused, as the inbox
     * refuses one: the HTTP request was whole, the photo in it is not.
     *
     * @throws PhotoDeliveryException {@code UNSUPPORTED_MEDIA}, truncated
     */
    private static void requireWholeImage(File upload) throws PhotoDeliveryException, IOException {
        if (ImageEnd.of(upload.toPath()) == ImageEnd.State.INCOMPLETE) {
            throw new PhotoDeliveryException(ErrorCode.UNSUPPORTED_MEDIA, "the image is truncated: its end is missing");
        }
    }

    /**
     * An upload shorter on disk than what was received was cut short by the relay's own disk (full, read-only): the
     * relay's fault, not the client's.
     *
     * @param received the bytes the HTTP layer received for the part ({@code CamelFileLength}), if it says
     * @throws HostFault the upload could not be written whole
     */
    private static void requireWrittenWhole(File upload, Long received) throws HostFault {
        long written = upload.length();
        if (received != null && written < received) {
            throw new HostFault(upload.toPath().getParent(), new java.io.IOException("No space left on device: the "
                    + "upload was written " + written + " of " + received + " bytes"));
        }
    }

    /** 200 with every recipient's outcome. */
    public void delivered(Exchange exchange) throws JsonProcessingException {
        DeliveryResult result = exchange.getMessage().getBody(DeliveryResult.class);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "sent");
        answer.put("recipients", result.outcomes());
        ApiProblems.reply(exchange.getMessage(), 200, "application/json", json.writeValueAsString(answer));
    }

    /**
     * The form's own fields, and only those: platform-http also turns HTTP headers and query parameters into message
     * headers of the same names, and a field must have one source. A field given twice is refused.
     */
    private static void formFields(Message message, Map<String, String> fields) throws PhotoDeliveryException {
        if (!(message instanceof HttpMessage http)) {
            throw new IllegalStateException("the API's requests come through platform-http");
        }
        MultiMap form = http.getRequest().formAttributes();
        for (String name : form.names()) {
            if (name.equals("file")) {
                throw invalid("the part 'file' has no filename=: a photo is sent as a file part");
            }
            if (!PhotoRequestJson.FIELDS.containsKey(name)) {
                throw invalid("unknown field (known: file, " + String.join(", ", PhotoRequestJson.FIELDS.keySet())
                        + ")");
            }
            List<String> values = form.getAll(name);
            if (values.size() > 1) {
                throw invalid(name + " is given " + values.size() + " times");
            }
            fields.put(name, MultipartRepair.field(values.get(0)));
        }
    }

    private static PhotoDeliveryException invalid(String why) {
        return new PhotoDeliveryException(ErrorCode.INVALID_REQUEST, why);
    }

}
