package dev.meshaware.core.bind;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessUserTest {

  @Test
  void readsTheEffectiveUidFromProcStatus() {
    List<String> status = List.of("Name:\tjava", "Umask:\t0022", "Uid:\t1000\t1337\t1337\t1337");
    assertThat(ProcessUser.effectiveUid(status)).isEqualTo(1337);
  }

  @Test
  void isUnknownWithoutAUsableUidLine() {
    assertThat(ProcessUser.effectiveUid(List.of("Name:\tjava"))).isEqualTo(ProcessUser.UNKNOWN);
    assertThat(ProcessUser.effectiveUid(List.of("Uid:\tx\ty"))).isEqualTo(ProcessUser.UNKNOWN);
  }

  @Test
  void readsThisProcess() {
    int uid = ProcessUser.effectiveUid();
    assertThat(uid).isGreaterThanOrEqualTo(ProcessUser.UNKNOWN);
  }
}
