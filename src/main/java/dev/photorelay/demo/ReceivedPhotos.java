package dev.photorelay.demo;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.simulator.Received;

/**
 * What the simulated platforms received, newest first, for the demo page: the last {@value #KEPT} photos, with
 * their bytes while they add up to at most {@value #PHOTO_BYTES_KEPT} bytes (older ones keep only their details).
 * The photos of an album to one recipient show as one entry.
 */
final class ReceivedPhotos {

    static final int KEPT = 100;
    static final long PHOTO_BYTES_KEPT = 64L * 1024 * 1024;
    private static final int ANSWER_SHOWN = 300;

    /**
     * One entry: what came in (without its bytes, which only {@link #photos} holds, so that dropping them there frees
     * them), under the number the page asks its photo by.
     */
    private record Entry(long number, Received received, ErrorCode code, int photoLength) {
    }

    /** What the photos of one entry share: an album, and the recipient (a Sonoran album may name several). */
    private record AlbumTo(String album, String recipient) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>();
    /** The photos still kept, oldest first, by entry number. */
    private final Map<Long, byte[]> photos = new LinkedHashMap<>();
    private final Function<Received, ErrorCode> refusalCode;
    private long numbers;
    private long photoBytes;

    /** {@code refusalCode} is the relay's error code for a refusal, the one its record would carry. */
    ReceivedPhotos(Function<Received, ErrorCode> refusalCode) {
        this.refusalCode = refusalCode;
    }

    synchronized void add(Received received) {
        ErrorCode code = received.answer().accepted() ? null : refusalCode.apply(received);
        Entry entry = new Entry(++numbers, withPhoto(received, null), code,
                received.photo() == null ? 0 : received.photo().length);
        entries.addFirst(entry);
        if (received.photo() != null) {
            photos.put(entry.number(), received.photo());
            photoBytes += received.photo().length;
        }
        while (entries.size() > KEPT) {
            forgetPhoto(entries.removeLast().number());
        }
        for (Iterator<Long> oldest = photos.keySet().iterator(); photoBytes > PHOTO_BYTES_KEPT && oldest.hasNext();) {
            photoBytes -= photos.get(oldest.next()).length;
            oldest.remove();
        }
    }

    private void forgetPhoto(long number) {
        byte[] photo = photos.remove(number);
        photoBytes -= photo == null ? 0 : photo.length;
    }

    /** The photo numbered {@code number} with its media type, while it is kept. */
    synchronized Optional<Received> photo(long number) {
        byte[] photo = photos.get(number);
        if (photo == null) {
            return Optional.empty();
        }
        return entries.stream().filter(e -> e.number() == number).findFirst()
                .map(entry -> withPhoto(entry.received(), photo));
    }

    private static Received withPhoto(Received r, byte[] photo) {
        return new Received(r.at(), r.platform(), r.recipient(), r.caption(), r.album(), r.albumIndex(), r.mediaType(),
                photo, r.imageUrl(), r.requestBytes(), r.fetchedBytes(), r.answer(), r.receivedAt());
    }

    /**
     * The entries, newest first: one per photo sent alone and one per album and recipient, at its newest photo.
     * Each has {@code number} (its newest photo's: the page takes entries with a higher number as new), {@code at},
     * {@code platform}, {@code recipient}, {@code caption} (an album's first photo's, the one Telegram shows),
     * {@code album} ({@code null} for a photo sent alone), {@code status}, {@code accepted}, for a refusal
     * {@code code} and {@code answer}, and {@code photos} in the album's order, each with {@code photo} (its URL
     * here while its bytes are kept), {@code imageUrl}, {@code bytes} and {@code mediaType}.
     */
    ArrayNode toJson(ObjectMapper json) {
        List<Entry> snapshot;
        Set<Long> kept;
        synchronized (this) {
            snapshot = List.copyOf(entries);
            kept = Set.copyOf(photos.keySet());
        }
        // a photo sent alone is its own entry, by its number
        Map<Object, List<Entry>> shown = new LinkedHashMap<>();
        for (Entry entry : snapshot) {
            Received received = entry.received();
            shown.computeIfAbsent(received.album() == null ? entry.number()
                    : new AlbumTo(received.album(), received.recipient()), key -> new ArrayList<>()).add(entry);
        }
        ArrayNode list = json.createArrayNode();
        for (List<Entry> album : shown.values()) {
            long number = album.get(0).number(); // the newest: the snapshot is newest first
            album.sort(Comparator.comparingInt(entry -> entry.received().albumIndex()));
            Entry first = album.get(0);
            Received received = first.received();
            ObjectNode item = list.addObject()
                    .put("number", number)
                    .put("at", received.at().toString())
                    .put("platform", received.platform())
                    .put("recipient", received.recipient())
                    .put("caption", received.caption())
                    .put("album", received.album())
                    .put("status", received.answer().status())
                    .put("accepted", received.answer().accepted());
            if (first.code() != null) {
                String answer = received.answer().body();
                item.put("code", first.code().name())
                        .put("answer", answer.length() > ANSWER_SHOWN ? answer.substring(0, ANSWER_SHOWN) + "..." : answer);
            }
            ArrayNode photosShown = item.putArray("photos");
            for (Entry photo : album) {
                String url = "/demo/received/" + photo.number() + "/photo";
                photosShown.addObject()
                        .put("photo", kept.contains(photo.number()) ? url : null)
                        .put("imageUrl", photo.received().imageUrl())
                        .put("bytes", photo.photoLength())
                        .put("mediaType", photo.received().mediaType());
            }
        }
        return list;
    }
}
