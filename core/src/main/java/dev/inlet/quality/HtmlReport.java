package dev.inlet.quality;

import dev.inlet.TableId;
import dev.inlet.sql.QueryResult;
import dev.inlet.sql.ResultColumn;
import dev.inlet.sql.SqlDialect;
import dev.inlet.sql.SqlEngine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One self-contained HTML page of a {@link QualityResult}: the summary (passed, warned, failed), a section per
 * table with its results, and inline SVG charts (nothing is fetched: the file opens offline): rows per month of each
 * {@link Builder#series series} on one time axis, null % per column of each checked table, the time-to-close
 * distribution of each {@link Builder#timeToClose table so configured}, and each metric's trend over the runs of
 * the {@link Builder#history history}. Charts that need data read it through the {@link Builder#engine engine}
 * when {@link #html()} runs; without an engine the page has the results only.
 */
public final class HtmlReport {
  private static final String[] COLORS = {
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"
  };
  private static final String[] BUCKETS = {"< 1 h", "1–24 h", "1–7 d", "7–30 d", "30–90 d", "> 90 d"
  };

  private final QualityResult result;
  private final SqlEngine engine;
  private final QualityHistory history;
  private final List<Series> series;
  private final List<Series> closing;
  private final String title;

  private record Series(String name, TableId table, String column, String closed) {}

  private HtmlReport(Builder b) {
    this.result = b.result;
    this.engine = b.engine;
    this.history = b.history;
    this.series = List.copyOf(b.series);
    this.closing = List.copyOf(b.closing);
    this.title = b.title;
  }

  /** {@return a builder; the result and the engine are required} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@return the page} Runs the charts' queries on the engine (the engine stays the caller's).
   *
   * @throws dev.inlet.sql.QueryFailedException if a chart's query fails (e.g. a series' column does not exist)
   */
  public String html() {
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline';"
                + " script-src 'unsafe-inline'; img-src data:\">")
        .append("<title>")
        .append(esc(title))
        .append("</title><style>")
        .append("body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}")
        .append("h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}")
        .append(
            ".cards{display:flex;gap:12px}.card{padding:10px 18px;border-radius:6px;color:#fff;font-size:18px}")
        .append(".PASSED{background:#2e7d32}.WARNED{background:#ef6c00}.FAILED{background:#c62828}")
        .append(".ERROR{background:#6a1b9a}table{border-collapse:collapse;width:100%;margin:8px 0}")
        .append(
            "td,th{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}")
        .append("td.o{color:#fff;font-weight:bold;width:70px}.s{color:#555;font-size:12px}")
        .append(
            "svg{background:#fafafa;border:1px solid #eee;margin:6px 0}</style></head><body>\n");
    h.append("<h1>")
        .append(esc(title))
        .append("</h1><p>Run at ")
        .append(esc(result.runAt().toString()))
        .append(". ")
        .append(
            result.blocks()
                ? "<b>A fail-severity check did not pass.</b>"
                : "No fail-severity check failed.")
        .append("</p>\n<div class=\"cards\" id=\"summary\">");
    for (Outcome o : Outcome.values()) {
      long n = result.count(o);
      if (n > 0 || o != Outcome.ERROR) {
        h.append("<div class=\"card ")
            .append(o)
            .append("\">")
            .append(n)
            .append(' ')
            .append(o.name().toLowerCase(Locale.ROOT))
            .append("</div>");
      }
    }
    h.append("</div>\n");
    if (engine != null && !series.isEmpty()) {
      h.append("<h2>Rows per month</h2>").append(monthChart());
    }
    if (engine != null && !closing.isEmpty()) {
      h.append("<h2>Time to close</h2>");
      for (Series s : closing) {
        h.append(closeChart(s));
      }
    }
    for (Map.Entry<TableId, List<CheckResult>> e : result.byTable().entrySet()) {
      h.append("<h2 class=\"table\">")
          .append(esc(e.getKey().toString()))
          .append("</h2>\n<table><tr><th></th>")
          .append(
              "<th>Check</th><th>Partition</th><th>Metric</th><th>Threshold</th><th>Result</th></tr>");
      for (CheckResult r : e.getValue()) {
        h.append("<tr><td class=\"o ")
            .append(r.outcome())
            .append("\">")
            .append(r.outcome())
            .append("</td><td>")
            .append(esc(r.check().name()))
            .append(" <span class=\"s\">")
            .append(r.check().severity())
            .append("</span></td><td>")
            .append(esc(r.partition()))
            .append("</td><td>")
            .append(Double.isNaN(r.metric()) ? "" : esc(Check.number(r.metric())))
            .append("</td><td>")
            .append(esc(r.check().thresholdText()))
            .append("</td><td>")
            .append(esc(r.message()));
        for (String s : r.samples()) {
          h.append("<div class=\"s\">")
              .append(esc(s.length() <= 300 ? s : s.substring(0, 299) + "…"))
              .append("</div>");
        }
        h.append("</td></tr>\n");
      }
      h.append("</table>\n");
      if (engine != null) {
        h.append(nullChart(e.getKey()));
      }
      h.append(trends(e.getValue()));
    }
    h.append(
            "<script>document.body.dataset.charts = String(document.querySelectorAll('svg').length);</script>")
        .append("</body></html>\n");
    return h.toString();
  }

  private String monthChart() {
    Map<String, Map<String, Long>> bySeries = new LinkedHashMap<>();
    TreeSet<String> months = new TreeSet<>();
    for (Series s : series) {
      String ts = CheckSql.quote(s.column);
      String month = engine.dialect() == SqlDialect.TRINO
          ? "date_format(" + ts + ", '%Y-%m')"
          : "strftime(" + ts + ", '%Y-%m')";
      Map<String, Long> counts = new TreeMap<>();
      try (QueryResult r = engine.query("SELECT " + month + " AS m, count(*) AS n FROM "
          + CheckSql.table(s.table) + " WHERE " + ts + " IS NOT NULL GROUP BY 1 ORDER BY 1")) {
        while (r.next()) {
          counts.put(r.string(0), QualityChecks.toLong(r.value(1)));
        }
      }
      months.addAll(counts.keySet());
      bySeries.put(s.name, counts);
    }
    if (months.isEmpty()) {
      return "<p>No rows.</p>";
    }
    List<String> axis = fillMonths(months.first(), months.last());
    long max = bySeries.values().stream()
        .flatMap(m -> m.values().stream())
        .mapToLong(Long::longValue)
        .max()
        .orElse(1);
    int w = 1000;
    int hgt = 260;
    int left = 60;
    int bottom = 30;
    double step = axis.size() == 1 ? 0 : (w - left - 20) / (double) (axis.size() - 1);
    StringBuilder svg = new StringBuilder(
        "<svg id=\"rows-per-month\" width=\"" + w + "\" height=\"" + hgt + "\" viewBox=\"0 0 " + w
            + " " + hgt + "\" role=\"img\"><title>Rows per month</title>");
    axes(svg, left, hgt - bottom, w - 20, 10, max);
    for (int i = 0; i < axis.size(); i += Math.max(1, axis.size() / 12)) {
      svg.append("<text x=\"")
          .append(f(left + i * step))
          .append("\" y=\"")
          .append(hgt - 10)
          .append("\" font-size=\"11\" text-anchor=\"middle\">")
          .append(axis.get(i))
          .append("</text>");
    }
    int k = 0;
    for (Map.Entry<String, Map<String, Long>> e : bySeries.entrySet()) {
      String color = COLORS[k % COLORS.length];
      StringBuilder pts = new StringBuilder();
      for (int i = 0; i < axis.size(); i++) {
        Long n = e.getValue().get(axis.get(i));
        if (n == null) {
          // a month without rows ends the line: the gap shows
          line(svg, color, pts);
          pts.setLength(0);
          continue;
        }
        double x = left + i * step;
        double y = hgt - bottom - (hgt - bottom - 10) * (n / (double) max);
        pts.append(f(x)).append(',').append(f(y)).append(' ');
        svg.append("<circle class=\"point\" cx=\"")
            .append(f(x))
            .append("\" cy=\"")
            .append(f(y))
            .append("\" r=\"3\" fill=\"")
            .append(color)
            .append("\"><title>")
            .append(esc(e.getKey()))
            .append(' ')
            .append(axis.get(i))
            .append(": ")
            .append(n)
            .append(" rows</title></circle>");
      }
      line(svg, color, pts);
      svg.append("<text x=\"")
          .append(left + 10 + 440 * k)
          .append("\" y=\"24\" fill=\"")
          .append(color)
          .append("\" font-size=\"13\">■ ")
          .append(esc(e.getKey()))
          .append("</text>");
      k++;
    }
    return svg.append("</svg>\n").toString();
  }

  private static void line(StringBuilder svg, String color, StringBuilder pts) {
    if (pts.length() > 0) {
      svg.append("<polyline class=\"series\" fill=\"none\" stroke=\"")
          .append(color)
          .append("\" stroke-width=\"2\" points=\"")
          .append(pts.toString().strip())
          .append("\"/>");
    }
  }

  private static List<String> fillMonths(String first, String last) {
    List<String> out = new ArrayList<>();
    try {
      java.time.YearMonth m = java.time.YearMonth.parse(first);
      java.time.YearMonth end = java.time.YearMonth.parse(last);
      while (!m.isAfter(end) && out.size() < 1200) {
        out.add(m.toString());
        m = m.plusMonths(1);
      }
    } catch (java.time.format.DateTimeParseException e) {
      out.add(first);
      out.add(last);
    }
    return out;
  }

  private String closeChart(Series s) {
    String secs =
        "date_diff('second', " + CheckSql.quote(s.column) + ", " + CheckSql.quote(s.closed) + ")";
    String bucket = "CASE WHEN " + secs + " < 3600 THEN 0 WHEN " + secs + " < 86400 THEN 1 WHEN "
        + secs + " < 604800 THEN 2 WHEN " + secs + " < 2592000 THEN 3 WHEN " + secs
        + " < 7776000 THEN 4 ELSE 5 END";
    long[] counts = new long[BUCKETS.length];
    try (QueryResult r = engine.query(
        "SELECT " + bucket + " AS b, count(*) AS n FROM " + CheckSql.table(s.table) + " WHERE "
            + CheckSql.quote(s.closed) + " >= " + CheckSql.quote(s.column) + " GROUP BY 1")) {
      while (r.next()) {
        counts[(int) QualityChecks.toLong(r.value(0))] = QualityChecks.toLong(r.value(1));
      }
    }
    List<String> labels = List.of(BUCKETS);
    return "<h3>" + esc(s.name) + "</h3>"
        + bars("time-to-close", labels, counts, "rows", "#1f77b4");
  }

  private String nullChart(TableId table) {
    List<String> cols = new ArrayList<>();
    try (QueryResult r = engine.query("SELECT * FROM " + CheckSql.table(table) + " LIMIT 0")) {
      for (ResultColumn c : r.columns()) {
        cols.add(c.name());
      }
    } catch (dev.inlet.sql.QueryFailedException e) {
      return "<p class=\"s\">No null chart: " + esc(e.getMessage()) + "</p>";
    }
    if (cols.isEmpty()) {
      return "";
    }
    StringBuilder sql = new StringBuilder("SELECT count(*)");
    for (String c : cols) {
      sql.append(", count(").append(CheckSql.quote(c)).append(')');
    }
    sql.append(" FROM ").append(CheckSql.table(table));
    long[] percent = new long[cols.size()];
    try (QueryResult r = engine.query(sql.toString())) {
      r.next();
      long total = QualityChecks.toLong(r.value(0));
      for (int i = 0; i < cols.size(); i++) {
        long present = QualityChecks.toLong(r.value(i + 1));
        percent[i] = total == 0 ? 0 : Math.round(100.0 * (total - present) / total);
      }
    }
    return "<h3>Null % per column</h3>" + bars("null-percent", cols, percent, "% null", "#ef6c00");
  }

  /** Horizontal bars, one per label. */
  private static String bars(
      String id, List<String> labels, long[] values, String unit, String color) {
    long max = 1;
    for (long v : values) {
      max = Math.max(max, v);
    }
    int rowH = 18;
    int h = labels.size() * rowH + 10;
    int w = 1000;
    int left = 260;
    StringBuilder svg = new StringBuilder("<svg class=\"" + id + "\" width=\"" + w + "\" height=\""
        + h + "\" viewBox=\"0 0 " + w + " " + h + "\" role=\"img\">");
    for (int i = 0; i < labels.size(); i++) {
      double bw = (w - left - 120) * (values[i] / (double) max);
      int y = 5 + i * rowH;
      svg.append("<text x=\"")
          .append(left - 6)
          .append("\" y=\"")
          .append(y + 13)
          .append("\" font-size=\"12\" text-anchor=\"end\">")
          .append(esc(labels.get(i)))
          .append("</text>")
          .append("<rect class=\"bar\" x=\"")
          .append(left)
          .append("\" y=\"")
          .append(y + 2)
          .append("\" width=\"")
          .append(f(Math.max(bw, values[i] > 0 ? 1 : 0)))
          .append("\" height=\"")
          .append(rowH - 4)
          .append("\" fill=\"")
          .append(color)
          .append("\"><title>")
          .append(esc(labels.get(i)))
          .append(": ")
          .append(values[i])
          .append(' ')
          .append(unit)
          .append("</title></rect>")
          .append("<text x=\"")
          .append(f(left + bw + 6))
          .append("\" y=\"")
          .append(y + 13)
          .append("\" font-size=\"12\">")
          .append(values[i])
          .append(' ')
          .append(esc(unit))
          .append("</text>");
    }
    return svg.append("</svg>\n").toString();
  }

  /** A small line per check and partition over the past runs and this one; none on a first run. */
  private String trends(List<CheckResult> current) {
    StringBuilder out = new StringBuilder();
    for (CheckResult r : current) {
      List<Double> values = new ArrayList<>();
      for (CheckResult past : history.results()) {
        if (past.check().name().equals(r.check().name())
            && past.partition().equals(r.partition())
            && !Double.isNaN(past.metric())) {
          values.add(past.metric());
        }
      }
      if (values.isEmpty() || Double.isNaN(r.metric())) {
        continue;
      }
      values.add(r.metric());
      double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
      double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
      double span = max == min ? 1 : max - min;
      StringBuilder pts = new StringBuilder();
      for (int i = 0; i < values.size(); i++) {
        pts.append(f(5 + i * 190.0 / Math.max(1, values.size() - 1)))
            .append(',')
            .append(f(35 - 30 * (values.get(i) - min) / span))
            .append(' ');
      }
      out.append(
              "<div class=\"trend\"><svg class=\"trend\" width=\"200\" height=\"40\" viewBox=\"0 0 200 40\">")
          .append("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"")
          .append(pts.toString().strip())
          .append("\"/></svg> <span class=\"s\">")
          .append(esc(r.check().name()))
          .append(r.partition().isEmpty() ? "" : " [" + esc(r.partition()) + "]")
          .append(": ")
          .append(values.size())
          .append(" runs, now ")
          .append(esc(Check.number(r.metric())))
          .append("</span></div>");
    }
    return out.length() == 0 ? "" : "<h3>Trends over past runs</h3>" + out;
  }

  private static void axes(StringBuilder svg, int x0, int y0, int x1, int y1, long max) {
    svg.append("<line x1=\"")
        .append(x0)
        .append("\" y1=\"")
        .append(y0)
        .append("\" x2=\"")
        .append(x1)
        .append("\" y2=\"")
        .append(y0)
        .append("\" stroke=\"#999\"/><line x1=\"")
        .append(x0)
        .append("\" y1=\"")
        .append(y0)
        .append("\" x2=\"")
        .append(x0)
        .append("\" y2=\"")
        .append(y1)
        .append("\" stroke=\"#999\"/>")
        .append("<text x=\"")
        .append(x0 - 6)
        .append("\" y=\"")
        .append(y1 + 10)
        .append("\" font-size=\"11\" text-anchor=\"end\">")
        .append(max)
        .append("</text><text x=\"")
        .append(x0 - 6)
        .append("\" y=\"")
        .append(y0)
        .append("\" font-size=\"11\" text-anchor=\"end\">0</text>");
  }

  private static String f(double d) {
    return String.format(Locale.ROOT, "%.1f", d);
  }

  static String esc(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<':
          sb.append("&lt;");
          break;
        case '>':
          sb.append("&gt;");
          break;
        case '&':
          sb.append("&amp;");
          break;
        case '"':
          sb.append("&quot;");
          break;
        case '\'':
          sb.append("&#39;");
          break;
        default:
          sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Builds an {@link HtmlReport}; a result is required. */
  public static final class Builder {
    private QualityResult result;
    private SqlEngine engine;
    private QualityHistory history = QualityHistory.none();
    private final List<Series> series = new ArrayList<>();
    private final List<Series> closing = new ArrayList<>();
    private String title = "Data quality report";

    private Builder() {}

    /**
     * Sets the results the page shows.
     *
     * @param result the run's results
     * @return this builder
     */
    public Builder result(QualityResult result) {
      this.result = Objects.requireNonNull(result, "result");
      return this;
    }

    /**
     * Sets the engine the charts read their data through (the null % and the series); stays the caller's.
     *
     * @param engine the engine the charts read their data through
     * @return this builder
     */
    public Builder engine(SqlEngine engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
      return this;
    }

    /**
     * Earlier runs, for the trend of each metric.
     *
     * @param history the results of earlier runs
     * @return this builder
     */
    public Builder history(QualityHistory history) {
      this.history = Objects.requireNonNull(history, "history");
      return this;
    }

    /**
     * Sets the page's title.
     *
     * @param title the title
     * @return this builder
     */
    public Builder title(String title) {
      this.title = Objects.requireNonNull(title, "title");
      return this;
    }

    /**
     * Adds a line to the rows-per-month chart: rows of {@code table} per month of its timestamp {@code column}.
     *
     * @param name the line's label
     * @param table the table counted
     * @param column the timestamp column whose month counts
     * @return this builder
     */
    public Builder series(String name, TableId table, String column) {
      series.add(new Series(
          Objects.requireNonNull(name, "name"),
          Objects.requireNonNull(table, "table"),
          Objects.requireNonNull(column, "column"),
          null));
      return this;
    }

    /**
     * Adds a time-to-close histogram of {@code table}: from {@code opened} to {@code closed} (timestamps).
     *
     * @param name the histogram's label
     * @param table the table read
     * @param opened the timestamp column of the start
     * @param closed the timestamp column of the end
     * @return this builder
     */
    public Builder timeToClose(String name, TableId table, String opened, String closed) {
      closing.add(new Series(
          Objects.requireNonNull(name, "name"),
          Objects.requireNonNull(table, "table"),
          Objects.requireNonNull(opened, "opened"),
          Objects.requireNonNull(closed, "closed")));
      return this;
    }

    /**
     * @return the report
     * @throws IllegalStateException if no result was set, or a chart was added without an engine
     */
    public HtmlReport build() {
      if (result == null) {
        throw new IllegalStateException("Cannot build the report: set result(..)");
      }
      if (engine == null && (!series.isEmpty() || !closing.isEmpty())) {
        throw new IllegalStateException(
            "Cannot build the report: series and time-to-close charts read data;"
                + " set engine(..)");
      }
      return new HtmlReport(this);
    }
  }
}
