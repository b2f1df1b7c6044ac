package dev.meshaware.agent.apps;

/**
 * Loads whatever {@code okhttp3.OkHttpClient} is on the class path and calls its {@code
 * newCall(String)}: a library of another shape than the advice was written for.
 */
public final class ShapeMismatchApp {
  private ShapeMismatchApp() {}

  public static void main(String[] args) throws Exception {
    Class<?> client = Class.forName("okhttp3.OkHttpClient");
    Object instance = client.getConstructor().newInstance();
    Object result = client.getMethod("newCall", String.class).invoke(instance, "call");
    System.out.println("APP-RESULT " + result);
  }
}
