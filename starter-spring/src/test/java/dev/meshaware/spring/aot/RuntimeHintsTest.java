package dev.meshaware.spring.aot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.spring.testing.BootTypes;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;

/**
 * The hints the starter gives Spring AOT are found the way Spring finds them ({@code
 * aot.factories}) and cover what it reaches by name on this Boot: the moved interfaces it
 * implements as proxies, the classes that make their bodies, the getters its checks call.
 */
class RuntimeHintsTest {

  @Test
  void registeredThroughAotFactoriesAndCoverThisBootsTypes() throws Exception {
    assertThat(AotServices.factories().load(RuntimeHintsRegistrar.class))
        .anyMatch(registrar -> registrar instanceof MeshawareRuntimeHints);

    RuntimeHints hints = new RuntimeHints();
    new MeshawareRuntimeHints().registerHints(hints, getClass().getClassLoader());

    for (Class<?> proxied :
        new Class<?>[] {
          BootTypes.restTemplateCustomizer(),
          BootTypes.restClientCustomizer(),
          BootTypes.webClientCustomizer(),
          BootTypes.healthIndicator()
        }) {
      assertThat(RuntimeHintsPredicates.proxies().forInterfaces(proxied))
          .as(proxied.getName())
          .accepts(hints);
    }
    for (String body : MeshawareRuntimeHints.BODIES) {
      assertThat(
              RuntimeHintsPredicates.reflection()
                  .onType(Class.forName(body))
                  .withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS))
          .as(body)
          .accepts(hints);
    }
    Class<?> health = Class.forName(BootTypes.healthIndicator().getPackageName() + ".Health");
    assertThat(
            RuntimeHintsPredicates.reflection()
                .onType(health)
                .withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS))
        .accepts(hints);
    assertThat(
            RuntimeHintsPredicates.reflection()
                .onType(org.apache.catalina.connector.Connector.class)
                .withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS))
        .accepts(hints);
  }
}
