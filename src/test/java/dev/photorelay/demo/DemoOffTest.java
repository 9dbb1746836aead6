package dev.photorelay.demo;

import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Outside the demo profile the simulator and its page are not there at all. */
@QuarkusTest
class DemoOffTest {

    @Test
    void theDemoPathsDoNotExistOutsideTheDemoProfile() {
        given().get("/demo").then().statusCode(404);
        given().get("/demo/received").then().statusCode(404);
        given().contentType("application/json").body("{}").post("/demo/platforms/general/send_photo")
                .then().statusCode(404);
        given().contentType("application/octet-stream").body(new byte[] { 1 }).post("/demo/send-to-bot?chat=1")
                .then().statusCode(404);
    }
}
