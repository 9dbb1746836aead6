package dev.photorelay.api;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.photorelay.HostFault;
import dev.photorelay.delivery.DeliveryResult;
import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.Outcome;
import dev.photorelay.delivery.PhotoDeliveryException;
import dev.photorelay.operations.DiskWatch;
import dev.photorelay.platforms.ErrorClassifier;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Every API failure as {@code application/problem+json} (RFC 9457) with our error code: bad fields 400, unknown
 * destination 422, too large 413, a platform's refusal 502, a platform not configured 503, a missing token 401.
 */
@Singleton
@Named("apiProblems")
@RegisterForReflection
public class ApiProblems {

    static final String PROBLEM_JSON = "application/problem+json";
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private final ObjectMapper json;
    private final ErrorClassifier errors;
    private final DiskWatch disk;

    public ApiProblems(ObjectMapper json, ErrorClassifier errors, DiskWatch disk) {
        this.json = json;
        this.errors = errors;
        this.disk = disk;
    }

    /** The onException step of the API routes. */
    public void answer(Exchange exchange) throws JsonProcessingException {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Map<String, Object> problem;
        if (caught instanceof ApiProblem refused) {
            problem = problem(refused.status(), refused.code(), refused.getMessage());
        } else {
            HostFault fault = ErrorClassifier.find(caught, HostFault.class);
            if (fault != null) {
                disk.report(fault);
            }
            ErrorCode code = ErrorClassifier.classify(caught);
            DeliveryResult result = caught instanceof PhotoDeliveryException failure ? failure.result() : null;
            problem = problem(status(code, result), code.name(), errors.reason(caught));
            if (result != null) {
                problem.put("recipients", result.outcomes());
            }
        }
        boolean hostFault = ErrorCode.INTERNAL_ERROR.name().equals(problem.get("code")) && disk.faulty();
        if (hostFault) {
            // the relay's own disk failed: the same request can succeed once it is fine
            problem.put("status", 503);
        }
        reply(exchange.getMessage(), (Integer) problem.get("status"), PROBLEM_JSON, json.writeValueAsString(problem));
        if (hostFault) {
            exchange.getMessage().setHeader("Retry-After", String.valueOf(disk.retryAfterSeconds()));
        }
    }

    /**
     * A problem as the JSON text of an answer, for refusals made outside a route ({@link ApiGate}).
     *
     * @param  status the HTTP status
     * @param  code   our error code
     * @param  detail what was wrong, in our words
     * @return        the {@code application/problem+json} body
     */
    static String problemJson(int status, String code, String detail) {
        try {
            return PLAIN.writeValueAsString(problem(status, code, detail));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and a number is always JSON", e);
        }
    }

    /** The reply, with none of the request's headers echoed back. */
    static void reply(Message message, int status, String contentType, String body) {
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
        message.setBody(body);
    }

    /** A platform's refusal (it answered, or could not be reached) is a bad gateway; else the code says. */
    static int status(ErrorCode code, DeliveryResult result) {
        Outcome failed = result == null ? null : result.firstFailure().orElse(null);
        if (failed != null && (failed.httpStatus() != null || code.isTransient())) {
            return 502;
        }
        return switch (code) {
            case INVALID_REQUEST, UNSUPPORTED_MEDIA -> 400;
            case UNKNOWN_DESTINATION -> 422;
            case PAYLOAD_TOO_LARGE -> 413;
            case NOT_CONFIGURED -> 503;
            case INTERNAL_ERROR -> 500;
            default -> 502;
        };
    }

    private static Map<String, Object> problem(int status, String code, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", code);
        problem.put("status", status);
        problem.put("code", code);
        problem.put("detail", detail);
        return problem;
    }
}
