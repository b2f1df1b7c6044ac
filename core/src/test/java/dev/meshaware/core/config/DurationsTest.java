package dev.meshaware.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "250ms, 250",
    "5s, 5000",
    "2m, 120000",
    "1h, 3600000",
    "1.5s, 1500",
    "1500, 1500",
    "0, 0",
    " 10S , 10000",
    "3 s, 3000"
  })
  void readsTheFormsOperatorsWrite(String text, long millis) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "s",
        "-5s",
        "5x",
        "five",
        "1.5",
        "5 sec",
        ".5s",
        "5.s",
        "1e3",
        "99999999999999h"
      })
  void rejectsEverythingElse(String text) {
    assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({"60000, 1m", "5000, 5s", "50, 50ms", "0, 0ms", "1500, 1500ms"})
  void printsTheShortestConfigText(long millis, String text) {
    assertThat(Durations.text(Duration.ofMillis(millis))).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource({
    "1840, 1.84 s",
    "0, 0.00 s",
    "60000, 60.00 s",
    "7, 0.01 s",
    "1999, 2.00 s",
    "1004, 1.00 s",
    "123456, 123.46 s"
  })
  void printsSecondsForLogLines(long millis, String text) {
    assertThat(Durations.seconds(Duration.ofMillis(millis))).isEqualTo(text);
  }
}
