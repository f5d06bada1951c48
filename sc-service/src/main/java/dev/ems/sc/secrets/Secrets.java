package dev.ems.sc.secrets;

import dev.ems.common.error.ErrorCode;
import dev.ems.platform.web.EmsException;
import dev.ems.sc.system.ScProperties;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Secret variables (issue 13): sealed on every write of a variables map (tenant, site, device,
 * config request), opened only to render what the device fetches, and shown to operators as {@code
 * {"secret": "******"}} whatever their role. The key ({@code sc.secrets-key}) has no default:
 * without a valid one the service does not start.
 */
@Component
public class Secrets {

  /** What an operator sees in place of a secret value. */
  public static final String MASK = SecretTree.MASK;

  /** Shorter values are not searched for in text: they would mask ordinary words. */
  static final int MIN_REDACTED_LENGTH = 4;

  private final SecretVault vault;

  Secrets(ScProperties properties) {
    this.vault = new SecretVault(properties.secretsKey());
  }

  /**
   * The stored form of a variables map an operator wrote: each {@code {"secret": "..."}} sealed,
   * the mask kept as the secret already {@code stored} at that place. A 400 problem naming the
   * field when the map cannot be stored.
   */
  public Map<String, Object> seal(
      String tenant, Map<String, Object> written, Map<String, Object> stored) {
    if (written == null) {
      return null;
    }
    try {
      return SecretTree.seal(
          written, stored == null ? Map.of() : stored, v -> vault.seal(tenant, v), "variables");
    } catch (SecretTree.Refused e) {
      throw new EmsException(ErrorCode.VALIDATION_FAILED, e.getMessage(), e.field());
    }
  }

  /** The clear values, for rendering what the device fetches and nothing else. */
  public Map<String, Object> open(String tenant, Map<String, Object> stored) {
    return SecretTree.replace(stored, cipherText -> vault.open(tenant, cipherText));
  }

  /** As an operator sees a stored map: each secret {@code {"secret": "******"}}. */
  public static Map<String, Object> redacted(Map<String, Object> stored) {
    return stored == null ? null : SecretTree.replace(stored, cipherText -> Map.of("secret", MASK));
  }

  /** The stored map with each secret the text {@code ******}: what the operator's copy renders. */
  public static Map<String, Object> masked(Map<String, Object> stored) {
    return SecretTree.replace(stored, cipherText -> MASK);
  }

  /** The clear values of the secrets in the stored maps, longest first; empty when none. */
  public List<String> clearValues(String tenant, Collection<Map<String, Object>> stored) {
    Set<String> values = new LinkedHashSet<>();
    stored.forEach(map -> SecretTree.forEachSealed(map, s -> values.add(vault.open(tenant, s))));
    List<String> sorted = new ArrayList<>(values);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    return sorted;
  }

  /** Text with every occurrence of each value (of at least 4 characters) replaced by the mask. */
  public static String redact(String text, List<String> clearValues) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String value : clearValues) {
      if (value.length() >= MIN_REDACTED_LENGTH) {
        out = out.replace(value, MASK);
      }
    }
    return out;
  }

  /** Seals any text of the tenant (a device bundle holding secrets). */
  public String sealText(String tenant, String clear) {
    return vault.seal(tenant, clear);
  }

  public String openText(String tenant, String cipherText) {
    return vault.open(tenant, cipherText);
  }
}
