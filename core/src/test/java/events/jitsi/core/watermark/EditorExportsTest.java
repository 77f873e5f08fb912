package events.jitsi.core.watermark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Logos as design tools of many releases export them, written by hand here after the tools' own output: their editor
 * data, in whatever namespace, is left out of the served file and listed, never refused; and what a browser would act
 * on is refused wherever it stands, left-out parts included (a {@code <script>} inside an unknown element or inside
 * {@code <metadata>} runs in Chromium, and a {@code <style>} there applies).
 */
class EditorExportsTest {
    private static SvgSafety.Verdict check(String svg) {
        return SvgSafety.check(svg.getBytes(StandardCharsets.UTF_8));
    }

    private static String served(SvgSafety.Verdict v) {
        return new String(v.canonical(), StandardCharsets.UTF_8);
    }

    private static final String DRAWING = "<g id=\"layer1\"><path d=\"M0 0h10v10z\" style=\"fill:#29abe2\"/></g>";

    /** Inkscape and its Sodipodi heritage, under the namespace URIs of several generations. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Inkscape 0.46, Sodipodi URI of inkscape.sourceforge.net | http://inkscape.sourceforge.net/DTD/sodipodi-0.dtd
            Inkscape 0.92 and 1.x, Sodipodi URI of sodipodi.sourceforge.net | http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd
            Sodipodi 0.34 itself | http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd
            """)
    void inkscapeOfEveryGenerationIsAcceptedWithoutItsEditorData(String release, String sodipodi) {
        SvgSafety.Verdict v = check("""
                <?xml version="1.0" encoding="UTF-8" standalone="no"?>
                <!-- Created with Inkscape (http://www.inkscape.org/) -->
                <svg xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:cc="http://creativecommons.org/ns#"
                   xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:svg="http://www.w3.org/2000/svg"
                   xmlns="http://www.w3.org/2000/svg" xmlns:sodipodi="%s" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
                   width="10" height="10" id="svg2" version="1.1" inkscape:version="0.46" sodipodi:docname="logo.svg">
                  <sodipodi:namedview id="base" pagecolor="#ffffff" inkscape:zoom="1" inkscape:current-layer="layer1">
                    <inkscape:grid type="xygrid" id="grid1"/>
                  </sodipodi:namedview>
                  <metadata id="metadata7"><rdf:RDF><cc:Work rdf:about=""><dc:format>image/svg+xml</dc:format>
                    <dc:type rdf:resource="http://purl.org/dc/dcmitype/StillImage"/><cc:license rdf:resource="http://creativecommons.org/licenses/by-sa/3.0/"/>
                  </cc:Work></rdf:RDF></metadata>
                  <g inkscape:label="Layer 1" inkscape:groupmode="layer" id="layer1">
                    <path d="M0 0h10v10z" style="fill:#29abe2" sodipodi:nodetypes="cccc" inkscape:connector-curvature="0"/>
                  </g>
                </svg>
                """.formatted(sodipodi));
        assertThat(v.problems()).as(release).isEmpty();
        assertThat(v.dropped()).contains("<sodipodi:namedview> (" + sodipodi + ")", "<metadata> (metadata)",
                "inkscape:version (http://www.inkscape.org/namespaces/inkscape)", "sodipodi:nodetypes (" + sodipodi + ")");
        assertThat(served(v)).doesNotContain("sodipodi").doesNotContain("inkscape").doesNotContain("rdf").contains("M0 0h10v10z");
    }

    @Test
    void anIllustratorSaveAsWithItsDoctypeEntitiesAndEditingDataIsAccepted() {
        SvgSafety.Verdict v = check("""
                <?xml version="1.0" encoding="utf-8"?>
                <!-- Generator: Adobe Illustrator 16.0.0, SVG Export Plug-In . SVG Version: 6.00 Build 0)  -->
                <!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [
                \t<!ENTITY ns_extend "http://ns.adobe.com/Extensibility/1.0/">
                \t<!ENTITY ns_ai "http://ns.adobe.com/AdobeIllustrator/10.0/">
                \t<!ENTITY ns_graphs "http://ns.adobe.com/Graphs/1.0/">
                \t<!ENTITY ns_vars "http://ns.adobe.com/Variables/1.0/">
                \t<!ENTITY ns_imrep "http://ns.adobe.com/ImageReplacement/1.0/">
                \t<!ENTITY ns_sfw "http://ns.adobe.com/SaveForWeb/1.0/">
                \t<!ENTITY ns_custom "http://ns.adobe.com/GenericCustomNamespace/1.0/">
                \t<!ENTITY ns_adobe_xpath "http://ns.adobe.com/XPath/1.0/">
                ]>
                <svg version="1.1" id="Layer_1" xmlns:x="&ns_extend;" xmlns:i="&ns_ai;" xmlns:graph="&ns_graphs;"
                \t xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" x="0px" y="0px" width="10px" height="10px"
                \t viewBox="0 0 10 10" enable-background="new 0 0 10 10" xml:space="preserve">
                <switch>
                \t<foreignObject requiredExtensions="&ns_ai;" x="0" y="0" width="1" height="1">
                \t\t<i:pgfRef  xlink:href="#adobe_illustrator_pgf"></i:pgfRef>
                \t</foreignObject>
                \t<g i:extraneous="self">
                \t\t<path fill="#29ABE2" d="M0 0h10v10z"/>
                \t</g>
                </switch>
                <i:pgf  id="adobe_illustrator_pgf">
                \t<![CDATA[eJzs/WmTHMeVIIr2Z5nlf4j7xk8g7Vw1pD4dEXMTEGoqQpKWrYKaeQ==]]>
                </i:pgf>
                </svg>
                """);
        assertThat(v.problems()).isEmpty();
        assertThat(v.dropped()).contains("the DOCTYPE (its constants resolved: ns_extend, ns_ai, ns_graphs, ns_vars, ns_imrep, ns_sfw, "
                + "ns_custom, ns_adobe_xpath)", "<foreignObject> (Illustrator's editing data)", "<i:pgf> (http://ns.adobe.com/AdobeIllustrator/10.0/)",
                "i:extraneous (http://ns.adobe.com/AdobeIllustrator/10.0/)");
        assertThat(served(v)).contains("<switch>").contains("M0 0h10v10z").doesNotContain("pgf").doesNotContain("DOCTYPE");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Illustrator Export As | xmlns:i="http://ns.adobe.com/AdobeIllustrator/10.0/" | <g i:extraneous="self" data-name="Layer 1">@</g>
            Sketch 3 | xmlns:sketch="http://www.bohemiancoding.com/sketch/ns" | <title>logo</title><desc>Created with Sketch.</desc><g sketch:type="MSPage" stroke="none" fill="none">@</g>
            Affinity Designer | xmlns:serif="http://www.serif.com/" | <g serif:id="Artboard1" style="fill-rule:evenodd;clip-rule:evenodd;">@</g>
            CorelDRAW X7 | xmlns:xodm="http://www.corel.com/coreldraw/odm/2003" | <g id="Layer_x0020_1"><metadata id="CorelCorpID_0Corel-Layer"/><xodm:data/>@</g>
            Visio 2013 | xmlns:v="http://schemas.microsoft.com/visio/2003/SVGExtensions/" | <v:documentProperties v:langID="1033" v:viewMarkup="false"/><g v:mID="0" v:index="1">@</g>
            an unknown editor | xmlns:zz="urn:example:some-editor:2031" | <zz:settings><zz:grid spacing="4"/></zz:settings><g zz:lock="true">@</g>
            """)
    void otherEditorsAreAcceptedWithoutTheirData(String editor, String namespace, String body) {
        SvgSafety.Verdict v = check("<svg xmlns=\"http://www.w3.org/2000/svg\" " + namespace + " viewBox=\"0 0 10 10\">"
                + body.replace("@", DRAWING) + "</svg>");
        assertThat(v.problems()).as(editor).isEmpty();
        assertThat(v.dropped()).as(editor).isNotEmpty();
        String prefix = namespace.substring("xmlns:".length(), namespace.indexOf('='));
        assertThat(served(v)).as(editor).doesNotContain(prefix + ":").contains("M0 0h10v10z");
    }

    @Test
    void prefixedSvgElementsAreKept() {
        SvgSafety.Verdict v = check("<svg:svg xmlns:svg=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><svg:path d=\"M0 0h10v10z\"/></svg:svg>");
        assertThat(v.problems()).isEmpty();
        assertThat(v.dropped()).isEmpty();
        assertThat(served(v)).contains("<path d=\"M0 0h10v10z\"");
    }

    @Test
    void whatABrowserActsOnIsRefusedInsideWhatIsLeftOut() {
        String open = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:x=\"urn:unknown\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">";
        List<String[]> cases = List.of(
                new String[] {"<x:thing><script>alert(1)</script></x:thing>", "element <script> is not allowed (it is inside what is left out"},
                new String[] {"<metadata><script>alert(1)</script></metadata>", "element <script> is not allowed"},
                new String[] {"<x:thing><style>@import url(https://evil.example/x.css);</style></x:thing>", "the at-rule '@import' is not allowed"},
                new String[] {"<x:thing><image xlink:href=\"https://evil.example/p.png\"/></x:thing>", "an image must be embedded"},
                new String[] {"<x:thing><h:script xmlns:h=\"http://www.w3.org/1999/xhtml\">alert(1)</h:script></x:thing>", "in http://www.w3.org/1999/xhtml"},
                new String[] {"<flowRoot><use xlink:href=\"https://evil.example/x.svg#a\"/></flowRoot>", "only references inside the file"},
                new String[] {"<style>rect { fill: red }<x:y/>@import url(https://evil.example/x.css);</style>", "<style> holds the element <x:y>"},
                new String[] {"<rect style=\".;fill:url(https://evil.example/p)\"/>", "the CSS mentions 'url("});
        for (String[] c : cases) {
            assertThat(check(open + c[0] + "</svg>").problems()).as(c[0]).anySatisfy(p -> assertThat(p).contains(c[1]));
        }
    }

    @Test
    void aByteOrderMarkIsAcceptedAndAnOversizedFileIsReportedByItsOwnSize() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\" height=\"1\"/></svg>".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[bom.length + svg.length];
        System.arraycopy(bom, 0, withBom, 0, 3);
        System.arraycopy(svg, 0, withBom, 3, svg.length);
        assertThat(SvgSafety.check(withBom).problems()).isEmpty();
        // Colours written back as rgb() make the served file larger than the upload: the upload's own size is what counts.
        byte[] growing = ("<svg xmlns=\"http://www.w3.org/2000/svg\">" + "<rect fill=\"#fff\"/>".repeat(50_000) + "</svg>")
                .getBytes(StandardCharsets.UTF_8);
        SvgSafety.Verdict grown = SvgSafety.check(growing);
        assertThat(growing.length).isLessThan(SvgSafety.MAX_BYTES);
        assertThat(grown.problems()).isEmpty();
        assertThat(grown.canonical().length).isGreaterThan(SvgSafety.MAX_BYTES);
        byte[] big = ("<svg xmlns=\"http://www.w3.org/2000/svg\">" + "<rect fill=\"#fff\"/>".repeat(60_000) + "</svg>")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(SvgSafety.check(big).problems()).singleElement().asString().isEqualTo("the file has " + big.length
                + " bytes; the limit is 1048576 (1 MiB)");
    }

    @Test
    void nestingDeeperThanAnyDrawingIsOneLineNotACrash() {
        String deep = "<svg xmlns=\"http://www.w3.org/2000/svg\">" + "<g>".repeat(32_768) + "</g>".repeat(32_768) + "</svg>";
        assertThat(SvgSafety.check(deep.getBytes(StandardCharsets.UTF_8)).problems()).singleElement().asString()
                .contains("elements nest more than 256 deep");
    }

    @Test
    void aDoctypeThatCouldActIsRefused() {
        String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
        assertThat(check("<!DOCTYPE svg [<!ATTLIST svg onload CDATA \"alert(1)\">]>" + svg).problems()).singleElement().asString()
                .contains("only constants");
        assertThat(check("<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" + svg).problems()).singleElement().asString()
                .contains("only constants");
        assertThat(check("<!DOCTYPE svg SYSTEM \"https://evil.example/x.dtd\">" + svg).problems()).singleElement().asString()
                .contains("SYSTEM identifier");
        assertThat(check("<!DOCTYPE svg [<!ENTITY % p \"x\">]>" + svg).problems()).singleElement().asString().contains("only constants");
        assertThat(check("<!DOCTYPE svg [<!ENTITY a \"&b;\">]>" + svg).problems()).singleElement().asString().contains("only constants");
    }
}
