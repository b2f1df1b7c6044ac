package dev.meshaware.agent.instrument.references;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Set;
import java.util.stream.Collectors;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

/** What the scanner finds in bytecode, and what the check says of members a version lacks. */
class ReferenceScannerTest {

  /** Stands in for an advice: touches a library type, a method on it, and the JDK. */
  static final class UsesOkHttp {
    static String use(Request request) {
      return request.header("x").toUpperCase() + request.newBuilder().build().method();
    }
  }

  @Test
  void findsTheLibraryTypesAndMethodsAClassTouchesAndNothingOfTheJdk() throws IOException {
    Set<String> found =
        new ReferenceScanner(ReferenceGenerator::isLibrary)
            .scan(bytesOf(UsesOkHttp.class)).references().stream()
                .map(Reference::toString)
                .collect(Collectors.toSet());

    assertThat(found)
        .contains(
            "okhttp3.Request",
            "okhttp3.Request#header(Ljava/lang/String;)Ljava/lang/String;",
            "okhttp3.Request#newBuilder()Lokhttp3/Request$Builder;",
            "okhttp3.Request$Builder#build()Lokhttp3/Request;")
        .noneMatch(r -> r.startsWith("java."));
  }

  @Test
  void aMemberOrTypeTheLibraryLacksIsNamedAndPresentOnesPass() throws IOException {
    TypePool pool =
        TypePool.Default.of(ClassFileLocator.ForClassLoader.of(getClass().getClassLoader()));
    String file =
        "@Advice\n"
            + "T okhttp3/Request\n"
            + "M okhttp3/Request header (Ljava/lang/String;)Ljava/lang/String;\n"
            + "@Missing\n"
            + "M okhttp3/Request teleport ()V\n"
            + "@Gone\n"
            + "T okhttp3/NoSuchThing\n"
            + "@Inherited\n"
            + "M okhttp3/Request hashCode ()I\n";
    ReferenceIndex index =
        ReferenceIndex.read(new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)));

    assertThat(ReferenceCheck.problem(index.of("Advice"), pool)).isNull();
    assertThat(ReferenceCheck.problem(index.of("Inherited"), pool)).isNull();
    assertThat(ReferenceCheck.problem(index.of("Missing"), pool))
        .isEqualTo("no method okhttp3.Request#teleport()V");
    assertThat(ReferenceCheck.problem(index.of("Gone"), pool))
        .isEqualTo("no class okhttp3.NoSuchThing");
    assertThat(new ArrayList<>(index.of("Nobody"))).isEmpty();
  }

  private static byte[] bytesOf(Class<?> type) throws IOException {
    try (InputStream in =
        type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }
}
