package dev.meshaware.agent.instrument.references;

/**
 * One thing an advice (or an auxiliary class) touches in a library: a type, a method or a field, by
 * internal names and descriptor, as found in its bytecode.
 */
public final class Reference {
  /** Which kind of member, with the letter it has in the references file. */
  public enum Kind {
    TYPE('T'),
    METHOD('M'),
    FIELD('F');

    final char letter;

    Kind(char letter) {
      this.letter = letter;
    }

    static Kind of(char letter) {
      for (Kind kind : values()) {
        if (kind.letter == letter) {
          return kind;
        }
      }
      throw new IllegalArgumentException("no reference kind '" + letter + "'");
    }
  }

  private final Kind kind;
  private final String owner;
  private final String name;
  private final String descriptor;

  Reference(Kind kind, String owner, String name, String descriptor) {
    this.kind = kind;
    this.owner = owner;
    this.name = name;
    this.descriptor = descriptor;
  }

  public Kind kind() {
    return kind;
  }

  /** The internal name of the type, or of the type declaring the member. */
  public String owner() {
    return owner;
  }

  /** The member's name; empty for a type. */
  public String name() {
    return name;
  }

  /** The member's descriptor; empty for a type. */
  public String descriptor() {
    return descriptor;
  }

  /** The line this reference has in the references file. */
  String line() {
    return kind == Kind.TYPE
        ? kind.letter + " " + owner
        : kind.letter + " " + owner + " " + name + " " + descriptor;
  }

  static Reference parse(String line) {
    String[] parts = line.trim().split(" ");
    Kind kind = Kind.of(parts[0].charAt(0));
    return kind == Kind.TYPE
        ? new Reference(kind, parts[1], "", "")
        : new Reference(kind, parts[1], parts[2], parts[3]);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Reference && ((Reference) other).line().equals(line());
  }

  @Override
  public int hashCode() {
    return line().hashCode();
  }

  /** For the operator: {@code okhttp3.Request#newBuilder()Lokhttp3/Request$Builder;}. */
  @Override
  public String toString() {
    String type = owner.replace('/', '.');
    return kind == Kind.TYPE ? type : type + "#" + name + descriptor;
  }
}
