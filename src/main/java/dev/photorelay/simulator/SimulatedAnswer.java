package dev.photorelay.simulator;

/** What a simulated platform answers: the status, and a body of the platform's own kind (JSON or plain text). */
public record SimulatedAnswer(int status, String contentType, String body) {

    static SimulatedAnswer json(int status, String body) {
        return new SimulatedAnswer(status, "application/json", body);
    }

    static SimulatedAnswer text(int status, String body) {
        return new SimulatedAnswer(status, "text/plain; charset=UTF-8", body);
    }

    public boolean accepted() {
        return status == 200;
    }
}
