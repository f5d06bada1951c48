package dev.ems.sc.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class UciGrammarTests {

  @Test
  void readsSectionsOptionsAndListsAsLibuciDoes() {
    var sections =
        UciGrammar.parse(
            """
            # comment
            package network

            config interface 'lan'
            \toption proto 'static' # trailing comment
            \toption ipaddr "192.168.1.1"
            \tlist dns '192.0.2.1'
            \tlist dns 192.0.2.2

            config device
            \toption name br-lan; option type bridge
            """);

    assertThat(sections).hasSize(2);
    var lan = sections.getFirst();
    assertThat(lan.type()).isEqualTo("interface");
    assertThat(lan.name()).isEqualTo("lan");
    assertThat(lan.options().get("proto").values()).containsExactly("static");
    assertThat(lan.options().get("ipaddr").values()).containsExactly("192.168.1.1");
    assertThat(lan.options().get("dns").values()).containsExactly("192.0.2.1", "192.0.2.2");
    assertThat(sections.get(1).name()).isNull();
    assertThat(sections.get(1).options().keySet()).containsExactly("name", "type");
  }

  @Test
  void quotedPiecesJoinAndQuotedValuesRunOverLines() {
    var section =
        UciGrammar.parse("config system\n\toption notes 'it'\\''s; #1\nsecond line'\n").getFirst();

    assertThat(section.options().get("notes").values()).containsExactly("it's; #1\nsecond line");
    assertThat(UciGrammar.escapeSingleQuoted("a'b")).isEqualTo("a'\\''b");
  }

  @Test
  void refusesWhatLibuciRefuses() {
    for (String bad :
        List.of(
            "option a 'b'\n",
            "config x\n\toption a-b 'c'\n",
            "config x\n\toption a 'b' 'c'\n",
            "config x\n\toption a 'b\n",
            "config x\n\tset a 'b'\n",
            "config 'a b' 'c d'\n",
            "config\n")) {
      assertThatThrownBy(() -> UciGrammar.parse(bad))
          .as(bad)
          .isInstanceOf(UciGrammar.SyntaxError.class)
          .hasMessageStartingWith("line ");
    }
  }
}
