package dev.meshaware.agent.diagnostics;

import dev.meshaware.agent.diagnostics.okhttp.BufferedBodyPrefix;
import dev.meshaware.agent.instrument.AdviceSpec;
import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.core.diagnostics.MeshDiagnostics;
import dev.meshaware.core.diagnostics.MeshFailureClassifier;
import java.util.List;
import net.bytebuddy.asm.Advice;
import okhttp3.Response;

/**
 * Lets OkHttp's diagnostics see the start of an HTTP/1 body without reading it: when the codec
 * opens the body of a response a sidecar may have sent, the bytes already in the connection's
 * buffer are copied (see {@link BufferedBodyPrefix}), never consumed and never waited for. The
 * response the application gets is recorded by {@link OkHttpDiagnosticsInstrumentation}. HTTP/2
 * responses have no such buffer: they are classified on status and headers.
 */
public final class OkHttpBodyPrefixInstrumentation implements TypeInstrumentation {
  /** Named, not referenced: the agent itself must never load a class that uses OkHttp. */
  static final String BUFFERED_BODY_PREFIX =
      "dev.meshaware.agent.diagnostics.okhttp.BufferedBodyPrefix";

  @Override
  public String name() {
    return "okhttp-body-prefix";
  }

  @Override
  public List<String> typeNames() {
    return List.of("okhttp3.internal.http1.Http1ExchangeCodec");
  }

  @Override
  public List<AdviceSpec> advice() {
    return List.of(
        AdviceSpec.method("openResponseBodySource", OpenBodyAdvice.class, "okhttp3.Response"));
  }

  @Override
  public List<String> auxiliaryTypes() {
    return List.of(BUFFERED_BODY_PREFIX);
  }

  /** Copies what is already buffered of a body a sidecar may have sent. */
  public static final class OpenBodyAdvice {
    private OpenBodyAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object codec, @Advice.Argument(0) Response response) {
      if (MeshDiagnostics.isActive() && MeshFailureClassifier.mayComeFromSidecar(response.code())) {
        BufferedBodyPrefix.remember(codec, response);
      }
    }
  }
}
