package dev.photorelay.platforms;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.jboss.logging.Logger;

import dev.photorelay.Folders;
import dev.photorelay.HostFault;
import dev.photorelay.Printable;
import dev.photorelay.RelayConfig;
import dev.photorelay.RelayConfig.Oversize;
import dev.photorelay.RelayConfig.StripMetadata;
import dev.photorelay.delivery.Adaptation;
import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.PhotoDeliveryException;
import dev.photorelay.delivery.PhotoRequest;
import dev.photorelay.delivery.PreparedAlbum;
import dev.photorelay.delivery.PreparedPhoto;
import dev.photorelay.delivery.Recipient;
import dev.photorelay.delivery.SendOptions;
import dev.photorelay.delivery.Target;
import dev.photorelay.media.FileState;
import dev.photorelay.media.FittedPhoto;
import dev.photorelay.media.ImageInfo;
import dev.photorelay.media.MediaType;
import dev.photorelay.media.MetadataRemoval;
import dev.photorelay.media.Photo;
import dev.photorelay.media.PhotoFitter;
import dev.photorelay.media.PhotoLimits;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A step of {@code direct:send-photo} before the fan-out: makes the photo each platform of its recipients gets, once
 * per photo and platform (see {@link PreparedPhoto}; each photo of an album alike):
 * <ul>
 * <li>a photo within the platform's {@link PhotoLimits} goes as it is, without the metadata
 * {@code relay.media.strip-metadata} removes (byte for byte as it is if it has none);</li>
 * <li>over the limits, {@code relay.<target>.oversize} decides: {@code fit} re-encodes it as a JPEG that fits
 * ({@link PhotoFitter}), or, for a photo too narrow for Telegram's aspect ratio, sends it as a document;
 * {@code document} sends the original as a document (Telegram); {@code fail} refuses it;</li>
 * <li>the option {@code asDocument} sends the original as a document to Telegram, whatever its size.</li>
 * </ul>
 * A platform that cannot get the photo fails its recipients with the reason; the others still get theirs. Files made
 * here are kept until the photo's exchange completes (retries and the media host use them), then deleted; those left
 * by a crash are deleted at start.
 */
@Singleton
@Named("photoPreparation")
@RegisterForReflection
public class PhotoPreparation {

    private static final Logger LOG = Logger.getLogger(PhotoPreparation.class);

    private final Map<Target, PlatformApi> platforms = new EnumMap<>(Target.class);
    private final Map<Target, Oversize> oversize = new EnumMap<>(Target.class);
    private final StripMetadata strip;
    private final PhotoFitter fitter;
    private final Path work;

    public PhotoPreparation(RelayConfig config, TelegramApi telegram, ZapiApi zapi, SonoranApi sonoran,
            PhotoFitter fitter) {
        platforms.put(Target.TELEGRAM, telegram);
        platforms.put(Target.ZAPI, zapi);
        platforms.put(Target.SONORAN, sonoran);
        oversize.put(Target.TELEGRAM, config.telegram().oversize());
        oversize.put(Target.ZAPI, config.zapi().oversize());
        oversize.put(Target.SONORAN, config.sonoran().oversize());
        this.strip = config.media().stripMetadata();
        this.fitter = fitter;
        this.work = Path.of(config.inbox().dir(), ".prepared");
    }

    /** Files of photos being sent when the relay stopped: nothing uses them any more. */
    void deleteLeftovers(@Observes StartupEvent started) {
        if (!Files.isDirectory(work)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(work)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warnf("Could not clear %s: %s", work, e.getMessage());
        }
    }

    /**
     * Sets the request's photos as each of its platforms gets them, cut into that platform's calls
     * ({@link PreparedAlbum}); a link (URL, file_id) is left to the platform. A photo of an album that a platform
     * cannot get refuses the album for that platform's recipients, its name in the reason.
     *
     * @throws IOException          a file of the relay's own cannot be written
     * @throws InterruptedException interrupted while waiting to fit
     */
    public void prepare(Exchange exchange) throws IOException, InterruptedException {
        PhotoRequest request = exchange.getProperty(PhotoRequest.PROPERTY, PhotoRequest.class);
        List<Target> targets = request.recipients().stream().map(Recipient::target).distinct().toList();
        Map<Target, List<PreparedPhoto>> prepared = new EnumMap<>(Target.class);
        targets.forEach(target -> prepared.put(target, new ArrayList<>()));
        for (Photo photo : request.photos()) {
            Preparing preparing = photo instanceof Photo.Content content
                    ? new Preparing(exchange, content, request.options())
                    : null;
            for (Target target : targets) {
                PhotoDeliveryException refused = platforms.get(target).refusal(photo);
                prepared.get(target).add(refused != null ? PreparedPhoto.refused(named(refused, photo, request.album()))
                        : preparing == null ? PreparedPhoto.asIs(photo)
                        : preparedFor(preparing, target, request.album()));
            }
        }
        Map<Target, PreparedAlbum> albums = new EnumMap<>(Target.class);
        prepared.forEach((target, photos) -> albums.put(target,
                PreparedAlbum.of(photos, platforms.get(target).maxPhotosPerCall())));
        exchange.setProperty(PhotoRequest.PROPERTY, request.withPrepared(albums));
    }

    /** An album's refusal names the photo it is about. */
    private static PhotoDeliveryException named(PhotoDeliveryException refused, Photo photo, boolean album) {
        return album ? new PhotoDeliveryException(refused.code(),
                "photo " + Printable.of(PhotoRequest.nameOf(photo)) + ": " + refused.reason()) : refused;
    }

    private PreparedPhoto preparedFor(Preparing preparing, Target target, boolean album)
            throws IOException, InterruptedException {
        try {
            return preparing.forPlatform(target);
        } catch (PhotoDeliveryException refused) {
            return PreparedPhoto.refused(named(refused, preparing.photo, album));
        } catch (RuntimeException | OutOfMemoryError broken) {
            // a decoder's bug or an image too big for the heap: this platform's recipients fail, not the others'
            LOG.errorf("Preparing a photo for %s failed: %s", target.id(), broken);
            return PreparedPhoto.refused(new PhotoDeliveryException(ErrorCode.INTERNAL_ERROR, "the photo "
                    + (album ? Printable.of(preparing.photo.fileName()) + " " : "") + "could not be prepared for "
                    + target.id() + ": " + broken.getClass().getSimpleName()));
        }
    }

    /** One photo being prepared: its copy without metadata is made once, for every platform that needs it. */
    private final class Preparing {
        private final Exchange exchange;
        private final Photo.Content photo;
        private final SendOptions options;
        private final List<Path> made = new ArrayList<>();
        private Photo.Content withoutMetadata;

        Preparing(Exchange exchange, Photo.Content photo, SendOptions options) {
            this.exchange = exchange;
            this.photo = photo;
            this.options = options;
        }

        PreparedPhoto forPlatform(Target target) throws PhotoDeliveryException, IOException, InterruptedException {
            PhotoLimits limits = platforms.get(target).limits();
            ImageInfo image = photo.image();
            boolean document = Boolean.TRUE.equals(options.asDocument()) && limits.takesDocuments();
            if (!document && !limits.fits(image, photo.size())) {
                switch (oversize.get(target)) {
                    case FAIL -> throw tooBig(target, limits);
                    case DOCUMENT -> document = limits.takesDocuments();
                    case FIT -> {
                        if (!limits.tooNarrow(image)) {
                            return fitted(limits);
                        }
                        document = limits.takesDocuments();
                    }
                }
                if (!document) {
                    throw tooBig(target, limits);
                }
            }
            if (document && photo.size() > limits.maxDocumentBytes()) {
                throw new PhotoDeliveryException(ErrorCode.PAYLOAD_TOO_LARGE, target + " takes documents of at most "
                        + limits.maxDocumentBytes() / (1024 * 1024) + " MB; this one has " + photo.size() + " bytes");
            }
            return new PreparedPhoto(withoutMetadata(), document, null, null);
        }

        private PreparedPhoto fitted(PhotoLimits limits) throws PhotoDeliveryException, IOException, InterruptedException {
            Path out = newFile(".jpg");
            FittedPhoto fitted;
            try {
                fitted = fitter.fit(photo, limits, out);
            } catch (PhotoDeliveryException refused) {
                throw refused;
            } catch (IOException e) {
                // the photo was read and decoded by now, or its decoding failed as UNSUPPORTED_MEDIA: what is left is
                // writing the JPEG into the relay's own folder
                throw new HostFault(work, e);
            }
            Photo.Content sent = new Photo.Content(baseName(photo.fileName()) + ".jpg",
                    new ImageInfo(MediaType.JPEG, fitted.width(), fitted.height()), fitted.size(), fitted.file(),
                    FileState.of(fitted.file()), null);
            Adaptation adapted = new Adaptation(
                    Adaptation.describe(photo.image().width(), photo.image().height(), photo.size()),
                    Adaptation.describe(fitted.width(), fitted.height(), fitted.size()), Adaptation.FIT);
            return new PreparedPhoto(sent, false, adapted, null);
        }

        private Photo.Content withoutMetadata() throws PhotoDeliveryException, IOException {
            if (withoutMetadata == null) {
                if (!MetadataRemoval.mayHold(photo, strip)) {
                    withoutMetadata = photo;
                    return photo;
                }
                Path file = newFile("." + photo.type().extension());
                boolean stripped;
                try {
                    stripped = MetadataRemoval.strip(photo, strip, file);
                } catch (PhotoDeliveryException refused) {
                    throw refused;
                } catch (IOException e) {
                    throw new HostFault(work, e);
                }
                if (stripped) {
                    FileState written = FileState.of(file);
                    withoutMetadata = new Photo.Content(photo.fileName(), photo.image(), written.size(), file, written,
                            null);
                } else {
                    withoutMetadata = photo;
                }
            }
            return withoutMetadata;
        }

        /** Why {@code oversize=fail} (or a platform without documents) refuses it, in the platform's terms. */
        private PhotoDeliveryException tooBig(Target target, PhotoLimits limits) {
            ImageInfo image = photo.image();
            if (limits.tooLarge(photo.size())) {
                return new PhotoDeliveryException(ErrorCode.PAYLOAD_TOO_LARGE, target + " takes photos of at most "
                        + limits.maxBytes() / (1024 * 1024) + " MB; this one has " + photo.size() + " bytes");
            }
            String size = "; this photo is " + image.width() + "x" + image.height();
            return new PhotoDeliveryException(ErrorCode.INVALID_REQUEST, limits.tooManyPixels(image)
                    ? target + " needs width + height <= " + limits.maxWidthPlusHeight() + size
                    : target + " needs an aspect ratio of at most " + limits.maxAspectRatio() + ":1" + size);
        }

        private Path newFile(String suffix) throws IOException {
            if (made.isEmpty()) {
                exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                    @Override
                    public void onDone(Exchange done) {
                        made.forEach(PhotoPreparation::delete);
                    }
                });
            }
            HostFault.writing(work, () -> {
                Folders.ensure(work);
                return null;
            });
            Path file = work.resolve(UUID.randomUUID() + suffix);
            made.add(file);
            return file;
        }
    }

    private static String baseName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("Could not delete %s: %s", file, e.getMessage());
        }
    }
}
