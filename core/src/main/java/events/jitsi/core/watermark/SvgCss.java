package events.jitsi.core.watermark;

import org.htmlunit.cssparser.dom.AbstractCSSRuleImpl;
import org.htmlunit.cssparser.dom.CSSStyleDeclarationImpl;
import org.htmlunit.cssparser.dom.CSSStyleRuleImpl;
import org.htmlunit.cssparser.dom.CSSStyleSheetImpl;
import org.htmlunit.cssparser.dom.CSSValueImpl;
import org.htmlunit.cssparser.dom.Property;
import org.htmlunit.cssparser.parser.CSSErrorHandler;
import org.htmlunit.cssparser.parser.CSSOMParser;
import org.htmlunit.cssparser.parser.CSSParseException;
import org.htmlunit.cssparser.parser.InputSource;
import org.htmlunit.cssparser.parser.LexicalUnit;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The CSS of a watermark, read as a browser reads it: with a real CSS parser (HtmlUnit's CSS Level 3 parser, a
 * maintained library that resolves escapes, case and comments into tokens, so {@code URL(}, {@code u\72l(} or an
 * escaped {@code @import} are the tokens they are, not spellings), then allowed only as listed properties with listed
 * value forms, and written back from the parsed tokens. Everything that can load something is refused: at-rules,
 * {@code url()} other than {@code url(#id)}, and every function but colours and transforms ({@code image-set},
 * {@code image()}, {@code cross-fade()}, {@code element()}, {@code src()}, {@code expression()}...). Unknown properties
 * are dropped. CSS the parser cannot read is refused: a browser might read it otherwise.
 */
final class SvgCss {
    /** The properties a drawing needs; also the SVG presentation attributes, which browsers parse as CSS. */
    static final Set<String> PROPERTIES = Set.of(
            "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap",
            "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "opacity", "stop-color",
            "stop-opacity", "clip-path", "clip-rule", "mask", "filter", "marker", "marker-start", "marker-mid",
            "marker-end", "display", "visibility", "overflow", "color", "flood-color", "flood-opacity", "lighting-color",
            "font-family", "font-size", "font-weight", "font-style", "font-variant", "font-stretch", "text-anchor",
            "dominant-baseline", "alignment-baseline", "baseline-shift", "letter-spacing", "word-spacing",
            "text-decoration", "writing-mode", "direction", "line-height", "white-space", "mix-blend-mode", "isolation",
            "paint-order", "shape-rendering", "text-rendering", "image-rendering", "color-interpolation",
            "color-interpolation-filters", "color-rendering", "vector-effect", "enable-background", "transform-origin");
    /** The functions a value may use: colours, and transforms in a style's {@code transform}. */
    private static final Set<String> FUNCTIONS = Set.of("rgb", "rgba", "hsl", "hsla", "translate", "translatex", "translatey",
            "scale", "scalex", "scaley", "rotate", "skew", "skewx", "skewy", "matrix");
    private static final Pattern LOCAL_REFERENCE = Pattern.compile("#[A-Za-z_][A-Za-z0-9_.:-]*");
    private static final Pattern IDENT = Pattern.compile("-?[A-Za-z_][A-Za-z0-9_-]*");

    private SvgCss() {
    }

    /**
     * What in raw CSS can fetch or run, read past comments and escapes (so {@code U\RL(} and {@code u/**\/rl(} count):
     * {@code url(} other than {@code url(#id)}, the image functions, {@code expression(}, {@code src(} and the at-rules.
     */
    private static final Pattern FETCHING = Pattern.compile("url\\(\\s*+['\"]?+\\s*+(?!#)|(image-set|image|cross-fade|element|src|expression)\\s*\\(|@[a-z-]+");

    /**
     * The fetching construct {@code css} mentions, or null: the last word on CSS, for text the parser passed over
     * without an error (a browser may read it otherwise, and then fetch).
     */
    static String fetching(String css) {
        String text = css.replaceAll("(?s)/\\*.*?\\*/", "");
        StringBuilder decoded = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                int j = i + 1;
                while (j < text.length() && j < i + 7 && Character.digit(text.charAt(j), 16) >= 0) {
                    j++;
                }
                if (j > i + 1) {
                    decoded.appendCodePoint(Integer.parseInt(text.substring(i + 1, j), 16));
                    i = j < text.length() && Character.isWhitespace(text.charAt(j)) ? j : j - 1;
                } else {
                    decoded.append(text.charAt(++i));
                }
            } else {
                decoded.append(c);
            }
        }
        java.util.regex.Matcher m = FETCHING.matcher(decoded.toString().toLowerCase(Locale.ROOT));
        return m.find() ? m.group() : null;
    }

    /** Refuses CSS that mentions a fetching construct the parser did not report (it passed over it without an error). */
    private static void guardFetching(String css, String where, List<String> problems, int problemsBefore) {
        if (problems.size() == problemsBefore) {
            String found = fetching(css);
            if (found != null) {
                problems.add(where + ": the CSS mentions '" + found.strip() + "' where the parser read no declaration; a browser may read it "
                        + "and fetch, so it is refused");
            }
        }
    }

    /** A {@code <style>} element's text: the kept rules, written back; problems and drops are added to the lists. */
    static String styleSheet(String css, String where, List<String> problems, Set<String> dropped) {
        int before = problems.size();
        String kept = styleSheetRules(css, where, problems, dropped);
        guardFetching(css, where, problems, before);
        return kept;
    }

    private static String styleSheetRules(String css, String where, List<String> problems, Set<String> dropped) {
        List<String> errors = new ArrayList<>();
        CSSStyleSheetImpl sheet = parse(errors, p -> p.parseStyleSheet(new InputSource(new StringReader(css)), null));
        if (!errors.isEmpty()) {
            problems.add(where + ": CSS that cannot be read safely: " + errors.get(0));
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (AbstractCSSRuleImpl rule : sheet.getCssRules().getRules()) {
            if (!(rule instanceof CSSStyleRuleImpl styleRule)) {
                String text = rule.getCssText();
                problems.add(where + ": the at-rule '" + SvgSafety.abbreviate(text.contains(" ") ? text.substring(0, text.indexOf(' ')) : text)
                        + "' is not allowed (at-rules can load files or other CSS)");
                continue;
            }
            String declarations = declarations(styleRule.getStyle(), where, problems, dropped);
            out.append(styleRule.getSelectorText()).append(" { ").append(declarations).append(declarations.isEmpty() ? "" : " ").append("}\n");
        }
        return out.toString();
    }

    /** A {@code style} attribute: the kept declarations, written back. */
    static String declarations(String css, String where, List<String> problems, Set<String> dropped) {
        int before = problems.size();
        String kept = declarationList(css, where, problems, dropped);
        guardFetching(css, where, problems, before);
        return kept;
    }

    private static String declarationList(String css, String where, List<String> problems, Set<String> dropped) {
        List<String> errors = new ArrayList<>();
        CSSStyleDeclarationImpl style = parse(errors, p -> p.parseStyleDeclaration(css));
        if (!errors.isEmpty() || style == null) {
            problems.add(where + ": CSS that cannot be read safely: " + (errors.isEmpty() ? css : errors.get(0)));
            return "";
        }
        return declarations(style, where, problems, dropped);
    }

    private static String declarations(CSSStyleDeclarationImpl style, String where, List<String> problems, Set<String> dropped) {
        List<String> kept = new ArrayList<>();
        for (Property p : style.getProperties()) {
            String name = p.getName().toLowerCase(Locale.ROOT);
            if (!allowed(p.getValue(), where + " " + name, problems)) {
                continue;
            }
            if (!PROPERTIES.contains(name) && !"transform".equals(name)) {
                dropped.add("CSS property " + name + " (not used for drawing)");
                continue;
            }
            kept.add(name + ": " + p.getValue().getCssText() + (p.isImportant() ? " !important" : "") + ";");
        }
        return String.join(" ", kept);
    }

    /** A presentation attribute's value, written back, or null when it is refused. */
    static String value(String property, String css, String where, List<String> problems) {
        List<String> errors = new ArrayList<>();
        CSSValueImpl value = parse(errors, p -> p.parsePropertyValue(css));
        if (!errors.isEmpty() || value == null) {
            problems.add(where + ": CSS that cannot be read safely: " + (errors.isEmpty() ? "'" + SvgSafety.abbreviate(css) + "'" : errors.get(0)));
            return null;
        }
        int before = problems.size();
        String kept = allowed(value, where, problems) ? value.getCssText() : null;
        guardFetching(css, where, problems, before);
        return problems.size() == before ? kept : null;
    }

    /** Whether a parsed value uses only the allowed forms; each refusal names the token. */
    private static boolean allowed(CSSValueImpl value, String where, List<String> problems) {
        Object v = value.getValue();
        if (v instanceof List<?> items) {
            boolean ok = true;
            for (Object item : items) {
                ok &= item instanceof CSSValueImpl c && allowed(c, where, problems);
            }
            return ok;
        }
        if (v instanceof LexicalUnit unit) {
            return allowed(unit, where, problems);
        }
        // Colours the parser has read into numbers (rgb(), hsl(), #hex).
        if (v != null && v.getClass().getSimpleName().endsWith("ColorImpl")) {
            return true;
        }
        problems.add(where + ": the value '" + SvgSafety.abbreviate(value.getCssText()) + "' is not allowed");
        return false;
    }

    private static boolean allowed(LexicalUnit first, String where, List<String> problems) {
        boolean ok = true;
        for (LexicalUnit u = first; u != null; u = u.getNextLexicalUnit()) {
            switch (u.getLexicalUnitType()) {
                case URI -> {
                    if (!LOCAL_REFERENCE.matcher(u.getStringValue()).matches()) {
                        problems.add(where + ": url(" + SvgSafety.abbreviate(u.getStringValue()) + ") points outside the file; only url(#id) is allowed");
                        ok = false;
                    }
                }
                case FUNCTION, RGBCOLOR, HSLCOLOR -> {
                    String name = u.getFunctionName() == null ? "" : u.getFunctionName().toLowerCase(Locale.ROOT);
                    if (!FUNCTIONS.contains(name)) {
                        problems.add(where + ": the function " + name + "() is not allowed (only colours and transforms)");
                        ok = false;
                    } else if (u.getParameters() != null) {
                        ok &= allowed(u.getParameters(), where, problems);
                    }
                }
                case IDENT -> {
                    if (!IDENT.matcher(u.getStringValue()).matches()) {
                        problems.add(where + ": the keyword '" + SvgSafety.abbreviate(u.getStringValue()) + "' is not allowed");
                        ok = false;
                    }
                }
                case STRING_VALUE, INHERIT, NONE, INTEGER, REAL, PERCENTAGE, PIXEL, EM, REM, EX, CH, INCH, CENTIMETER, MILLIMETER,
                     POINT, PICA, QUARTER, DEGREE, GRADIAN, RADIAN, TURN, VW, VH, VMIN, VMAX, OPERATOR_COMMA, OPERATOR_SLASH,
                     OPERATOR_MINUS, OPERATOR_PLUS -> {
                }
                default -> {
                    problems.add(where + ": the value form " + u.getLexicalUnitType() + " is not allowed");
                    ok = false;
                }
            }
        }
        return ok;
    }

    private interface Parse<T> {
        T with(CSSOMParser parser) throws IOException;
    }

    /** Parses with a parser that records every warning and error in {@code errors} (reading a String cannot fail). */
    private static <T> T parse(List<String> errors, Parse<T> parse) {
        try {
            return parse.with(parser(errors));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CSSOMParser parser(List<String> errors) {
        CSSOMParser parser = new CSSOMParser();
        parser.setErrorHandler(new CSSErrorHandler() {
            @Override
            public void warning(CSSParseException e) {
                errors.add(e.getMessage());
            }

            @Override
            public void error(CSSParseException e) {
                errors.add(e.getMessage());
            }

            @Override
            public void fatalError(CSSParseException e) {
                errors.add(e.getMessage());
            }
        });
        return parser;
    }
}
