package dev.integrations.s3.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrations.s3.storage.minio.MadminCrypto.Algorithm;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * {@link MadminCrypto} against the reference implementations: sio-go's own test vectors for the
 * stream, madmin-go's test vectors for the Argon2id variant, and ciphertexts that madmin-go
 * v3.0.109's {@code EncryptData} produced when built with {@code -tags fips} (its PBKDF2 variant).
 */
class MadminCryptoTest {
  private static final HexFormat HEX = HexFormat.of();

  /**
   * The AES-GCM entries of sio-go v0.3.1's {@code test_vectors.json} (AES-128: the stream layout
   * does not depend on the key size; the XChaCha20 entries use an AEAD madmin does not).
   */
  private static final String SIO_VECTORS =
      """
      [
      {"BufSize":16,"Key":"00000000000000000000000000000000","Nonce":"0000000000000000","AssociatedData":"","Plaintext":"","Ciphertext":"e0247a864e783cecb1f7996c13cd3f64"},
      {"BufSize":16,"Key":"10000000000000000000000000000000","Nonce":"0000000000000000","AssociatedData":"","Plaintext":"","Ciphertext":"0ea5336db7013554c07aa43b369e5655"},
      {"BufSize":16,"Key":"10000000000000000000000000000000","Nonce":"1000000000000000","AssociatedData":"","Plaintext":"","Ciphertext":"a52763497d2e64ee49bf4c72dc6881e7"},
      {"BufSize":16,"Key":"10000000000000000000000000000000","Nonce":"1000000000000000","AssociatedData":"00","Plaintext":"","Ciphertext":"2d9ede532b1f5f034e22375d816f76c2"},
      {"BufSize":16,"Key":"10000000000000000000000000000000","Nonce":"1000000000000000","AssociatedData":"00","Plaintext":"00","Ciphertext":"61ed193d12a2adf6f1c41f31de4ead6c5c"},
      {"BufSize":16,"Key":"20000000000000000000000000000000","Nonce":"1000000000000000","AssociatedData":"00","Plaintext":"00","Ciphertext":"4b6e93acd3e4602b9c1ad49da985d1f872"},
      {"BufSize":16,"Key":"00000000000000000000000000000000","Nonce":"0000000000000000","AssociatedData":"0000000000000000","Plaintext":"0000000000000000","Ciphertext":"4661d681f92680d7a307c7a036700edde4697a1f3ba7e01b"},
      {"BufSize":16,"Key":"00000000000000000000000000000001","Nonce":"2000000000000000","AssociatedData":"1000000000000000","Plaintext":"00000000000000000000000000000000","Ciphertext":"8501dcfa461a0860ef9933655b1e59a9e7db1ed363b6ff80f219ca986dca9ce2"},
      {"BufSize":16,"Key":"0a7a6d49e4ad042f1e1ffa168849d651","Nonce":"4a9ba500be169ab3","AssociatedData":"d40703848d887a01664c30734fa370581c5f8f6d0ea7bfdd","Plaintext":"424d6d60d7e08b3b41e968fc4557b93c","Ciphertext":"aa4b4ca42d587b98d0d5f009c0efbc4fcaaefdc1c79a3cfe07801ed8c708d259"},
      {"BufSize":16,"Key":"10000000000000000000000000000000","Nonce":"0000000000000002","AssociatedData":"","Plaintext":"0000000000000000000000000000000000","Ciphertext":"691deb7b9ccbee91f48d12c7ad5fe3cd4e1e5e7d394f06b91228ec9a5dd2456ac7de9502a0b4010fb1ee1db94e940458fb"},
      {"BufSize":16,"Key":"20000000000000000000000000000000","Nonce":"2000000000000000","AssociatedData":"00","Plaintext":"0000000000000000000000000000000000000000000000000000000000000000","Ciphertext":"f58d8fef7ac7782a4361a79c07f5e6c4672d8a45e6cb9ef67cb7177897358deb8d338d313d44f78e0b68a3723d7ca0fe5f62aa8af0a72e508f5d5f8491ecedb2"},
      {"BufSize":16,"Key":"000102030405060708090a0b0c0d0e0f","Nonce":"0001020304050607","AssociatedData":"0102030405060708090a0b0c0d0e0f10","Plaintext":"0000000000000000000000000000000000000000000000000000000000000000","Ciphertext":"beffe57efbdadb693b5545d58454ba746c5362c6f37b65da457d85bfe6af8972cfea267b03f14aedf25e7501e88c0d79f5440d0ac49e5c4fdaab4dfac9aec4d3"},
      {"BufSize":17,"Key":"67fc3ffd5353a432a6cbc982007606c8","Nonce":"6958a70a975e32c6","AssociatedData":"","Plaintext":"","Ciphertext":"076243570112d32362c1d9e4ab4096ca"},
      {"BufSize":17,"Key":"31dd758d120fd5d30063921a21f723be","Nonce":"d3794fe387018e32","AssociatedData":"1d838b6e861ea7576de110e08818de82a27337a99db7b95aa95c3347971ad4cfa0ef0960d6645f5a64f88c7d","Plaintext":"d0ae0d85e93ed6be853ded2031643116a03215b4fda224d2986d7233039aa47e91b686f4","Ciphertext":"a6fe911b94e0b25a25bf6da71f28ad6a6b6920be01589e9194226f77c164606545d5cbdb76c99415b468c54517f5a8bc8dc8ac13b1b4285fe36f37f7884d5e4bfb32ecef56b4026bf02bfb1d4fce222e01ef9db9"}
      ]
      """;

  /** Password, plaintext (UTF-8), ciphertext from madmin-go v3.0.109 {@code EncryptData}, fips. */
  private static final String[][] MADMIN_FIPS_VECTORS = {
    {
      "xPl.8/rhR\"Q_1xLt",
      "{\"secretKey\":\"S3cr3t-of-the-user\",\"status\":\"enabled\"}",
      "9e05708f4b96806bae006fb3fa40f73ab0612026c67a04a687a092725aaafc6a025628513978b125a9c3fa5ccd"
          + "25c69b1927f163e83d54c64c6beceb33ad6a2e0d3ebf28808e60bfe204c478a64156b770a208243b6d60"
          + "00cc03681c618f5c32955717f7165ab029adc8d5c5dbdb"
    },
    {
      "pässwörd-€-\uD83D\uDD11",
      "madmin PBKDF2-SHA256 + AES-256-GCM",
      "af1abb00e14fb1d1e5a6c960eeb1c0164ba6dfea2213d062bedd1ba1f6c1fb3602c37b019d0db65e62edd12008"
          + "f048cfeb9834724836ecc8eb7c0ef3fd256d61d4b53b1176e98feb0f84e6048acdd1b9c3836fdbb66205"
          + "abb6c119"
    },
    {
      "x",
      "",
      "5a08859371e48cc8287f329da5a4ece3af33f8ef01692934b389fcf248720a8f021bc7df53c69d58a599c0e911"
          + "e783dc95f320485739194cbf"
    },
  };

  /**
   * madmin-go's {@code decryptDataTests} (encrypt_test.go): Argon2id + AES-GCM ciphertexts of
   * zero-filled plaintexts of 0, 256, 32 and 256 bytes.
   */
  private static final String[][] MADMIN_ARGON2_VECTORS = {
    {
      "",
      "828aa81599df0651c0461adb82283e8b89956baee9f6e719947ef9cddc849028001dc9d3ac0938f66b07bacc975"
          + "1437e1985f8a9763c240e81"
    },
    {
      "",
      "1793c71df6647860437134073c15688cbb15961dc0758c7ee1225e66e79c724c00d790dba9c671eae89da2c736d"
          + "858286ac9bd027abacc64430375cd41b63b67c070c7fba475a8dd66ae65ba905176c48cbe6f734fc74df8"
          + "7343d8ccff54bada4aeb0a04bd021633ebe6c4768e23f5dea142561d4fe3f90ed59d13dc5fb3a585dade"
          + "c1742325291b9c81692bdd3420b2428127f8195e0ecd9a1c9237712ed67af7339fbbf7ff3ee1c516e1f8"
          + "1e69d933e057b30997e7274a2c9698e07c39f0e8d6818858f34c8191871b5a52bea9061806bd029024bf"
          + "c1d9c1f230904968d6c9e10fddcbc006ba97356ff243570fd96df07dd6894e215a6b24c4ed7303695192"
          + "89ebd877aff6ccbd2265985e4ab1a2b7930bab9cfb767b97348a639ddf8db81bf5151da7e8f3d9638a1b"
          + "86eb1dd78cc6a526f10a414c78638f"
    },
    {
      "xPl.8/rhR\"Q_1xLt",
      "b5c016e93b84b473fc8a37af94936563630c36d6df1841d23a86ee51ca161f9e00ac19116b32f643ff6a56a212"
          + "b265d8c56195bb0d12ce199e13dfdc5272f80c1564da2c6fc2fa18da91d8062de02af5cdafea491c6f3c"
          + "ae1f"
    },
    {
      "7h5oU4$te{;K}fgqlI^]",
      "c58edf7cfd557b6b655de6f48b1a3049d8d049dadb3a7bfa9ac9ccbb5baf37ec00f83086a26f43b7d6bc9075ad"
          + "038bf5741f118d502ebe94165e4072ba7f98535d6b1e3b6ae67a98115d146d9b4d90e4df4ae82df9cfa1"
          + "7ed7cd42465181559f7ddf09c98beec521bb4478e0cb73c4e0827af8688ff4e7a07327a10d5a180035e6"
          + "ddb16d974a85257981cd9e0360a20f7b4d653190267dfb241148f018ae180568042e864b9e1b5bc05425"
          + "a3abc2b0324f50c72d56798f924405dfc0f8523f4bb564ed65af8e1b1c82a7a0640552ecf81985d95d09"
          + "93d99172592ddc1393dfa63e8f0b3d744b2cc4b73384ca4693f0c1aec0e9b00e85f2937e891105d67da8"
          + "f59c14ca96608e0425c42f9c1e7c2a8b3413e1381784f9cfe01de7c47cea1f8d7a7d88f5d4aca783cf55"
          + "332b47f957a6b9a65269d7eb606b877b"
    },
  };

  @Test
  void theStreamMatchesSioGosTestVectors() throws Exception {
    JsonNode vectors = new ObjectMapper().readTree(SIO_VECTORS);
    assertThat(vectors).hasSize(14);
    for (JsonNode v : vectors) {
      int bufSize = v.get("BufSize").asInt();
      byte[] key = hex(v, "Key");
      byte[] nonce = hex(v, "Nonce");
      byte[] ad = hex(v, "AssociatedData");
      byte[] plaintext = hex(v, "Plaintext");
      byte[] ciphertext = hex(v, "Ciphertext");

      assertThat(MadminCrypto.seal(Algorithm.PBKDF2_AES_GCM, key, nonce, ad, plaintext, bufSize))
          .as("seal %s", v)
          .isEqualTo(ciphertext);
      assertThat(
              MadminCrypto.open(Algorithm.PBKDF2_AES_GCM, key, nonce, ad, ciphertext, 0, bufSize))
          .as("open %s", v)
          .isEqualTo(plaintext);
      for (int i = 0; i < ciphertext.length; i++) {
        byte[] tampered = ciphertext.clone();
        tampered[i] ^= 0x01;
        assertThatThrownBy(
                () ->
                    MadminCrypto.open(
                        Algorithm.PBKDF2_AES_GCM, key, nonce, ad, tampered, 0, bufSize))
            .isInstanceOf(AEADBadTagException.class);
      }
    }
  }

  @Test
  void pbkdf2EncryptionIsByteForByteMadminGosFipsEncryptData() throws Exception {
    for (String[] v : MADMIN_FIPS_VECTORS) {
      byte[] expected = HEX.parseHex(v[2]);
      byte[] plaintext = v[1].getBytes(StandardCharsets.UTF_8);
      assertThat(expected[32]).isEqualTo((byte) 0x02);

      assertThat(MadminCrypto.decrypt(v[0], expected)).isEqualTo(plaintext);
      assertThat(
              MadminCrypto.encrypt(
                  Algorithm.PBKDF2_AES_GCM,
                  v[0],
                  plaintext,
                  Arrays.copyOfRange(expected, 0, 32),
                  Arrays.copyOfRange(expected, 33, 41)))
          .isEqualTo(expected);
    }
  }

  /**
   * 40000 bytes (three 16 KiB fragments) encrypted by madmin-go's fips {@code EncryptData}: same
   * salt and nonce give the same SHA-256 of the whole ciphertext (89 bytes more than the data).
   */
  @Test
  void multiFragmentPbkdf2EncryptionMatchesMadminGo() throws Exception {
    byte[] data = new byte[40000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i % 251);
    }
    byte[] ciphertext =
        MadminCrypto.encrypt(
            Algorithm.PBKDF2_AES_GCM,
            "m69?yz4W-!k+7p0",
            data,
            HEX.parseHex("5bcd9b961b58b2e1de590c0cea4f531e6d6e791087e2e78714f75902813d8d05"),
            HEX.parseHex("41d9fc2dd8da7b74"));

    assertThat(ciphertext).hasSize(40089);
    assertThat(HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(ciphertext)))
        .isEqualTo("3383de71e599fe64ae65183bbb467914041dd1d389b3c4b517ca50ffa82cea3e");
    assertThat(MadminCrypto.decrypt("m69?yz4W-!k+7p0", ciphertext)).isEqualTo(data);

    // dropping the last fragment, or swapping two, is detected
    byte[] truncated = Arrays.copyOf(ciphertext, 41 + 2 * (16384 + 16));
    assertThatThrownBy(() -> MadminCrypto.decrypt("m69?yz4W-!k+7p0", truncated))
        .isInstanceOf(AEADBadTagException.class);
    byte[] swapped = ciphertext.clone();
    System.arraycopy(ciphertext, 41, swapped, 41 + 16400, 16400);
    System.arraycopy(ciphertext, 41 + 16400, swapped, 41, 16400);
    assertThatThrownBy(() -> MadminCrypto.decrypt("m69?yz4W-!k+7p0", swapped))
        .isInstanceOf(AEADBadTagException.class);
  }

  @Test
  void decryptsMadminGosArgon2idTestVectors() throws Exception {
    int[] lengths = {0, 256, 32, 256};
    for (int i = 0; i < MADMIN_ARGON2_VECTORS.length; i++) {
      byte[] ciphertext = HEX.parseHex(MADMIN_ARGON2_VECTORS[i][1]);
      assertThat(ciphertext[32]).isEqualTo((byte) 0x00);
      assertThat(MadminCrypto.decrypt(MADMIN_ARGON2_VECTORS[i][0], ciphertext))
          .isEqualTo(new byte[lengths[i]]);
    }
  }

  @Test
  void pbkdf2RoundTripsAcrossFragmentBoundaries() throws Exception {
    for (int n : new int[] {0, 1, 15, 16, 17, 16383, 16384, 16385, 32768, 50000}) {
      byte[] data = new byte[n];
      new java.util.Random(n).nextBytes(data);
      byte[] c = MadminCrypto.encrypt(Algorithm.PBKDF2_AES_GCM, "admin-secret", data);
      int fragments = n == 0 ? 1 : (n + 16383) / 16384;
      assertThat(c).as("n=%d", n).hasSize(41 + n + 16 * fragments);
      assertThat(c[32]).isEqualTo((byte) 0x02);
      assertThat(MadminCrypto.decrypt("admin-secret", c)).as("n=%d", n).isEqualTo(data);
    }
  }

  @Test
  void argon2idVariantsRoundTrip() throws Exception {
    byte[] data = "{\"secretKey\":\"s\",\"status\":\"enabled\"}".getBytes(StandardCharsets.UTF_8);
    for (Algorithm a :
        new Algorithm[] {Algorithm.ARGON2ID_AES_GCM, Algorithm.ARGON2ID_CHACHA20_POLY1305}) {
      byte[] c = MadminCrypto.encrypt(a, "admin-secret", data);
      assertThat(c[32]).isEqualTo(a.id());
      assertThat(MadminCrypto.decrypt("admin-secret", c)).isEqualTo(data);
    }
  }

  @Test
  void eachCallHasItsOwnSaltAndNonce() throws Exception {
    byte[] data = "same".getBytes(StandardCharsets.UTF_8);
    byte[] a = MadminCrypto.encrypt(Algorithm.PBKDF2_AES_GCM, "pw", data);
    byte[] b = MadminCrypto.encrypt(Algorithm.PBKDF2_AES_GCM, "pw", data);
    assertThat(Arrays.copyOfRange(a, 0, 32)).isNotEqualTo(Arrays.copyOfRange(b, 0, 32));
    assertThat(Arrays.copyOfRange(a, 33, 41)).isNotEqualTo(Arrays.copyOfRange(b, 33, 41));
    assertThat(Arrays.copyOfRange(a, 41, a.length))
        .isNotEqualTo(Arrays.copyOfRange(b, 41, b.length));
  }

  @Test
  void wrongPasswordTamperingUnknownIdsAndShortInputAreRefused() throws Exception {
    byte[] c = MadminCrypto.encrypt(Algorithm.PBKDF2_AES_GCM, "right", new byte[100]);

    assertThatThrownBy(() -> MadminCrypto.decrypt("wrong", c))
        .isInstanceOf(AEADBadTagException.class);
    for (int i : new int[] {0, 31, 33, 40, 41, c.length - 1}) {
      byte[] t = c.clone();
      t[i] ^= 0x40;
      assertThatThrownBy(() -> MadminCrypto.decrypt("right", t))
          .as("byte %d", i)
          .isInstanceOf(AEADBadTagException.class);
    }
    byte[] unknown = c.clone();
    unknown[32] = 0x03;
    assertThatThrownBy(() -> MadminCrypto.decrypt("right", unknown))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("invalid encryption algorithm ID");
    assertThatThrownBy(() -> MadminCrypto.decrypt("right", Arrays.copyOf(c, 40)))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("unexpected header");
    assertThatThrownBy(() -> MadminCrypto.decrypt("right", Arrays.copyOf(c, 41 + 15)))
        .isInstanceOf(AEADBadTagException.class);
  }

  @Test
  void pbkdf2KeyIsPbkdf2HmacSha256With8192IterationsOverTheUtf8Password() throws Exception {
    // cross-checked with BouncyCastle's PBKDF2, fed the UTF-8 bytes as Go's []byte(password) is
    byte[] salt = new byte[32];
    Arrays.fill(salt, (byte) 7);
    for (String password : new String[] {"", "plain-ascii", "pässwörd-€-\uD83D\uDD11"}) {
      PKCS5S2ParametersGenerator g = new PKCS5S2ParametersGenerator(new SHA256Digest());
      g.init(password.getBytes(StandardCharsets.UTF_8), salt, 8192);
      byte[] expected = ((KeyParameter) g.generateDerivedMacParameters(256)).getKey();
      assertThat(MadminCrypto.deriveKey(Algorithm.PBKDF2_AES_GCM, password, salt))
          .as(password)
          .isEqualTo(expected);
    }
  }

  private static byte[] hex(JsonNode v, String field) {
    return HEX.parseHex(v.get(field).asText());
  }
}
