package dev.photorelay.delivery;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;

/**
 * How far one recipient's delivery of a request has got: which of its platform calls ({@link PreparedAlbum.Call}) is
 * next, and the photos that already reached the recipient with their message ids. A single photo is one call; an
 * album's calls go in order, each retried on its own, so that a retry sends only what did not go. Shared by the
 * attempts of one delivery, like {@link Adjustments}, and used by one of them at a time.
 */
public final class AlbumDelivery {

    /** Exchange property holding a delivery's progress. */
    public static final String PROPERTY = "photoAlbumDelivery";

    private final PhotoRequest request;
    private final PreparedAlbum album;
    private final List<AlbumPhoto> reached = new ArrayList<>();
    private int call;
    /** The first call this run makes: later than 0 when the journal said earlier calls went through. */
    private int firstCall;
    private int attemptsBeforeCall;
    private int journaled;
    /** The outcome of the last call that went through. */
    private Outcome lastDelivered;

    AlbumDelivery(PhotoRequest request, PreparedAlbum album) {
        this.request = request;
        this.album = album;
    }

    public static AlbumDelivery of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, AlbumDelivery.class);
    }

    /** The call to make now. */
    public PreparedAlbum.Call call() {
        return album.calls().get(call);
    }

    /** Whether the call to make now carries the album's first photo (the one with the caption). */
    public boolean firstCall() {
        return call().from() == 0;
    }

    /** Platform calls made for the call being made now, from the delivery's attempts so far. */
    int attemptsOfCall(int attempts) {
        return attempts - attemptsBeforeCall;
    }

    /**
     * The call went through: its photos reached the recipient.
     *
     * @param  outcome  the call's outcome: its message id, or one per photo ({@link Outcome#photos()})
     * @param  attempts platform calls made so far in this delivery
     * @return          whether more calls are to be made
     */
    boolean delivered(Outcome outcome, int attempts) {
        PreparedAlbum.Call done = call();
        List<PreparedPhoto> photos = album.photosOf(done);
        for (int i = 0; i < photos.size(); i++) {
            String messageId = outcome.photos() != null
                    ? (i < outcome.photos().size() ? outcome.photos().get(i).messageId() : null)
                    : (i == 0 ? outcome.messageId() : null);
            PreparedPhoto photo = photos.get(i);
            reached.add(new AlbumPhoto(PhotoRequest.nameOf(request.photos().get(done.from() + i)), messageId,
                    photo.adapted(), photo.asDocument() ? Outcome.SENT_AS_DOCUMENT : null));
        }
        attemptsBeforeCall = attempts;
        lastDelivered = outcome;
        if (call + 1 < album.calls().size()) {
            call++;
            return true;
        }
        return false;
    }

    /**
     * Goes on after photos an earlier run delivered (the journal's record of them): the calls that carried them are
     * not made again.
     *
     * @param  earlier the photos that reached the recipient before, in order
     * @return         whether any call is left to make
     */
    boolean resumeAfter(List<AlbumPhoto> earlier) {
        reached.clear();
        reached.addAll(earlier);
        journaled = earlier.size();
        call = 0;
        while (call < album.calls().size() && album.calls().get(call).to() <= earlier.size()) {
            call++;
        }
        firstCall = call;
        // a call that was cut short (the journal named only some of its photos) is made whole again
        if (call < album.calls().size()) {
            reached.subList(album.calls().get(call).from(), reached.size()).clear();
            journaled = reached.size();
        }
        return call < album.calls().size();
    }

    /**
     * The calls this delivery made at least once (each attempt after the first of a call is a retry).
     *
     * @param attempts platform calls made in all
     */
    public int callsMade(int attempts) {
        return attempts == 0 ? 0 : call - firstCall + 1;
    }

    /** The request's photo count: an outcome naming fewer photos than this is an album cut short. */
    int size() {
        return album.photos().size();
    }

    /** Whether the request is an album, whose outcomes list its photos. */
    boolean isAlbum() {
        return request.album();
    }

    /**
     * An album's photos that reached the recipient and are not in the journal yet, as an outcome to journal (sent, and
     * naming fewer photos than the album holds); else null.
     */
    Outcome unjournaled() {
        if (!request.album() || lastDelivered == null || reached.size() == journaled) {
            return null;
        }
        journaled = reached.size();
        return lastDelivered.withPhotos(reached);
    }

    /** The delivery's outcome, with the album's photos that reached the recipient (nothing added for one photo). */
    Outcome applyTo(Outcome outcome) {
        return request.album() ? outcome.withPhotos(reached) : outcome;
    }
}
