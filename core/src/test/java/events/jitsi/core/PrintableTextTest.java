package events.jitsi.core;

import events.jitsi.core.prosody.XmppUsername;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrintableTextTest {
    @Test
    void invisibleCharactersAreWrittenAsEscapes() {
        assertThat(PrintableText.of("admin\u202Egnp.exe")).isEqualTo("admin\\u202Egnp.exe");
        assertThat(PrintableText.of("a\u2028b\u2029c")).isEqualTo("a\\u2028b\\u2029c");
        assertThat(PrintableText.of("a\nb\rc\td\u001b[31m")).isEqualTo("a\\u000Ab\\u000Dc\\u0009d\\u001B[31m");
        assertThat(PrintableText.of("zero\u200Bwidth\uFEFF")).isEqualTo("zero\\u200Bwidth\\uFEFF");
        assertThat(PrintableText.of("tag\uDB40\uDC01")).isEqualTo("tag\\U000E0001");
        assertThat(PrintableText.of("lone\uD800")).isEqualTo("lone\\uD800");
    }

    @Test
    void visibleTextOfAnyScriptIsLeftAlone() {
        String text = "caf\u00e9 \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 \u4f60\u597d \ud83d\ude00 \\u202E";
        assertThat(PrintableText.of(text)).isSameAs(text);
    }

    @Test
    void aMessageKeepsItsOwnLineBreaksButNotTheSeparatorsOrBidiControlsItQuotes() {
        assertThat(PrintableText.keepingLines("first\n\tsecond \u202Ethird\u2028")).isEqualTo("first\n\tsecond \\u202Ethird\\u2028");
    }

    @Test
    void refusalsOfEveryKindEscapeWhatTheyQuote() {
        assertThat(new InvalidInputException("unknown service 'web\u202E'").getMessage()).isEqualTo("unknown service 'web\\u202E'");
        assertThat(new OperationFailedException("failed on 'x\u2028y'").getMessage()).isEqualTo("failed on 'x\\u2028y'");
        assertThatThrownBy(() -> XmppUsername.validate("ali\u202Ece"))
                .hasMessageContaining("'ali\\u202Ece'").hasMessageContaining("U+202E at position 4")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u202E"));
        assertThatThrownBy(() -> XmppUsername.validate("bob\nINFO: fake line"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").contains("bob\\u000AINFO"));
    }
}
