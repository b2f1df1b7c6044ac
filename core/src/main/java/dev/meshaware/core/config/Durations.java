package dev.meshaware.core.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/**
 * Reads durations as operators write them ({@code 250ms}, {@code 5s}, {@code 2m}) and prints them.
 */
public final class Durations {
  /** The accepted form, quoted in every message about a bad duration. */
  public static final String ACCEPTED_FORM =
      "a duration such as 250ms, 5s, 1.5s, 2m or 1h, or a whole number of milliseconds";

  private Durations() {}

  /**
   * Parses {@code text}; throws {@link IllegalArgumentException} for anything else, negative values
   * included.
   */
  public static Duration parse(String text) {
    String trimmed = text.trim().toLowerCase(Locale.ROOT);
    int unitStart = 0;
    while (unitStart < trimmed.length()
        && (Character.isDigit(trimmed.charAt(unitStart)) || trimmed.charAt(unitStart) == '.')) {
      unitStart++;
    }
    String number = trimmed.substring(0, unitStart);
    String unit = trimmed.substring(unitStart).trim();
    if (number.isEmpty() || number.startsWith(".") || number.endsWith(".")) {
      throw new IllegalArgumentException("not a duration");
    }
    BigDecimal amount;
    try {
      amount = new BigDecimal(number);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a duration");
    }
    long nanosPerUnit;
    switch (unit) {
      case "":
      case "ms":
        nanosPerUnit = 1_000_000L;
        break;
      case "s":
        nanosPerUnit = 1_000_000_000L;
        break;
      case "m":
        nanosPerUnit = 60_000_000_000L;
        break;
      case "h":
        nanosPerUnit = 3_600_000_000_000L;
        break;
      default:
        throw new IllegalArgumentException("unknown unit '" + unit + "'");
    }
    if (unit.isEmpty() && amount.scale() > 0) {
      throw new IllegalArgumentException("a number without unit must be whole milliseconds");
    }
    BigDecimal nanos = amount.multiply(BigDecimal.valueOf(nanosPerUnit));
    if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException("too large");
    }
    return Duration.ofNanos(nanos.longValue());
  }

  /**
   * Seconds with two decimals for log lines, e.g. {@code 1.84 s}. Written out by hand: the first
   * {@code String.format} of a JVM loads the formatter and the locale data, tens of milliseconds
   * that the gate's verdict line and the last lines of a shutdown would otherwise add.
   */
  public static String seconds(Duration duration) {
    long hundredths = (duration.toNanos() + 5_000_000) / 10_000_000;
    long fraction = hundredths % 100;
    return hundredths / 100 + (fraction < 10 ? ".0" : ".") + fraction + " s";
  }

  /** The shortest config text for a duration, e.g. {@code 60s}, {@code 50ms}. */
  public static String text(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 60_000 == 0 && millis != 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1000 == 0 && millis != 0) {
      return millis / 1000 + "s";
    }
    return millis + "ms";
  }
}
