package dev.meshaware.agent.instrument;

import java.security.ProtectionDomain;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;

/**
 * Defines the {@linkplain TypeInstrumentation#auxiliaryTypes() auxiliary types} of a transformed
 * class in that class's loader, just before the class itself is defined.
 *
 * <p>{@code ForAdvice.auxiliary(...)} only declares them as types the transformed class requires;
 * which of those get defined is the builder's initialization strategy's call, and none of Byte
 * Buddy's own fits: the one {@code disableClassFormatChanges()} selects defines none, {@code
 * Minimal} defines only types Byte Buddy generated itself, and the self-injecting ones add a type
 * initializer to the transformed class, which retransformation forbids. This one changes nothing in
 * the class and defines every required type, through the builder's injection strategy ({@link
 * DefineClassInjection}).
 */
enum AuxiliaryTypes implements AgentBuilder.InitializationStrategy {
  INJECT;

  @Override
  public Dispatcher dispatcher() {
    return DISPATCHER;
  }

  private static final Dispatcher DISPATCHER =
      new Dispatcher() {
        @Override
        public DynamicType.Builder<?> apply(DynamicType.Builder<?> builder) {
          return builder;
        }

        @Override
        public void register(
            DynamicType dynamicType,
            ClassLoader loader,
            ProtectionDomain protectionDomain,
            AgentBuilder.InjectionStrategy injection) {
          Set<TypeDescription> auxiliaries = dynamicType.getAuxiliaryTypeDescriptions();
          // The bootstrap loader sees no library, so an auxiliary type could not link there.
          if (!auxiliaries.isEmpty() && loader != null) {
            injection.resolve(loader, protectionDomain).inject(auxiliaries, dynamicType);
          }
        }
      };
}
