package dev.ems.sc.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM under {@code sc.secrets-key}, a random 96-bit nonce per value. The tenant is bound as
 * associated data, so a sealed value copied into another tenant's row does not open. Stored form:
 * {@code v1:} and the base64 of nonce, ciphertext and tag.
 */
final class SecretVault {

  static final String PREFIX = "v1:";
  private static final int NONCE = 12;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  SecretVault(String base64Key) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64Key == null ? "" : base64Key.strip());
    } catch (IllegalArgumentException e) {
      raw = new byte[0];
    }
    if (raw.length != 32) {
      // deliberately without the value
      throw new IllegalArgumentException(
          "EMS_SECRETS_KEY (sc.secrets-key) must be 32 random bytes in base64, e.g. openssl rand"
              + " -base64 32");
    }
    this.key = new SecretKeySpec(raw, "AES");
  }

  String seal(String tenant, String clear) {
    try {
      byte[] nonce = new byte[NONCE];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      cipher.updateAAD(aad(tenant));
      byte[] cipherText = cipher.doFinal(clear.getBytes(StandardCharsets.UTF_8));
      byte[] out =
          ByteBuffer.allocate(NONCE + cipherText.length).put(nonce).put(cipherText).array();
      return PREFIX + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encrypt a secret", e);
    }
  }

  String open(String tenant, String cipherText) {
    byte[] raw;
    try {
      raw =
          cipherText.startsWith(PREFIX)
              ? Base64.getDecoder().decode(cipherText.substring(PREFIX.length()))
              : new byte[0];
    } catch (IllegalArgumentException e) {
      raw = new byte[0];
    }
    if (raw.length < NONCE + 16) {
      throw new IllegalStateException("a stored secret of tenant " + tenant + " is malformed");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, Arrays.copyOfRange(raw, 0, NONCE)));
      cipher.updateAAD(aad(tenant));
      return new String(cipher.doFinal(raw, NONCE, raw.length - NONCE), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      // no key material and no ciphertext in the message
      throw new IllegalStateException(
          "a stored secret of tenant "
              + tenant
              + " does not decrypt: another sc.secrets-key, or another tenant's value",
          e);
    }
  }

  private static byte[] aad(String tenant) {
    return ("ems-sc-secret:" + tenant).getBytes(StandardCharsets.UTF_8);
  }
}
