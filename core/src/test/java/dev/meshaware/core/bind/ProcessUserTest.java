package dev.meshaware.core.bind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
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
  void readsThisProcessAsTheOwnerOfTheFilesItCreates() throws Exception {
    assumeTrue(Files.isReadable(Paths.get("/proc/self/status")), "Linux only, as pods are");
    Path created = Files.createTempFile("process-user", ".tmp");
    try {
      // A new file belongs to the effective user: an independent reading of the same id.
      int owner = (Integer) Files.getAttribute(created, "unix:uid");
      assertThat(ProcessUser.effectiveUid()).isEqualTo(owner);
    } finally {
      Files.delete(created);
    }
  }
}
