package dev.photorelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhotoRequestsTest {

    @Test
    void aCallersFileNameIsMadeSafeForAMultipartHeader() {
        assertThat(PhotoRequests.safeName("C:\\Users\\ana\\receipt \"May\".jpg")).isEqualTo("receipt _May_.jpg");
        assertThat(PhotoRequests.safeName("../../etc/passwd.jpg")).isEqualTo("passwd.jpg");
        assertThat(PhotoRequests.safeName("x\r\nContent-Type: a.jpg")).isEqualTo("x__Content-Type: a.jpg");
        assertThat(PhotoRequests.safeName("..")).isEqualTo("photo");
        assertThat(PhotoRequests.safeName("a".repeat(300) + ".jpg")).hasSize(255).endsWith(".jpg");
    }
}
