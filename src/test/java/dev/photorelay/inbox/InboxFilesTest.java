package dev.photorelay.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.PhotoDeliveryException;

/** A folder swapped for a link after the inbox walk passed it: the photo is refused, not sent from elsewhere. */
class InboxFilesTest {

    @TempDir
    Path inbox;
    @TempDir
    Path outside;

    @Test
    void aPhotoInPlainFoldersPasses() throws IOException {
        Path photo = Files.createDirectories(inbox.resolve("telegram/42")).resolve("cat.jpg");
        Files.write(photo, new byte[] { 1 });

        assertThatCode(() -> InboxFiles.requireRegularFile(photo)).doesNotThrowAnyException();
        assertThatCode(() -> InboxFiles.requireNoLinkedFolders(inbox, new String[] { "telegram", "42", "cat.jpg" }))
                .doesNotThrowAnyException();
    }

    @Test
    void aPhotoThatIsALinkIsRefused() throws IOException {
        Path photo = Files.createDirectories(inbox.resolve("telegram/42")).resolve("cat.jpg");
        Files.createSymbolicLink(photo, Files.write(outside.resolve("secret.jpg"), new byte[] { 1 }));

        PhotoDeliveryException refused = catchThrowableOfType(() -> InboxFiles.requireRegularFile(photo),
                PhotoDeliveryException.class);

        assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(refused.getMessage()).contains("symbolic link");
    }

    @Test
    void aFifoIsRefusedAsNotARegularFileWithoutBeingOpened() throws Exception {
        Path fifo = Files.createDirectories(inbox.resolve("telegram/42")).resolve("x.jpg");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

        // opening a FIFO with no writer would block this test for good
        PhotoDeliveryException refused = catchThrowableOfType(() -> InboxFiles.requireRegularFile(fifo),
                PhotoDeliveryException.class);

        assertThat(refused.code()).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA);
        assertThat(refused.getMessage()).contains("FIFO", "not a regular file");
    }

    @Test
    void aRecipientFolderThatIsALinkIsRefused() throws IOException {
        Files.write(outside.resolve("cat.jpg"), new byte[] { 1 });
        Files.createSymbolicLink(Files.createDirectories(inbox.resolve("telegram")).resolve("42"), outside);

        PhotoDeliveryException refused = refusal("telegram", "42", "cat.jpg");

        assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(refused.getMessage()).contains("linked folder");
    }

    @Test
    void anAliasFolderThatIsALinkIsRefused() throws IOException {
        Files.write(outside.resolve("cat.jpg"), new byte[] { 1 });
        Files.createSymbolicLink(inbox.resolve("family"), outside);

        PhotoDeliveryException refused = refusal("family", "cat.jpg");

        assertThat(refused.getMessage()).contains("linked folder");
    }

    private PhotoDeliveryException refusal(String... parts) {
        return catchThrowableOfType(() -> InboxFiles.requireNoLinkedFolders(inbox, parts), PhotoDeliveryException.class);
    }

    @Test
    void anAlbumsPhotosAreOrderedByTheirNamesBytesAsLsOrdersThemInTheCLocale() throws IOException {
        Path album = Files.createDirectories(inbox.resolve("telegram/42/album"));
        for (String name : new String[] { "\uD83D\uDE00.jpg", "\uFB00.jpg", "\uFF21.jpg", "b.jpg", "B.jpg", "10.jpg", "2.jpg" }) {
            Files.write(album.resolve(name), new byte[] { 1 });
        }

        assertThat(InboxFiles.listSorted(album)).extracting(p -> p.getFileName().toString())
                .containsExactly("10.jpg", "2.jpg", "B.jpg", "b.jpg", "\uFB00.jpg", "\uFF21.jpg", "\uD83D\uDE00.jpg");
    }
}
