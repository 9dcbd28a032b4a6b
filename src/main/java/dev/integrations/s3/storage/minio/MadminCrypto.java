package dev.integrations.s3.storage.minio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * MinIO's admin-API body encryption, byte for byte as madmin-go's {@code EncryptData} / {@code
 * DecryptData} (file {@code encrypt.go}, checked against madmin-go v3.0.109, the version the pinned
 * MinIO server is built with):
 *
 * <pre>
 *   salt (32 random bytes) | algorithm id (1 byte) | nonce (8 random bytes) | sio stream
 * </pre>
 *
 * <ul>
 *   <li>id {@code 0x00}: key = Argon2id(password, salt, time 1, memory 64 MiB, 4 lanes, 32 bytes),
 *       AES-256-GCM stream — what madmin-go and minio-java's {@code io.minio.admin.Crypto} send;
 *   <li>id {@code 0x01}: same Argon2id key, ChaCha20-Poly1305 stream (madmin-go on CPUs without AES
 *       instructions);
 *   <li>id {@code 0x02}: key = PBKDF2-HMAC-SHA256(password, salt, 8192 iterations, 32 bytes),
 *       AES-256-GCM stream — what madmin-go built with the {@code fips} tag sends.
 * </ul>
 *
 * The password is the UTF-8 bytes of the sending admin's secret key. MinIO's {@code DecryptData}
 * accepts all three ids whatever its build, so a client may choose.
 *
 * <p>The stream is sio-go's (github.com/secure-io/sio-go, v0.3.1) with its default buffer size of
 * 16 KiB: the plaintext is cut into 16 KiB fragments (the last one 0..16 KiB, empty only for an
 * empty plaintext), each sealed with the AEAD under the 12-byte nonce {@code nonce(8) ||
 * little-endian uint32 sequence number} starting at 1, with associated data {@code flag || tag},
 * where flag is {@code 0x00} for every fragment but the last ({@code 0x80}) and tag is the AEAD's
 * 16-byte tag over an empty plaintext under sequence number 0 (sio's associated data, empty here).
 *
 * <p>Cost: the PBKDF2 variant is 8192 HMAC-SHA256 iterations (about 2 ms, under 1 MiB allocated);
 * the Argon2id variants fill 64 MiB and take 0.1 to 0.25 s here — callers of those must bound
 * concurrency themselves ({@link Argon2Gate}).
 */
public final class MadminCrypto {

  /** The algorithm ids of madmin-go's {@code encrypt.go}. */
  public enum Algorithm {
    /** Argon2id key, AES-256-GCM stream: madmin-go's default, and minio-java's only choice. */
    ARGON2ID_AES_GCM((byte) 0x00),
    /** Argon2id key, ChaCha20-Poly1305 stream. */
    ARGON2ID_CHACHA20_POLY1305((byte) 0x01),
    /** PBKDF2-HMAC-SHA256 key (8192 iterations), AES-256-GCM stream: madmin-go's FIPS build. */
    PBKDF2_AES_GCM((byte) 0x02);

    private final byte id;

    Algorithm(byte id) {
      this.id = id;
    }

    /** The byte that follows the salt. */
    public byte id() {
      return id;
    }

    static Algorithm of(byte id) throws GeneralSecurityException {
      for (Algorithm a : values()) {
        if (a.id == id) {
          return a;
        }
      }
      throw new GeneralSecurityException("madmin: invalid encryption algorithm ID");
    }
  }

  static final int SALT_LENGTH = 32;
  static final int NONCE_LENGTH = 8;
  static final int HEADER_LENGTH = SALT_LENGTH + 1 + NONCE_LENGTH;
  static final int KEY_LENGTH = 32;
  static final int TAG_LENGTH = 16;

  /** sio-go's {@code BufSize}: the plaintext fragment size. */
  static final int BUF_SIZE = 1 << 14;

  /** madmin-go's {@code pbkdf2Cost}. */
  static final int PBKDF2_ITERATIONS = 8192;

  /** madmin-go's {@code argon2idTime}, {@code argon2idMemory} (KiB), {@code argon2idThreads}. */
  static final int ARGON2ID_TIME = 1;

  static final int ARGON2ID_MEMORY_KIB = 64 * 1024;
  static final int ARGON2ID_THREADS = 4;

  /** Far above any admin request body; keeps the fragment count (and int arithmetic) small. */
  static final int MAX_PLAINTEXT = 64 * 1024 * 1024;

  private static final byte[] NO_ASSOCIATED_DATA = new byte[0];
  private static final SecureRandom RANDOM = new SecureRandom();

  private MadminCrypto() {}

  /**
   * Encrypts {@code data} for MinIO with a fresh random salt and nonce, the key derived from {@code
   * password} (the admin's secret key) by {@code algorithm}.
   */
  public static byte[] encrypt(Algorithm algorithm, String password, byte[] data)
      throws GeneralSecurityException {
    return encrypt(algorithm, password, data, random(SALT_LENGTH), random(NONCE_LENGTH));
  }

  /** {@link #encrypt(Algorithm, String, byte[])} with this salt and nonce (tests only). */
  static byte[] encrypt(
      Algorithm algorithm, String password, byte[] data, byte[] salt, byte[] nonce)
      throws GeneralSecurityException {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(data, "data");
    if (salt.length != SALT_LENGTH || nonce.length != NONCE_LENGTH) {
      throw new IllegalArgumentException("salt must be 32 and nonce 8 bytes");
    }
    byte[] key = deriveKey(algorithm, password, salt);
    try {
      byte[] stream = seal(algorithm, key, nonce, NO_ASSOCIATED_DATA, data, BUF_SIZE);
      ByteBuffer out = ByteBuffer.allocate(HEADER_LENGTH + stream.length);
      out.put(salt).put(algorithm.id).put(nonce).put(stream);
      return out.array();
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * Decrypts what MinIO or madmin-go's {@code EncryptData} produced with this password, whichever
   * of the three algorithms it names.
   *
   * @throws GeneralSecurityException when the data is too short, names an unknown algorithm, or is
   *     not authentic under this password ({@link AEADBadTagException})
   */
  public static byte[] decrypt(String password, byte[] ciphertext) throws GeneralSecurityException {
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(ciphertext, "ciphertext");
    if (ciphertext.length < HEADER_LENGTH) {
      throw new GeneralSecurityException("madmin: unexpected header");
    }
    byte[] salt = Arrays.copyOfRange(ciphertext, 0, SALT_LENGTH);
    Algorithm algorithm = Algorithm.of(ciphertext[SALT_LENGTH]);
    byte[] nonce = Arrays.copyOfRange(ciphertext, SALT_LENGTH + 1, HEADER_LENGTH);
    byte[] key = deriveKey(algorithm, password, salt);
    try {
      return open(algorithm, key, nonce, NO_ASSOCIATED_DATA, ciphertext, HEADER_LENGTH, BUF_SIZE);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** The 32-byte key madmin-go derives for this algorithm from the password and salt. */
  static byte[] deriveKey(Algorithm algorithm, String password, byte[] salt)
      throws GeneralSecurityException {
    if (algorithm == Algorithm.PBKDF2_AES_GCM) {
      // golang.org/x/crypto/pbkdf2.Key([]byte(password), salt, 8192, 32, sha256.New). The JDK's
      // PBKDF2 hashes the UTF-8 bytes of the password, as Go does, and uses the CPU's SHA
      // instructions (about 2 ms here, BouncyCastle's about 6 ms).
      PBEKeySpec spec =
          new PBEKeySpec(password.toCharArray(), salt, PBKDF2_ITERATIONS, KEY_LENGTH * 8);
      try {
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
            .generateSecret(spec)
            .getEncoded();
      } finally {
        spec.clearPassword();
      }
    }
    byte[] pw = password.getBytes(StandardCharsets.UTF_8);
    try {
      // golang.org/x/crypto/argon2.IDKey([]byte(password), salt, 1, 64*1024, 4, 32)
      Argon2BytesGenerator g = new Argon2BytesGenerator();
      g.init(
          new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
              .withVersion(Argon2Parameters.ARGON2_VERSION_13)
              .withSalt(salt)
              .withIterations(ARGON2ID_TIME)
              .withMemoryAsKB(ARGON2ID_MEMORY_KIB)
              .withParallelism(ARGON2ID_THREADS)
              .build());
      byte[] key = new byte[KEY_LENGTH];
      g.generateBytes(pw, key);
      return key;
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
  }

  // ---- the sio-go stream ----

  /**
   * sio-go's {@code Stream.EncryptWriter(w, nonce, associatedData)}, written {@code data} and
   * closed. madmin passes nil associated data; sio-go's test vectors use others.
   */
  static byte[] seal(
      Algorithm algorithm,
      byte[] key,
      byte[] nonce,
      byte[] associatedData,
      byte[] data,
      int bufSize)
      throws GeneralSecurityException {
    if (data.length > MAX_PLAINTEXT) {
      throw new IllegalArgumentException("data too large: " + data.length + " bytes");
    }
    Aead aead = new Aead(algorithm, key, nonce);
    byte[] ad = aead.associatedData(associatedData);
    int fragments = data.length == 0 ? 1 : (data.length + bufSize - 1) / bufSize;
    byte[] out = new byte[data.length + fragments * TAG_LENGTH];
    int in = 0;
    int pos = 0;
    for (int seq = 1; seq <= fragments; seq++) {
      boolean last = seq == fragments;
      int len = last ? data.length - in : bufSize;
      ad[0] = last ? (byte) 0x80 : 0x00;
      pos += aead.seal(seq, ad, data, in, len, out, pos);
      in += len;
    }
    return out;
  }

  /** sio-go's {@code Stream.DecryptReader(r, nonce, associatedData)} read to the end. */
  static byte[] open(
      Algorithm algorithm,
      byte[] key,
      byte[] nonce,
      byte[] associatedData,
      byte[] stream,
      int offset,
      int bufSize)
      throws GeneralSecurityException {
    Aead aead = new Aead(algorithm, key, nonce);
    byte[] ad = aead.associatedData(associatedData);
    int fragment = bufSize + TAG_LENGTH;
    int remaining = stream.length - offset;
    // every fragment but the last is exactly bufSize + tag; the last is whatever remains
    int fragments = remaining <= fragment ? 1 : (remaining - 1) / fragment + 1;
    int lastLength = remaining - (fragments - 1) * fragment;
    if (lastLength < TAG_LENGTH) {
      throw new AEADBadTagException("sio: data is not authentic");
    }
    byte[] out = new byte[remaining - fragments * TAG_LENGTH];
    int in = offset;
    int pos = 0;
    for (int seq = 1; seq <= fragments; seq++) {
      boolean last = seq == fragments;
      int len = last ? lastLength : fragment;
      ad[0] = last ? (byte) 0x80 : 0x00;
      pos += aead.open(seq, ad, stream, in, len, out, pos);
      in += len;
    }
    return out;
  }

  /** One AEAD (AES-256-GCM or ChaCha20-Poly1305) with sio-go's nonce layout. */
  private static final class Aead {
    private final Algorithm algorithm;
    private final SecretKeySpec key;
    private final byte[] nonce;
    private final Cipher cipher;

    Aead(Algorithm algorithm, byte[] key, byte[] nonce) throws GeneralSecurityException {
      this.algorithm = algorithm;
      boolean chacha = algorithm == Algorithm.ARGON2ID_CHACHA20_POLY1305;
      this.key = new SecretKeySpec(key, chacha ? "ChaCha20" : "AES");
      this.nonce = Arrays.copyOf(nonce, NONCE_LENGTH + 4);
      this.cipher = Cipher.getInstance(chacha ? "ChaCha20-Poly1305" : "AES/GCM/NoPadding");
    }

    /** {@code 0x00 || Seal(nonce || 0, plaintext = empty, associatedData)}: the tag only. */
    byte[] associatedData(byte[] associatedData) throws GeneralSecurityException {
      init(Cipher.ENCRYPT_MODE, 0);
      cipher.updateAAD(associatedData);
      byte[] tag = cipher.doFinal();
      byte[] ad = new byte[1 + TAG_LENGTH];
      System.arraycopy(tag, 0, ad, 1, TAG_LENGTH);
      return ad;
    }

    int seal(int seq, byte[] ad, byte[] in, int off, int len, byte[] out, int outOff)
        throws GeneralSecurityException {
      init(Cipher.ENCRYPT_MODE, seq);
      cipher.updateAAD(ad);
      return cipher.doFinal(in, off, len, out, outOff);
    }

    int open(int seq, byte[] ad, byte[] in, int off, int len, byte[] out, int outOff)
        throws GeneralSecurityException {
      init(Cipher.DECRYPT_MODE, seq);
      cipher.updateAAD(ad);
      return cipher.doFinal(in, off, len, out, outOff);
    }

    private void init(int mode, int seq) throws GeneralSecurityException {
      ByteBuffer.wrap(nonce, NONCE_LENGTH, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(seq);
      byte[] iv = nonce.clone();
      if (algorithm == Algorithm.ARGON2ID_CHACHA20_POLY1305) {
        cipher.init(mode, key, new IvParameterSpec(iv));
      } else {
        cipher.init(mode, key, new GCMParameterSpec(TAG_LENGTH * 8, iv));
      }
    }
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
