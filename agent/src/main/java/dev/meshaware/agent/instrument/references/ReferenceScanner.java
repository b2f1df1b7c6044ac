package dev.meshaware.agent.instrument.references;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Predicate;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Reads a class file and collects every type, method and field of a library it touches: those
 * {@code isLibrary} accepts (by internal name of the owner). Used when the agent is built, so that
 * the shape check at run time covers exactly what the advice uses, with no hand-kept list.
 */
public final class ReferenceScanner {
  private final Predicate<String> isLibrary;
  private final Set<Reference> found = new LinkedHashSet<>();

  public ReferenceScanner(Predicate<String> isLibrary) {
    this.isLibrary = isLibrary;
  }

  /** Adds the references of the class file {@code bytes}. */
  public ReferenceScanner scan(byte[] bytes) {
    new ClassReader(bytes).accept(new Collector(), ClassReader.SKIP_DEBUG);
    return this;
  }

  /** What was found so far. */
  public Set<Reference> references() {
    return found;
  }

  private void type(Type type) {
    while (type.getSort() == Type.ARRAY) {
      type = type.getElementType();
    }
    if (type.getSort() == Type.OBJECT) {
      typeName(type.getInternalName());
    } else if (type.getSort() == Type.METHOD) {
      type(type.getReturnType());
      for (Type argument : type.getArgumentTypes()) {
        type(argument);
      }
    }
  }

  private void typeName(String internalName) {
    if (internalName.startsWith("[")) {
      type(Type.getType(internalName));
    } else if (isLibrary.test(internalName)) {
      found.add(new Reference(Reference.Kind.TYPE, internalName, "", ""));
    }
  }

  private void member(Reference.Kind kind, String owner, String name, String descriptor) {
    if (owner.startsWith("[")) {
      return; // array methods (clone) belong to the JDK
    }
    typeName(owner);
    type(Type.getType(descriptor));
    if (isLibrary.test(owner)) {
      found.add(new Reference(kind, owner, name, descriptor));
    }
  }

  private final class Collector extends ClassVisitor {
    Collector() {
      super(Opcodes.ASM9);
    }

    @Override
    public void visit(
        int version, int access, String name, String signature, String superName, String[] ifaces) {
      if (superName != null) {
        typeName(superName);
      }
      if (ifaces != null) {
        for (String each : ifaces) {
          typeName(each);
        }
      }
    }

    @Override
    public FieldVisitor visitField(
        int access, String name, String descriptor, String signature, Object value) {
      type(Type.getType(descriptor));
      return null;
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      type(Type.getMethodType(descriptor));
      return new MethodVisitor(Opcodes.ASM9) {
        @Override
        public void visitTypeInsn(int opcode, String type) {
          typeName(type);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
          member(Reference.Kind.FIELD, owner, name, descriptor);
        }

        @Override
        public void visitMethodInsn(
            int opcode, String owner, String name, String descriptor, boolean isInterface) {
          member(Reference.Kind.METHOD, owner, name, descriptor);
        }

        @Override
        public void visitLdcInsn(Object value) {
          if (value instanceof Type) {
            type((Type) value);
          }
        }

        @Override
        public void visitInvokeDynamicInsn(
            String name, String descriptor, Handle bootstrap, Object... arguments) {
          type(Type.getMethodType(descriptor));
          for (Object argument : arguments) {
            if (argument instanceof Handle) {
              Handle handle = (Handle) argument;
              member(Reference.Kind.METHOD, handle.getOwner(), handle.getName(), handle.getDesc());
            } else if (argument instanceof Type) {
              type((Type) argument);
            }
          }
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int dimensions) {
          type(Type.getType(descriptor));
        }

        @Override
        public void visitTryCatchBlock(
            net.bytebuddy.jar.asm.Label start,
            net.bytebuddy.jar.asm.Label end,
            net.bytebuddy.jar.asm.Label handler,
            String type) {
          if (type != null) {
            typeName(type);
          }
        }
      };
    }
  }
}
