package dev.photorelay.bench;

/**
 * One platform call as the fake platform saw it: which photo for whom, when its request had been read (on this
 * JVM's {@link System#nanoTime()}, the clock the dropper uses too), and the bytes that came with it.
 *
 * @param requestBytes the request body
 * @param fetchedBytes what the fake fetched from the URL it was given (Sonoran's media URL), else 0
 */
record Receipt(int photoId, String platform, String recipient, long receivedAt, long requestBytes, long fetchedBytes) {

    /** Who got it, as {@code platform:recipient}. */
    String destination() {
        return platform + ":" + recipient;
    }
}
