package dev.ems.pki.system;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Encrypts private keys at rest with AES-256-GCM under {@code pki.key-encryption-key}. The owner
 * (e.g. the CA id) is bound as associated data so a key row cannot be swapped for another. Stored
 * form: version byte, 12-byte IV, ciphertext with tag.
 */
@Component
public class KeyVault {

  /**
   * The development key that was once the default; data folders of older {@code ./ems up} runs
   * still have their CA keys under it, so it is only warned about.
   */
  static final String DEV_KEY = "ZGV2LW9ubHktcGtpLWtleS1lbmNyeXB0aW9uLWtleSE=";

  private static final Logger log = LoggerFactory.getLogger(KeyVault.class);
  private static final byte VERSION = 1;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  KeyVault(PkiProperties properties) {
    byte[] raw = Base64.getDecoder().decode(properties.keyEncryptionKey());
    if (raw.length != 32) {
      throw new IllegalStateException("pki.key-encryption-key must be 32 bytes, base64");
    }
    if (DEV_KEY.equals(properties.keyEncryptionKey())) {
      log.warn(
          "!!! pki.key-encryption-key is the PUBLIC DEVELOPMENT KEY: CA private keys are not"
              + " protected at rest. Set EMS_PKI_KEY_ENCRYPTION_KEY in any real deployment !!!");
    }
    this.key = new SecretKeySpec(raw, "AES");
  }

  public byte[] seal(PrivateKey privateKey, String owner) {
    try {
      byte[] iv = new byte[12];
      random.nextBytes(iv);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
      cipher.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(privateKey.getEncoded());
      return ByteBuffer.allocate(1 + iv.length + sealed.length)
          .put(VERSION)
          .put(iv)
          .put(sealed)
          .array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encrypt a private key", e);
    }
  }

  public PrivateKey open(byte[] stored, String owner, String algorithm) {
    if (stored.length < 14 || stored[0] != VERSION) {
      throw new IllegalStateException("unknown private key format of " + owner);
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, Arrays.copyOfRange(stored, 1, 13)));
      cipher.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
      byte[] pkcs8 = cipher.doFinal(stored, 13, stored.length - 13);
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      // deliberately no key material in the message
      throw new IllegalStateException(
          "cannot decrypt the private key of " + owner + ": wrong pki.key-encryption-key?", e);
    }
  }
}
