package dev.meshaware.spring.propagation;

import dev.meshaware.core.config.MeshawareSettings;
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

  HeaderPolicyInstallation(MeshawareSettings settings) {
    previous = Propagation.policy();
    installed = HeaderPolicy.from(settings);
    Propagation.install(installed);
  }

  @Override
  public void destroy() {
    if (Propagation.policy() == installed) {
      Propagation.install(previous);
    }
  }
}
