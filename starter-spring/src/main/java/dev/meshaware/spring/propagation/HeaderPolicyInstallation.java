package dev.meshaware.spring.propagation;

import dev.meshaware.core.config.MeshawareKeys;
import dev.meshaware.core.config.MeshawareSettings;
import dev.meshaware.core.log.MeshLog;
import dev.meshaware.core.propagation.HeaderPolicy;
import dev.meshaware.core.propagation.Propagation;
import org.springframework.beans.factory.DisposableBean;

/**
 * Turns core's header forwarding on with the policy the settings describe, for as long as the
 * application context lives. Core keeps one policy per process; closing the context puts back the
 * one it replaced (nothing, usually), so a closed context leaves no forwarding behind.
 */
final class HeaderPolicyInstallation implements DisposableBean {
  private final HeaderPolicy installed;
  private final HeaderPolicy previous;

  /**
   * @param install false: leave the policy in place (the agent's, attached to a JVM whose
   *     configuration Spring AOT fixed at build time)
   */
  HeaderPolicyInstallation(MeshawareSettings settings, boolean install) {
    previous = Propagation.policy();
    if (!install) {
      installed = previous;
      return;
    }
    installed = HeaderPolicy.from(settings);
    Propagation.install(installed);
    if (installed.excludedHosts().isConfigured()) {
      // Said once, where it applies: without the agent nobody sees the requests an HTTP client
      // sends by itself when it follows a redirect.
      MeshLog.info(
          MeshawareKeys.PROPAGATION_EXCLUDE_HOSTS.key()
              + " applies to the first request of each RestTemplate, RestClient, WebClient and"
              + " Feign call; a redirect their HTTP client follows by itself carries what the first"
              + " request carried, to any host (OkHttpClient beans are checked at every request)."
              + " To keep headers off excluded hosts behind redirects, run the meshaware agent or"
              + " let those clients not follow redirects");
    }
  }

  @Override
  public void destroy() {
    if (Propagation.policy() == installed) {
      Propagation.install(previous);
    }
  }
}
