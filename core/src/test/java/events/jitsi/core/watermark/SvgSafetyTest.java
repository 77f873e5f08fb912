package events.jitsi.core.watermark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SvgSafetyTest {
    static byte[] resource(String name) throws IOException {
        try (InputStream in = SvgSafetyTest.class.getResourceAsStream("/watermark/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void theUpstreamJitsiWatermarkPasses() throws IOException {
        byte[] svg = resource("jitsi-watermark.svg");
        assertThat(svg).hasSize(12_298);
        assertThat(SvgSafety.problems(svg)).isEmpty();
    }

    @Test
    void aDesignToolExportWithPrologCommentsStylesAndGradientsPasses() throws IOException {
        assertThat(SvgSafety.problems(resource("design-tool-export.svg"))).isEmpty();
    }

    private static final String OPEN = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 10 10\">";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            script element              | <script>alert(1)</script>                                           | <script> is not allowed
            event attribute             | <rect width="1" height="1" onclick="alert(1)"/>                     | event attributes run scripts
            onload on the root          | @ONLOAD                                                             | event attributes run scripts
            foreignObject               | <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject> | <foreignObject> is not allowed
            use of an external file     | <use href="https://evil.example/x.svg#a"/>                          | only references inside the file (#id) are allowed
            image from outside          | <image href="https://evil.example/x.png"/>                          | an image must be embedded as data:image/png
            embedded svg image          | <image href="data:image/svg+xml;base64,PHN2Zz4="/>                  | an image must be embedded as data:image/png
            link                        | <a href="https://evil.example"><rect/></a>                          | <a> is not allowed
            animation                   | <set attributeName="fill" to="red"/>                                | <set> is not allowed
            animate                     | <animate attributeName="href" values="javascript:alert(1)"/>        | <animate> is not allowed
            javascript href             | <linearGradient id="g" href="javascript:alert(1)"/>                 | only references inside the file
            data href                   | <linearGradient id="g" xlink:href="data:image/svg+xml;base64,PHN2Zz4="/> | only references inside the file
            javascript with a tab       | <path d="M0 0" fill="jav&#x09;ascript:alert(1)"/>                   | CSS that cannot be read safely
            remote url in an attribute  | <rect width="1" height="1" fill="url(https://evil.example/p)"/>     | only url(#id) is allowed
            import in a style element   | <style>@import url(https://evil.example/x.css);</style>             | the at-rule '@import' is not allowed
            remote url in a style       | <style>.a { fill: url('https://evil.example/p') }</style>            | points outside the file
            css expression              | <rect style="width: expression(alert(1))"/>                         | the function expression() is not allowed
            xml:base                    | <g xml:base="https://evil.example/"><rect/></g>                     | xml:base is not allowed
            element outside SVG         | <x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script> | outside the SVG namespace
            processing instruction      | <?xml-stylesheet href="https://evil.example/x.css"?>                | processing instruction
            """)
    void unsafePatternsAreRejected(String what, String inner, String expected) {
        String svg = inner.equals("@ONLOAD")
                ? "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"></svg>"
                : OPEN + inner + "</svg>";
        assertThat(SvgSafety.problems(svg.getBytes(StandardCharsets.UTF_8))).as(what).anySatisfy(p -> assertThat(p).contains(expected));
    }

    @Test
    void dtdsAndEntitiesAreRejectedWithoutBeingResolved() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>&xxe;</title></svg>";
        assertThat(SvgSafety.problems(xxe.getBytes(StandardCharsets.UTF_8))).isNotEmpty()
                .noneMatch(p -> p.contains("root:"));
        // The W3C's own SVG DOCTYPE, which no browser loads, is left out rather than refused (design tools write it).
        String doctype = "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
        SvgSafety.Verdict w3c = SvgSafety.check(doctype.getBytes(StandardCharsets.UTF_8));
        assertThat(w3c.problems()).isEmpty();
        assertThat(w3c.dropped()).containsExactly("the DOCTYPE");
        String other = "<!DOCTYPE svg PUBLIC \"-//EVIL//DTD X//EN\" \"https://evil.example/x.dtd\"><svg xmlns=\"http://www.w3.org/2000/svg\"/>";
        assertThat(SvgSafety.problems(other.getBytes(StandardCharsets.UTF_8))).anyMatch(p -> p.contains("not one of the W3C's SVG DTDs"));
    }

    @Test
    void malformedOversizedAndForeignFilesAreRejected() {
        assertThat(SvgSafety.problems("<svg xmlns=\"http://www.w3.org/2000/svg\"><g></svg>".getBytes(StandardCharsets.UTF_8)))
                .anyMatch(p -> p.contains("not well-formed"));
        assertThat(SvgSafety.problems(new byte[]{'<', 's', 'v', 'g', (byte) 0xC3, '>'})).containsExactly("the file is not valid UTF-8");
        byte[] big = (OPEN + "<desc>" + "a".repeat(SvgSafety.MAX_BYTES) + "</desc></svg>").getBytes(StandardCharsets.UTF_8);
        assertThat(SvgSafety.problems(big)).anyMatch(p -> p.contains("limit is 1048576"));
        assertThat(SvgSafety.problems("<svg><rect/></svg>".getBytes(StandardCharsets.UTF_8))).anyMatch(p -> p.contains("without a namespace"));
        assertThat(SvgSafety.problems("<html xmlns=\"http://www.w3.org/1999/xhtml\"/>".getBytes(StandardCharsets.UTF_8)))
                .anyMatch(p -> p.contains("root element must be <svg"));
    }
}
