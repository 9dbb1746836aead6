package dev.photorelay.delivery;

import java.util.ArrayList;
import java.util.List;

/**
 * A request's photos as one platform gets them ({@link PreparedPhoto}, in order), cut into the calls that carry them:
 * consecutive photos, at most {@code maxPerCall} in one call, and photos and documents never in the same call
 * (Telegram's {@code sendMediaGroup} refuses a group that mixes them). A single photo is an album of one, in one call.
 */
public record PreparedAlbum(List<PreparedPhoto> photos, List<Call> calls) {

    /** The photos {@code from} (inclusive) to {@code to} (exclusive) of the album, in one platform call. */
    public record Call(int from, int to) {
        public int size() {
            return to - from;
        }
    }

    /**
     * @param photos     the album's photos as prepared for the platform, in order; a refused one is kept, and refuses
     *                   the album when it is sent ({@link #require})
     * @param maxPerCall how many photos the platform takes in one call (Telegram 10, Sonoran any, Z-API 1)
     */
    public static PreparedAlbum of(List<PreparedPhoto> photos, int maxPerCall) {
        List<Call> calls = new ArrayList<>();
        int from = 0;
        for (int i = 1; i <= photos.size(); i++) {
            if (i == photos.size() || i - from == maxPerCall
                    || photos.get(i).asDocument() != photos.get(from).asDocument()) {
                calls.add(new Call(from, i));
                from = i;
            }
        }
        return new PreparedAlbum(List.copyOf(photos), List.copyOf(calls));
    }

    /**
     * Refuses the album for this platform if any of its photos cannot go (the reason names that photo).
     *
     * @throws PhotoDeliveryException the first photo's refusal
     */
    public void require() throws PhotoDeliveryException {
        for (PreparedPhoto photo : photos) {
            photo.require();
        }
    }

    /** The photos one call carries. */
    public List<PreparedPhoto> photosOf(Call call) {
        return photos.subList(call.from(), call.to());
    }
}
