package org.sealgate.bench.smtp;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.imageio.ImageIO;

/** A grouped bar chart of messages/s: one group per message shape and concurrency, one bar per scenario. */
public final class Chart {
    private static final Color[] COLORS = {new Color(0x7f7f7f), new Color(0x1f77b4), new Color(0xd62728),
        new Color(0x2ca02c), new Color(0xff7f0e), new Color(0xbcbcbc), new Color(0x9467bd), new Color(0x8c564b),
        new Color(0x17becf), new Color(0xe377c2)};

    private Chart() {
    }

    public static void write(List<RunResult> results, String title, Path png) throws IOException {
        Set<String> groups = new LinkedHashSet<>();
        results.forEach(r -> groups.add(r.spec().label()));
        List<String> labels = new ArrayList<>(groups);
        Scenario[] scenarios = Scenario.values();
        double max = results.stream().mapToDouble(RunResult::messagesPerSecond).max().orElse(1);
        max = Math.max(1, niceCeiling(max));

        int left = 80;
        int right = 30;
        int top = 60;
        int bottom = 130;
        int groupWidth = 22 * scenarios.length + 14;
        int width = Math.max(700, left + right + groupWidth * labels.size());
        int height = 520;
        int plotHeight = height - top - bottom;

        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, left, 25);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int i = 0; i <= 5; i++) {
                double value = max * i / 5;
                int y = top + plotHeight - (int) (plotHeight * i / 5.0);
                g.setColor(new Color(0xdddddd));
                g.setStroke(new BasicStroke(1));
                g.drawLine(left, y, width - right, y);
                g.setColor(Color.BLACK);
                g.drawString(String.format(java.util.Locale.ROOT, "%.0f", value), 32, y + 4);
            }
            AffineTransform straight = g.getTransform();
            g.rotate(-Math.PI / 2);
            g.drawString("messages / s", -(top + plotHeight / 2 + 30), 16);
            g.setTransform(straight);
            for (int gi = 0; gi < labels.size(); gi++) {
                int x0 = left + gi * groupWidth + 7;
                for (int si = 0; si < scenarios.length; si++) {
                    Scenario scenario = scenarios[si];
                    String label = labels.get(gi);
                    // The median over the alternating rounds (the baseline's over every pairing).
                    double value = Comparisons.median(results.stream()
                        .filter(r -> r.scenario() == scenario && r.spec().label().equals(label) && r.ok())
                        .map(RunResult::messagesPerSecond).toList()).orElse(0.0);
                    int h = (int) Math.round(plotHeight * value / max);
                    g.setColor(COLORS[si % COLORS.length]);
                    g.fillRect(x0 + si * 22, top + plotHeight - h, 18, h);
                }
                g.setColor(Color.BLACK);
                g.translate(x0 + 30, top + plotHeight + 8);
                g.rotate(Math.PI / 4);
                g.drawString(labels.get(gi), 0, 0);
                g.setTransform(straight);
            }
            g.drawLine(left, top + plotHeight, width - right, top + plotHeight);
            int lx = left;
            for (int si = 0; si < scenarios.length; si++) {
                g.setColor(COLORS[si % COLORS.length]);
                g.fillRect(lx, 38, 12, 12);
                g.setColor(Color.BLACK);
                g.drawString(scenarios[si].label(), lx + 16, 48);
                lx += 20 + g.getFontMetrics().stringWidth(scenarios[si].label()) + 20;
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", png.toFile());
    }

    private static double niceCeiling(double value) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
