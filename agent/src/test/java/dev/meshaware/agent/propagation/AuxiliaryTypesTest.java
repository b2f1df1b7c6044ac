package dev.meshaware.agent.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshaware.agent.instrument.TypeInstrumentation;
import dev.meshaware.agent.library.Libraries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Auxiliary types are listed by name, so the compiler cannot check the list: a nested class left
 * off it would be missing from the application's class loader and fail only at run time.
 */
class AuxiliaryTypesTest {

  @Test
  void everyNestedClassOfAnAuxiliaryTypeIsListedWithIt() throws Exception {
    List<TypeInstrumentation> all = new ArrayList<>(Libraries.everyInstrumentation());
    for (TypeInstrumentation instrumentation : all) {
      for (String name : instrumentation.auxiliaryTypes()) {
        Class<?> type = Class.forName(name, false, getClass().getClassLoader());
        assertThat(Arrays.stream(type.getNestHost().getNestMembers()).map(Class::getName))
            .as(instrumentation.name() + ": nest of " + name)
            .allMatch(instrumentation.auxiliaryTypes()::contains);
      }
    }
  }
}
