package dev.meshaware.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * Matches unless {@code meshaware.enabled} is false, read the way core reads it (any case; an
 * invalid value means the default, true), so the switch means the same to the starter and the
 * agent. Never matches when the meshaware core in this JVM is another version than the starter's
 * (an agent of another release beside it): see {@link CoreCompatibility}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@Conditional(OnMeshawareEnabledCondition.class)
public @interface ConditionalOnMeshawareEnabled {}
