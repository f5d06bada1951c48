package dev.ems.sc.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretTreeTests {

  private static Map<String, Object> seal(Map<String, Object> written, Map<String, Object> stored) {
    return SecretTree.seal(written, stored, v -> "sealed(" + v + ")", "variables");
  }

  @Test
  void aSecretAtAnyDepthIsSealedAndEverythingElseKept() {
    Map<String, Object> written =
        Map.of(
            "psk", Map.of("secret", "s3cr3t"),
            "tunnels", List.of(Map.of("name", "t1", "key", Map.of("secret", "k1"))),
            "plain", "x");

    var stored = seal(written, Map.of());

    assertThat(stored)
        .containsEntry("psk", Map.of("$secret", "sealed(s3cr3t)"))
        .containsEntry("plain", "x")
        .containsEntry(
            "tunnels", List.of(Map.of("name", "t1", "key", Map.of("$secret", "sealed(k1)"))));
  }

  @Test
  void operatorsSeeTheMaskAndTheRendererTheClearValue() {
    var stored = seal(Map.of("psk", Map.of("secret", "s3cr3t"), "n", 1), Map.of());

    assertThat(SecretTree.replace(stored, s -> Map.of("secret", SecretTree.MASK)))
        .isEqualTo(Map.of("psk", Map.of("secret", "******"), "n", 1));
    assertThat(SecretTree.replace(stored, s -> s.substring(7, s.length() - 1)))
        .isEqualTo(Map.of("psk", "s3cr3t", "n", 1));
  }

  @Test
  void theMaskWrittenBackKeepsTheStoredSecret() {
    var before = seal(Map.of("psk", Map.of("secret", "old")), Map.of());

    var after = seal(Map.of("psk", Map.of("secret", "******"), "n", 2), before);

    assertThat(after.get("psk")).isEqualTo(Map.of("$secret", "sealed(old)"));
  }

  @Test
  void theMaskWithoutAStoredSecretIsRefusedNamingTheField() {
    assertThatThrownBy(() -> seal(Map.of("a", Map.of("psk", Map.of("secret", "******"))), Map.of()))
        .isInstanceOf(SecretTree.Refused.class)
        .hasMessageContaining("give the value")
        .extracting(e -> ((SecretTree.Refused) e).field())
        .isEqualTo("variables.a.psk");
  }

  @Test
  void theStoredFormCannotBeWrittenByAnOperator() {
    assertThatThrownBy(() -> seal(Map.of("psk", Map.of("$secret", "v1:AAAA")), Map.of()))
        .isInstanceOf(SecretTree.Refused.class)
        .extracting(e -> ((SecretTree.Refused) e).field())
        .isEqualTo("variables.psk");
  }

  @Test
  void aSecretIsNonEmptyText() {
    assertThatThrownBy(() -> seal(Map.of("psk", Map.of("secret", 42)), Map.of()))
        .isInstanceOf(SecretTree.Refused.class);
    assertThatThrownBy(() -> seal(Map.of("psk", Map.of("secret", "")), Map.of()))
        .isInstanceOf(SecretTree.Refused.class);
  }

  @Test
  void anObjectWithMoreKeysThanSecretIsAnOrdinaryObject() {
    Map<String, Object> written = Map.of("o", Map.of("secret", "x", "other", "y"));

    assertThat(seal(written, Map.of())).isEqualTo(written);
  }

  @Test
  void textRedactionReplacesEveryOccurrenceOfValuesOfFourCharactersOrMore() {
    assertThat(Secrets.redact("key=s3cr3t; again s3cr3t; ab", List.of("s3cr3t", "ab")))
        .isEqualTo("key=******; again ******; ab");
  }
}
