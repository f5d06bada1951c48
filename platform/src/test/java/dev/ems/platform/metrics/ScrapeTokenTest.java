package dev.ems.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScrapeTokenTest {

  @Test
  void unsetTokenMatchesNothing() {
    for (String unset : new String[] {null, "", "   "}) {
      ScrapeToken token = new ScrapeToken(unset);
      assertThat(token.enabled()).isFalse();
      assertThat(token.matches("Bearer ")).isFalse();
      assertThat(token.matches("Bearer " + unset)).isFalse();
    }
  }

  @Test
  void matchesOnlyTheBearerToken() {
    ScrapeToken token = new ScrapeToken("s3cret-scrape");
    assertThat(token.matches("Bearer s3cret-scrape")).isTrue();
    assertThat(token.matches("bearer s3cret-scrape ")).isTrue();
    assertThat(token.matches("Bearer s3cret-scrapE")).isFalse();
    assertThat(token.matches("Bearer s3cret-scrape2")).isFalse();
    assertThat(token.matches("Basic s3cret-scrape")).isFalse();
    assertThat(token.matches("s3cret-scrape")).isFalse();
    assertThat(token.matches(null)).isFalse();
  }

  @Test
  void neverShowsTheToken() {
    assertThat(new ScrapeToken("s3cret-scrape").toString()).doesNotContain("s3cret");
  }
}
