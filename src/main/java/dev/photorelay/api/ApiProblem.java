package dev.photorelay.api;

/** A request the API refuses before the photo is looked at: its HTTP status and code. */
public class ApiProblem extends Exception {

    private final int status;
    private final String code;

    public ApiProblem(int status, String code, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
