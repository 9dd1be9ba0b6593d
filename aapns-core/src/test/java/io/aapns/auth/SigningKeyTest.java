package io.aapns.auth;

import static io.aapns.auth.TestKeys.KEY_ID;
import static io.aapns.auth.TestKeys.TEAM_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyTest {

    private final KeyPair pair = TestKeys.ec("secp256r1");
    private final String pem = TestKeys.pkcs8Pem(pair.getPrivate());

    @Test
    void readsAP8FromItsText() {
        SigningKey key = SigningKey.fromP8(pem, KEY_ID, TEAM_ID);

        assertThat(key.privateKey().getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
        assertThat(key.keyId()).isEqualTo(KEY_ID);
        assertThat(key.teamId()).isEqualTo(TEAM_ID);
    }

    @Test
    void readsAP8FromAFileAndAStream(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("AuthKey_" + KEY_ID + ".p8");
        Files.writeString(file, pem);

        assertThat(SigningKey.fromP8(file, KEY_ID, TEAM_ID).privateKey().getEncoded())
                .isEqualTo(pair.getPrivate().getEncoded());
        assertThat(SigningKey.fromP8(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)), KEY_ID, TEAM_ID)
                        .privateKey()
                        .getEncoded())
                .isEqualTo(pair.getPrivate().getEncoded());
    }

    @Test
    void toleratesCrlfAndSurroundingText() {
        String windows = "Key from Apple\r\n" + pem.replace("\n", "\r\n") + "\r\n";

        assertThat(SigningKey.fromP8(windows, KEY_ID, TEAM_ID).privateKey().getEncoded())
                .isEqualTo(pair.getPrivate().getEncoded());
    }

    @Test
    void theDecodedKeyBytesAreClearedOnceTheKeyIsMade() {
        byte[] der = pair.getPrivate().getEncoded();

        assertThat(SigningKey.decode(der, "the key text").getEncoded())
                .isEqualTo(pair.getPrivate().getEncoded());
        assertThat(der).containsOnly((byte) 0);
    }

    @Test
    void theDecodedKeyBytesAreClearedWhenTheyAreNotAnEcKey() {
        byte[] der = TestKeys.rsa().getPrivate().getEncoded();
        byte[] garbage = {0x30, 0x03, 0x02, 0x01, 0x07};

        assertThatThrownBy(() -> SigningKey.decode(der, "the key text"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RSA key");
        assertThatThrownBy(() -> SigningKey.decode(garbage, "the key text"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid PKCS#8");
        assertThat(der).containsOnly((byte) 0);
        assertThat(garbage).containsOnly((byte) 0);
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.p8");

        assertThatThrownBy(() -> SigningKey.fromP8(missing, KEY_ID, TEAM_ID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void anRsaKeyIsRejectedClearly() {
        String rsa = TestKeys.pkcs8Pem(TestKeys.rsa().getPrivate());

        assertThatThrownBy(() -> SigningKey.fromP8(rsa, KEY_ID, TEAM_ID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RSA key, not an EC key");
    }

    @Test
    void anEcKeyOnAnotherCurveIsRejected() {
        String p384 = TestKeys.pkcs8Pem(TestKeys.ec("secp384r1").getPrivate());

        assertThatThrownBy(() -> SigningKey.fromP8(p384, KEY_ID, TEAM_ID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("384-bit")
                .hasMessageContaining("not P-256");
    }

    @Test
    void textThatIsNotPemIsRejected() {
        assertThatThrownBy(() -> SigningKey.fromP8("hello", KEY_ID, TEAM_ID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not PEM");
    }

    @Test
    void aBinaryFileIsNotPem(@TempDir Path dir) throws Exception {
        Path der = dir.resolve("key.der");
        Files.write(der, pair.getPrivate().getEncoded());

        assertThatThrownBy(() -> SigningKey.fromP8(der, KEY_ID, TEAM_ID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(der.toString())
                .hasMessageContaining("not PEM");
    }

    @Test
    void otherPemContentIsNamed() {
        String cert = TestKeys.pem("CERTIFICATE", new byte[] {1, 2, 3});
        String sec1 = TestKeys.pem("EC PRIVATE KEY", new byte[] {1, 2, 3});
        String encrypted = TestKeys.pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3});
        String garbage = TestKeys.pem("PRIVATE KEY", new byte[] {1, 2, 3});

        assertThatThrownBy(() -> SigningKey.fromP8(cert, KEY_ID, TEAM_ID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CERTIFICATE");
        assertThatThrownBy(() -> SigningKey.fromP8(sec1, KEY_ID, TEAM_ID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("openssl pkcs8 -topk8");
        assertThatThrownBy(() -> SigningKey.fromP8(encrypted, KEY_ID, TEAM_ID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("encrypted");
        assertThatThrownBy(() -> SigningKey.fromP8(garbage, KEY_ID, TEAM_ID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid PKCS#8");
    }

    @Test
    void keyIdAndTeamIdMustBeTenLettersAndDigits() {
        assertThatThrownBy(() -> SigningKey.fromP8(pem, "ABC123DEF", TEAM_ID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key id")
                .hasMessageContaining("'ABC123DEF'");
        assertThatThrownBy(() -> SigningKey.fromP8(pem, KEY_ID, "TEAM1234567"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("team id");
        assertThatThrownBy(() -> SigningKey.fromP8(pem, "ABC123DE-G", TEAM_ID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key id");
        assertThatThrownBy(() -> SigningKey.fromP8(pem, KEY_ID, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("team id");
    }

    @Test
    void wrapsAKeyFromElsewhereButOnlyP256() {
        assertThat(SigningKey.of(pair.getPrivate(), KEY_ID, TEAM_ID).keyId()).isEqualTo(KEY_ID);
        assertThatThrownBy(() -> SigningKey.of(TestKeys.rsa().getPrivate(), KEY_ID, TEAM_ID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an EC key");
    }

    @Test
    void toStringShowsIdsButNotTheKey() {
        SigningKey key = SigningKey.fromP8(pem, KEY_ID, TEAM_ID);

        assertThat(key.toString()).isEqualTo("SigningKey{keyId=ABC123DEFG, teamId=TEAM123456}");
    }
}
