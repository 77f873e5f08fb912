package events.jitsi.core.watermark;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every way found to make a browser fetch an outside URL through an accepted watermark, one case per bypass class:
 * each must be refused, whatever the spelling, because the CSS is read as tokens.
 */
class SvgCssTest {
    private static final String OPEN = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">";

    private static SvgSafety.Verdict check(String inner) {
        return SvgSafety.check((OPEN + inner + "</svg>").getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            URL( in capitals in a style element   | <style>.a { fill: URL(https://evil.example/p) }</style>
            URL( in a style attribute             | <rect style="fill: URL(https://evil.example/p)"/>
            URL( in a presentation attribute      | <rect fill="URL(https://evil.example/p)"/>
            escaped r in url                      | <style>.a { fill: u\\72l(https://evil.example/p) }</style>
            escaped u in url                      | <rect style="fill: \\75 rl(https://evil.example/p)"/>
            backslash before r                    | <rect style="fill: u\\rl(https://evil.example/p)"/>
            full-width escape                     | <rect style="fill: \\55 RL(https://evil.example/p)"/>
            character reference in url            | <style>.a { fill: ur&#108;(https://evil.example/p) }</style>
            character reference for r             | <style>.a { fill: u&#114;l(https://evil.example/p) }</style>
            CDATA boundary inside url             | <style>.a { fill: ur<![CDATA[l(https://evil.example/p) }]]></style>
            import behind a character reference   | <style>@imp&#111;rt "https://evil.example/x.css";</style>
            at-sign as a character reference      | <style>&#64;import "https://evil.example/x.css";</style>
            escaped import                        | <style>@\\69mport "https://evil.example/x.css";</style>
            import in capitals with an escape     | <style>@IMP\\4fRT "https://evil.example/x.css";</style>
            image-set without url                 | <style>.a { fill: image-set("https://evil.example/p" 1x) }</style>
            webkit image-set                      | <rect style="fill: -webkit-image-set(url(https://evil.example/p) 1x)"/>
            font-face src                         | <style>@font-face { font-family: x; src: url(https://evil.example/f.woff) }</style>
            src function                          | <rect style="fill: src(https://evil.example/p)"/>
            image function                        | <rect style="fill: image(https://evil.example/p)"/>
            cross-fade                            | <rect style="fill: cross-fade(url(#a), url(https://evil.example/p))"/>
            element function                      | <rect style="fill: element(#a)"/>
            namespace at-rule                     | <style>@namespace x url(https://evil.example/n);</style>
            media wrapping a url                  | <style>@media all { .a { fill: url(https://evil.example/p) } }</style>
            url in an unknown property            | <rect style="background: url(https://evil.example/p)"/>
            behavior                              | <rect style="behavior: url(https://evil.example/x.htc)"/>
            moz-binding                           | <rect style="-moz-binding: url(https://evil.example/x.xml)"/>
            url in a filter attribute             | <g filter="url(https://evil.example/f.svg#f)"/>
            url with a comment inside             | <rect style="fill: ur/**/l(https://evil.example/p)"/>
            escaped parenthesis in a keyword      | <rect style="fill: url\\28https://evil.example/p\\29"/>
            """)
    void everyOutsideFetchIsRefused(String what, String inner) {
        SvgSafety.Verdict v = check(inner);
        assertThat(v.accepted()).as(what + ": " + v.problems()).isFalse();
        assertThat(v.canonical()).isNull();
    }

    @Test
    void sameDocumentReferencesColoursAndTransformsPass() {
        SvgSafety.Verdict v = check("<defs><linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"#FFF\"/></linearGradient>"
                + "<filter id=\"s\"><feDropShadow dx=\"1\" dy=\"1\" stdDeviation=\"1\" flood-color=\"rgba(0,0,0,0.5)\"/></filter></defs>"
                + "<style>.a { fill: url(#g); filter: url('#s'); font-family: \"Open Sans\", sans-serif }</style>"
                + "<rect class=\"a\" width=\"5\" height=\"5\" style=\"transform: rotate(10deg) translate(1px, 2px); stroke: hsl(10, 50%, 50%)\"/>");
        assertThat(v.problems()).isEmpty();
        String served = new String(v.canonical(), StandardCharsets.UTF_8);
        assertThat(served).contains("fill: url(\"#g\")").contains("stop-color=\"rgb(255, 255, 255)\"").contains("rotate(10deg)");
    }

    @Test
    void inkscapeFlowedTextIsLeftOutNotRefused() {
        SvgSafety.Verdict v = check("<flowRoot><flowRegion><rect width=\"5\" height=\"5\"/></flowRegion><flowPara>Hi</flowPara></flowRoot>");
        assertThat(v.problems()).isEmpty();
        assertThat(v.dropped()).containsExactly("<flowRoot> (browsers do not render it)");
        assertThat(new String(v.canonical(), StandardCharsets.UTF_8)).doesNotContain("flow").doesNotContain("Hi");
    }

    @Test
    void textAlongAPathOfTheFileIsKeptAndOneElsewhereIsRefused() {
        SvgSafety.Verdict v = check("<defs><path id=\"arc\" d=\"M10 50a40 40 0 0 1 80 0\"/></defs>"
                + "<text><textPath href=\"#arc\" startOffset=\"50%\" side=\"left\">Jitsi on a circle</textPath></text>");
        assertThat(v.problems()).isEmpty();
        assertThat(new String(v.canonical(), StandardCharsets.UTF_8)).contains("<textPath xlink:href=\"#arc\" startOffset=\"50%\" side=\"left\">"
                + "Jitsi on a circle</textPath>");
        assertThat(check("<text><textPath href=\"https://evil.example/p.svg#arc\">x</textPath></text>").problems())
                .singleElement().asString().contains("only references inside the file (#id) are allowed");
    }

    @Test
    void inkscapesColourProfileIsLeftOutWithTheFileItNames() {
        SvgSafety.Verdict v = check("<defs xmlns:xlink=\"http://www.w3.org/1999/xlink\"><color-profile name=\"sRGB\" xlink:href=\"/usr/share/color/icc/sRGB.icc\"/></defs>"
                + "<rect width=\"5\" height=\"5\"/>");
        assertThat(v.problems()).isEmpty();
        assertThat(v.dropped()).containsExactly("<color-profile> (browsers do not render it)");
        assertThat(new String(v.canonical(), StandardCharsets.UTF_8)).doesNotContain("icc").doesNotContain("color-profile");
    }
}
