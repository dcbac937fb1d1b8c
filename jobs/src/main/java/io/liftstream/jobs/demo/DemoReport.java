package io.liftstream.jobs.demo;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.batik.svggen.SVGGeneratorContext;
import org.apache.batik.svggen.SVGGraphics2D;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.StackedXYAreaRenderer2;
import org.jfree.data.time.SimpleTimePeriod;
import org.jfree.data.time.TimeTableXYDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

/**
 * The demo's self-contained HTML report: the allocation per arm over time and the confidence sequence
 * of each message's lift over time (from the results job's successive records), as inline SVG drawn by
 * JFreeChart through Batik's SVG generator, plus the results table. No script, stylesheet, font or
 * image is loaded from anywhere: the file opens offline.
 */
public final class DemoReport {
    private DemoReport() {}

    private static final String SVG_NS = "http://www.w3.org/2000/svg";
    private static final Color[] ARM_COLORS = {new Color(0x8c8c8c), new Color(0x3b7dd8), new Color(0x2ca25f), new Color(0xd95f02)};
    private static final int WIDTH = 900;
    private static final int HEIGHT = 380;

    public static void write(Path html, DemoFindings f, ShopperResponses responses, int shoppers, long seed) throws IOException {
        System.setProperty("java.awt.headless", "true");
        StringBuilder b = new StringBuilder(64 * 1024);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>Liftstream demo: cart-recovery</title>\n<style>\n")
                .append("body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222;line-height:1.45}\n")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:right}\n")
                .append("th:first-child,td:first-child{text-align:left}.note{color:#666;font-size:.9em}svg{width:100%;height:auto}\n")
                .append("</style>\n</head>\n<body>\n");
        b.append("<h1>Liftstream demo: the cart-recovery experiment</h1>\n");
        b.append("<p>A simulated shop (").append(String.format(Locale.ROOT, "%,d", shoppers)).append(" shoppers over ")
                .append(f.days.size()).append(" days, seed ").append(seed).append("): every abandoned cart asks the decision job ")
                .append("which recovery message to send. Thompson sampling chooses among ").append(escape(String.join(", ", f.arms)))
                .append("; the shoppers order with true conversion rates only the simulator knows (")
                .append(escape(rates(responses))).append("), and the bandit learns only from the orders attributed to its ")
                .append("messages. 5% of users are held out; opted-out users get no message.</p>\n");

        b.append("<h2>Allocation per arm over time</h2>\n");
        b.append("<p class=\"note\">Share of the messages sent (assigned or sticky decisions) per six simulated hours. ")
                .append("The first day is an equal split (burn-in: 100 outcomes per arm, and a failure is only known when ")
                .append("its 24-hour window closes).</p>\n");
        b.append(svg(allocationChart(f)));

        b.append("<h2>Lift over time: the confidence sequence</h2>\n");
        b.append("<p class=\"note\">Relative lift in conversion of each message against control, with its always-valid ")
                .append("95% interval, from each of the results job's ").append(f.resultRecords)
                .append(" records (hourly, in event time). The interval is valid at every look, so reading it every hour is ")
                .append("safe.</p>\n");
        b.append(svg(liftChart(f)));

        b.append("<h2>Results</h2>\n");
        results(b, f);
        b.append("<h2>Decisions per day</h2>\n");
        days(b, f, responses);
        b.append("<p class=\"note\">Written by <code>./liftstream demo</code>; the numbers are read back from the ")
                .append("decision and result files beside this report.</p>\n</body>\n</html>\n");
        Files.writeString(html, b.toString(), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- charts

    static JFreeChart allocationChart(DemoFindings f) {
        TimeTableXYDataset data = new TimeTableXYDataset(TimeZone.getTimeZone("UTC"));
        for (DemoFindings.Period p : f.parts) {
            if (p.treatedTotal() == 0) {
                continue;
            }
            long start = p.start.toEpochMilli();
            SimpleTimePeriod period = new SimpleTimePeriod(start, start + 6 * 3_600_000L - 1);
            for (String arm : f.arms) {
                data.add(period, 100 * p.share(arm), arm, false);
            }
        }
        JFreeChart chart = ChartFactory.createStackedXYAreaChart(null, "simulated time (UTC)", "share of messages (%)", data);
        XYPlot plot = chart.getXYPlot();
        DateAxis time = new DateAxis("simulated time (UTC)");
        time.setTimeZone(TimeZone.getTimeZone("UTC"));
        plot.setDomainAxis(time);
        StackedXYAreaRenderer2 renderer = new StackedXYAreaRenderer2();
        for (int i = 0; i < f.arms.size(); i++) {
            renderer.setSeriesPaint(i, ARM_COLORS[i % ARM_COLORS.length]);
        }
        plot.setRenderer(renderer);
        NumberAxis share = (NumberAxis) plot.getRangeAxis();
        share.setRange(0, 100);
        style(chart);
        return chart;
    }

    static JFreeChart liftChart(DemoFindings f) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (Map.Entry<String, List<DemoFindings.LiftPoint>> e : f.liftOverTime.entrySet()) {
            YIntervalSeries s = new YIntervalSeries(e.getKey() + " vs control");
            for (DemoFindings.LiftPoint p : e.getValue()) {
                s.add(p.asOf().toEpochMilli(), 100 * p.lift(), 100 * clamp(p.lower()), 100 * clamp(p.upper()));
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createTimeSeriesChart(null, "simulated time (UTC)", "lift vs control (%)", data, true, false, false);
        XYPlot plot = chart.getXYPlot();
        ((DateAxis) plot.getDomainAxis()).setTimeZone(TimeZone.getTimeZone("UTC"));
        DeviationRenderer renderer = new DeviationRenderer(true, false);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            Color c = ARM_COLORS[(i + 1) % ARM_COLORS.length];
            renderer.setSeriesPaint(i, c);
            renderer.setSeriesFillPaint(i, c);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        renderer.setAlpha(0.2f);
        plot.setRenderer(renderer);
        ValueMarker zero = new ValueMarker(0, Color.DARK_GRAY, new BasicStroke(1f));
        plot.addRangeMarker(zero);
        style(chart);
        return chart;
    }

    /** Intervals of a relative lift can be huge early on: keep the chart readable. */
    private static double clamp(double v) {
        return Math.max(-1, Math.min(4, v));
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        plot.getDomainAxis().setTickLabelFont(font);
        plot.getRangeAxis().setTickLabelFont(font);
        if (chart.getLegend() != null) {
            chart.getLegend().setItemFont(font);
        }
    }

    /** The chart as an inline {@code <svg>} element (no XML declaration, no external reference). */
    static String svg(JFreeChart chart) {
        try {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().getDOMImplementation()
                    .createDocument(SVG_NS, "svg", null);
            SVGGeneratorContext context = SVGGeneratorContext.createDefault(doc);
            context.setComment(null);
            SVGGraphics2D g = new SVGGraphics2D(context, false);
            g.setSVGCanvasSize(new Dimension(WIDTH, HEIGHT));
            chart.draw(g, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
            Element root = g.getRoot();
            root.setAttribute("viewBox", "0 0 " + WIDTH + " " + HEIGHT);
            root.setAttribute("role", "img");
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(root), new StreamResult(w));
            // Namespace declarations are not needed inline in HTML (and are the only URLs Batik writes).
            return w.toString().replaceAll(" xmlns(:\\w+)?=\"http[^\"]*\"", "") + "\n";
        } catch (ParserConfigurationException | TransformerException e) {
            throw new IllegalStateException("cannot draw the chart as SVG", e);
        }
    }

    // ---------------------------------------------------------------- tables

    private static void results(StringBuilder b, DemoFindings f) {
        JsonNode last = f.last;
        if (last == null) {
            b.append("<p>No results.</p>\n");
            return;
        }
        b.append("<p>As of ").append(escape(last.path("as_of").asText())).append(", method ")
                .append(escape(last.path("method").asText())).append(", alpha 0.05.</p>\n");
        b.append("<table>\n<tr><th>arm</th><th>users</th><th>orders</th><th>conversion</th><th>lift vs control</th>")
                .append("<th>always-valid 95% interval</th><th>p-value (Holm)</th></tr>\n");
        java.util.Map<String, JsonNode> comparisons = new java.util.LinkedHashMap<>();
        last.path("comparisons").forEach(c -> comparisons.put(c.path("arm").asText(), c));
        for (JsonNode a : last.path("arms")) {
            String name = a.path("name").asText();
            long n = a.path("n").asLong();
            double mean = a.path("mean").asDouble();
            JsonNode c = comparisons.get(name);
            b.append("<tr><td>").append(escape(name)).append("</td><td>").append(String.format(Locale.ROOT, "%,d", n))
                    .append("</td><td>").append(String.format(Locale.ROOT, "%,d", Math.round(mean * n))).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.2f%%", 100 * mean)).append("</td>");
            if (c == null) {
                b.append("<td>(control)</td><td></td><td></td>");
            } else {
                b.append(String.format(Locale.ROOT, "<td>%+.1f%%</td><td>[%+.1f%%, %+.1f%%]</td><td>%.4f</td>",
                        100 * c.path("expected").asDouble(), 100 * c.path("ci_lower").asDouble(), 100 * c.path("ci_upper").asDouble(),
                        c.path("p_value_adjusted").asDouble()));
            }
            b.append("</tr>\n");
        }
        JsonNode h = last.path("holdout");
        if (h.isObject() && h.path("arms").size() == 2) {
            JsonNode ha = h.path("arms").get(0);
            JsonNode hc = h.path("comparisons").path(0);
            long n = ha.path("n").asLong();
            b.append("<tr><td>holdout (no message)</td><td>").append(String.format(Locale.ROOT, "%,d", n)).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%,d", Math.round(ha.path("mean").asDouble() * n))).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.2f%%", 100 * ha.path("mean").asDouble())).append("</td>");
            if (hc.isObject()) {
                b.append(String.format(Locale.ROOT, "<td>treated vs holdout %+.1f%%</td><td>[%+.1f%%, %+.1f%%]</td><td>%.4f</td>",
                        100 * hc.path("expected").asDouble(), 100 * hc.path("ci_lower").asDouble(), 100 * hc.path("ci_upper").asDouble(),
                        hc.path("p_value").asDouble()));
            } else {
                b.append("<td></td><td></td><td></td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");
        b.append("<p>SRM: ").append(last.path("srm_p_value").isNumber()
                        ? String.format(Locale.ROOT, "p = %.4f", last.path("srm_p_value").asDouble())
                        : "not applicable to an adaptive allocation")
                .append("; holdout share SRM p = ").append(h.path("srm_p_value").isNumber()
                        ? String.format(Locale.ROOT, "%.4f", h.path("srm_p_value").asDouble()) : "n/a").append(".</p>\n");
        b.append("<p><strong>Recommendation: ").append(escape(last.path("recommendation").asText())).append("</strong> — ")
                .append(escape(last.path("reason").asText())).append("</p>\n");
    }

    private static void days(StringBuilder b, DemoFindings f, ShopperResponses responses) {
        b.append("<table>\n<tr><th>day</th><th>decisions</th>");
        for (String arm : f.arms) {
            Double rate = responses.rates().get(arm);
            b.append("<th>").append(escape(arm)).append(rate == null ? "" : String.format(Locale.ROOT, " (%.0f%%)", 100 * rate)).append("</th>");
        }
        b.append("<th>holdout</th><th>consent</th></tr>\n");
        int i = 1;
        for (DemoFindings.Period p : f.days) {
            b.append("<tr><td>day ").append(i++).append(" (").append(p.start.toString(), 0, 10).append(")</td><td>")
                    .append(String.format(Locale.ROOT, "%,d", p.total())).append("</td>");
            for (String arm : f.arms) {
                b.append(String.format(Locale.ROOT, "<td>%.1f%%</td>", 100 * p.share(arm)));
            }
            b.append(String.format(Locale.ROOT, "<td>%,d</td><td>%,d</td></tr>%n", p.holdout, p.consent));
        }
        long[] users = f.holdoutAndTreatedUsers();
        b.append("</table>\n<p>Holdout: ").append(String.format(Locale.ROOT, "%,d", users[0])).append(" users (")
                .append(String.format(Locale.ROOT, "%.1f%%", users[0] + users[1] == 0 ? 0 : 100.0 * users[0] / (users[0] + users[1])))
                .append(" of the exposed users). Consent: ").append(String.format(Locale.ROOT, "%,d", f.consentDecisions))
                .append(" decisions for ").append(String.format(Locale.ROOT, "%,d", f.consentUsers.size()))
                .append(" opted-out users, served the default experience (reason <code>consent</code>).</p>\n");
    }

    private static String rates(ShopperResponses responses) {
        StringBuilder b = new StringBuilder();
        responses.rates().forEach((arm, rate) -> b.append(b.length() == 0 ? "" : ", ")
                .append(String.format(Locale.ROOT, "%s %.0f%%", arm, 100 * rate)));
        return b.append(String.format(Locale.ROOT, "; no message %.0f%%", 100 * responses.baseRate())).toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
