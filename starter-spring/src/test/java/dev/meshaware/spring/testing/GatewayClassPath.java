package dev.meshaware.spring.testing;

import dev.meshaware.spring.MeshawareAutoConfiguration;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Spring Cloud Gateway, kept off the tests' class path: on it, Gateway WebFlux stops every servlet
 * application and Gateway MVC turns every application into a gateway (and changes Boot's redirect
 * default). The build lists its jars in {@code meshaware.test.gatewayClassPath}; a gateway test
 * application loads one flavour's through {@link #loader} on top of the tests' own classes. That
 * loader defines the starter's classes again, its own copy first, as in an application whose one
 * class loader sees both: the starter's gateway support links against gateway types, which the
 * tests' class loader cannot see.
 */
public enum GatewayClassPath {
  /** Gateway Server WebFlux (and its Reactor add-ons). */
  WEBFLUX("spring-cloud-(starter-)?gateway-server-(webflux-)?[0-9].*|reactor-extra-.*"),
  /** Gateway Server Web MVC. */
  WEBMVC("spring-cloud-(starter-)?gateway-server-(webmvc|mvc)-[0-9].*");

  private static final Pattern ANY_FLAVOUR = Pattern.compile(".*gateway-server.*|reactor-extra-.*");

  private final Pattern jars;

  GatewayClassPath(String jars) {
    this.jars = Pattern.compile(jars);
  }

  /** True when this build resolved this flavour for its Spring Boot version. */
  public boolean resolved() {
    return !jars().isEmpty();
  }

  /**
   * A loader that sees this flavour's jars and the starter, then everything {@code parent} sees.
   */
  public ClassLoader loader(ClassLoader parent) {
    List<URL> urls = new ArrayList<>(jars());
    urls.add(MeshawareAutoConfiguration.class.getProtectionDomain().getCodeSource().getLocation());
    for (File jar : listed()) {
      if (!ANY_FLAVOUR.matcher(jar.getName()).matches()) {
        urls.add(url(jar)); // what both flavours bring (Boot's properties migrator)
      }
    }
    return new StarterFirst("gateway-" + name().toLowerCase(Locale.ROOT), urls, parent);
  }

  private List<URL> jars() {
    List<URL> urls = new ArrayList<>();
    for (File jar : listed()) {
      if (jars.matcher(jar.getName()).matches()) {
        urls.add(url(jar));
      }
    }
    return urls;
  }

  private static List<File> listed() {
    List<File> files = new ArrayList<>();
    for (String entry :
        System.getProperty("meshaware.test.gatewayClassPath", "").split(File.pathSeparator)) {
      if (!entry.isBlank() && !entry.startsWith("${")) {
        files.add(new File(entry));
      }
    }
    return files;
  }

  /** Loads the starter's classes ({@code dev.meshaware.spring.*}) from its own URLs first. */
  private static final class StarterFirst extends URLClassLoader {
    private static final String STARTER = "dev.meshaware.spring.";

    StarterFirst(String name, List<URL> urls, ClassLoader parent) {
      super(name, urls.toArray(new URL[0]), parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith(STARTER)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null) {
          try {
            loaded = findClass(name);
          } catch (ClassNotFoundException testClass) {
            return super.loadClass(name, resolve);
          }
        }
        if (resolve) {
          resolveClass(loaded);
        }
        return loaded;
      }
    }
  }

  private static URL url(File jar) {
    try {
      return jar.toURI().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalStateException(jar.toString(), e);
    }
  }
}
