package dev.meshaware.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * Matches when the starter does the feature in this application ({@link MeshawareFeatures}):
 * meshaware is on, the meshaware agent does not do it already, and it has something to do here. The
 * conditions report gives the reason either way.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@Conditional(OnMeshawareFeatureCondition.class)
public @interface ConditionalOnMeshawareFeature {
  /** The feature. */
  MeshawareFeatures.Feature value();
}
