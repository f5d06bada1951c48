package dev.ems.sc.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UciSectionsTests {

  private static final String BASE =
      """
      # managed by EMS
      config interface 'lan'
      \toption proto 'static'

      config interface 'wan'
      \toption proto 'dhcp'

      config route
      \toption target '10.0.0.0/8'
      """;

  @Test
  void aNamedSectionReplacesItsNamesakeInPlaceAndOthersAreAppended() {
    String merged =
        UciSections.merge(
            BASE,
            """
            config interface 'wan'
            \toption proto 'pppoe'

            config route
            \toption target '10.1.0.0/16'
            config interface "guest"
            \toption proto 'static'
            """);

    assertThat(merged)
        .isEqualTo(
            """
            # managed by EMS

            config interface 'lan'
            \toption proto 'static'

            config interface 'wan'
            \toption proto 'pppoe'

            config route
            \toption target '10.0.0.0/8'

            config route
            \toption target '10.1.0.0/16'

            config interface "guest"
            \toption proto 'static'
            """);
  }

  @Test
  void aSectionOfAnotherTypeWithTheSameNameIsNotReplaced() {
    String merged = UciSections.merge(BASE, "config device 'wan'\n\toption name 'eth1'\n");

    assertThat(UciSections.parse(merged).sections())
        .extracting(UciSections.Section::type)
        .containsExactly("interface", "interface", "route", "device");
  }

  @Test
  void textBeforeTheFirstSectionIsRefusedCommentsAreNot() {
    assertThat(UciSections.merge(BASE, "# comment\nconfig x 'y'\n")).contains("config x 'y'");
    assertThatThrownBy(() -> UciSections.merge(BASE, "\n\toption lost '1'\nconfig x 'y'\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 2");
  }
}
