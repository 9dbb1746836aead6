package dev.photorelay.operations;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Probes for a supervisor: live while Camel runs, ready with a writable inbox and no half-configured platform. */
@QuarkusTest
class HealthTest {

    private static final String RELAY_CHECK = "checks.find { it.name == 'photo-relay' }";

    @Test
    void readyListsTheInboxAndEachPlatformWithoutCallingThem() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", is("UP"))
                .body(RELAY_CHECK + ".data.inbox", is("writable"))
                .body(RELAY_CHECK + ".data.telegram", is("configured"))
                .body(RELAY_CHECK + ".data.zapi", is("configured"))
                .body(RELAY_CHECK + ".data.sonoran", is("configured"));
    }

    @Test
    void liveWhileCamelRunsTheRoutes() {
        given().get("/q/health/live").then().statusCode(200)
                .body("status", is("UP"))
                .body(RELAY_CHECK + ".data.camel", is("Started"))
                .body(RELAY_CHECK + ".data.inbox", is("polling"));
    }
}
