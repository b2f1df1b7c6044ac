package dev.meshaware.agent.instrument.references;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;

/**
 * Checks references against the classes a loader can see, through a {@link TypePool} (class files
 * are read, never loaded): every type exists, every method and field exists on the type or one of
 * its supertypes with the same descriptor.
 */
public final class ReferenceCheck {
  private ReferenceCheck() {}

  /** Null when every reference holds; else what is missing, for one debug line. */
  public static String problem(Collection<Reference> references, TypePool pool) {
    for (Reference reference : references) {
      TypePool.Resolution resolution = pool.describe(reference.owner().replace('/', '.'));
      if (!resolution.isResolved()) {
        return "no class " + reference.owner().replace('/', '.');
      }
      if (reference.kind() == Reference.Kind.TYPE) {
        continue;
      }
      try {
        if (!declared(resolution.resolve(), reference)) {
          return "no "
              + reference.kind().name().toLowerCase(java.util.Locale.ROOT)
              + " "
              + reference;
        }
      } catch (RuntimeException e) {
        return "cannot read the supertypes of " + reference.owner().replace('/', '.') + ": " + e;
      }
    }
    return null;
  }

  private static boolean declared(TypeDescription owner, Reference reference) {
    Deque<TypeDefinition> pending = new ArrayDeque<>();
    Set<String> seen = new HashSet<>();
    pending.add(owner);
    while (!pending.isEmpty()) {
      TypeDescription type = pending.poll().asErasure();
      if (!seen.add(type.getName())) {
        continue;
      }
      if (reference.kind() == Reference.Kind.METHOD) {
        for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
          if (method.getInternalName().equals(reference.name())
              && method.getDescriptor().equals(reference.descriptor())) {
            return true;
          }
        }
      } else {
        for (FieldDescription.InDefinedShape field : type.getDeclaredFields()) {
          if (field.getName().equals(reference.name())
              && field.getDescriptor().equals(reference.descriptor())) {
            return true;
          }
        }
      }
      if (type.getSuperClass() != null) {
        pending.add(type.getSuperClass());
      }
      pending.addAll(type.getInterfaces());
    }
    return false;
  }
}
