package dev.ems.device.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class PublishedConfigTests {

  private final String sha = "a".repeat(64);
  private final PublishedConfig config =
      new PublishedConfig(UUID.randomUUID(), "t", 2, sha, new byte[] {1});

  @Test
  void etagIsTheQuotedSha256() {
    assertThat(config.etag()).isEqualTo("\"" + sha + "\"");
  }

  @Test
  void ifNoneMatchMatchesStrongWeakListedAndWildcardTags() {
    assertThat(config.matches("\"" + sha + "\"")).isTrue();
    assertThat(config.matches("W/\"" + sha + "\"")).isTrue();
    assertThat(config.matches("\"other\", \"" + sha + "\"")).isTrue();
    assertThat(config.matches("*")).isTrue();
  }

  @Test
  void ifNoneMatchDoesNotMatchOtherOrUnquotedTags() {
    assertThat(config.matches(null)).isFalse();
    assertThat(config.matches(sha)).isFalse();
    assertThat(config.matches("\"" + "b".repeat(64) + "\"")).isFalse();
    assertThat(config.matches("\"" + sha.substring(1) + "\"")).isFalse();
    assertThat(config.matches("\"" + sha + "x")).isFalse();
    assertThat(config.matches("")).isFalse();
    assertThat(config.matches(" , ,")).isFalse();
    assertThat(config.matches("W/")).isFalse();
    assertThat(config.matches("\"")).isFalse();
    assertThat(config.matches("**")).isFalse();
  }

  @Test
  void listsMayCarrySpacesAndEmptyElements() {
    assertThat(config.matches(" ,\t\"x\" ,  W/\"" + sha + "\"  ,")).isTrue();
    assertThat(config.matches("\"x\", *")).isTrue();
    assertThat(config.versionText()).isEqualTo("2");
  }
}
