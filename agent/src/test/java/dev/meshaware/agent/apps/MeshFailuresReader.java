package dev.meshaware.agent.apps;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/** Reads an attribute of the agent's MBean inside the application, as a JMX client would. */
final class MeshFailuresReader {
  private MeshFailuresReader() {}

  static String read(String attribute) {
    try {
      Object value =
          ManagementFactory.getPlatformMBeanServer()
              .getAttribute(new ObjectName("dev.meshaware:type=MeshFailures"), attribute);
      if (value instanceof TabularData) {
        List<String> entries = new ArrayList<>();
        for (Object row : ((TabularData) value).values()) {
          CompositeData entry = (CompositeData) row;
          entries.add(entry.get("key") + "=" + entry.get("value"));
        }
        entries.sort(null);
        return String.join(",", entries);
      }
      return String.valueOf(value);
    } catch (Exception e) {
      return "error " + e;
    }
  }
}
