package dev.meshaware.spring.propagation;

import dev.meshaware.core.log.MeshLog;
import java.util.Set;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.ResolvableType;
import org.springframework.core.type.MethodMetadata;
import org.springframework.kafka.config.AbstractKafkaListenerContainerFactory;
import org.springframework.kafka.listener.CompositeRecordInterceptor;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.util.ClassUtils;

/**
 * Puts {@link RecordHeadersRecordInterceptor} first in the record interceptors of each
 * {@code @KafkaListener} container factory, composed with the interceptor the factory already has
 * (the application's keeps running, after it, on the same records).
 *
 * <p>Why a post-processor and not a bean Spring Boot picks up: Boot applies a {@code
 * RecordInterceptor} or {@code ContainerCustomizer} bean only when it is the only one (a second
 * {@code ContainerCustomizer} even fails the start), so a bean of ours would switch the
 * application's off. Composing on the factory leaves the application's beans and their selection as
 * they are.
 *
 * <p>Spring Kafka 3.4 and later say which interceptor a factory holds, so every factory is covered.
 * Spring Kafka 3.3 (Spring Boot 3.5) does not: there the factory Spring Boot makes is covered,
 * whose interceptor is by Boot's rule the application's only {@code RecordInterceptor} bean, if
 * any; a factory the application makes itself is left alone, with one line saying how to add it.
 */
final class ListenerContainerFactoryPostProcessor implements BeanPostProcessor, BeanFactoryAware {
  private static final boolean FACTORY_TELLS_ITS_INTERCEPTOR =
      ClassUtils.hasMethod(AbstractKafkaListenerContainerFactory.class, "getRecordInterceptor");

  /** Where Spring Boot 3.5 and 4.0 declare the listener container factory they make. */
  private static final Set<String> BOOT_FACTORY_DECLARED_BY =
      Set.of(
          "org.springframework.boot.autoconfigure.kafka.KafkaAnnotationDrivenConfiguration",
          "org.springframework.boot.kafka.autoconfigure.KafkaAnnotationDrivenConfiguration");

  private final RecordHeadersRecordInterceptor<Object, Object> interceptor =
      new RecordHeadersRecordInterceptor<>();
  private ConfigurableListableBeanFactory beans;

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beans = (ConfigurableListableBeanFactory) beanFactory;
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (!(bean instanceof AbstractKafkaListenerContainerFactory)) {
      return bean;
    }
    AbstractKafkaListenerContainerFactory factory = (AbstractKafkaListenerContainerFactory) bean;
    RecordInterceptor<Object, Object> present;
    if (FACTORY_TELLS_ITS_INTERCEPTOR) {
      present = factory.getRecordInterceptor();
    } else if (madeBySpringBoot(beanName)) {
      present = applicationsOnlyInterceptor();
    } else if (Boolean.TRUE.equals(factory.isBatchListener())) {
      // Its listeners take whole batches, which record interceptors never see: nothing to say.
      return bean;
    } else {
      MeshLog.info(
          "@KafkaListener containers of factory '"
              + beanName
              + "' do not make their records' trace headers current: this Spring Kafka does not"
              + " say which RecordInterceptor the factory holds; add"
              + " dev.meshaware.spring.propagation.RecordHeadersRecordInterceptor first, e.g."
              + " factory.setRecordInterceptor(new CompositeRecordInterceptor<>(new"
              + " RecordHeadersRecordInterceptor<>(), yours))");
      return bean;
    }
    if (present instanceof RecordHeadersRecordInterceptor) {
      return bean;
    }
    factory.setRecordInterceptor(
        present == null ? interceptor : new CompositeRecordInterceptor<>(interceptor, present));
    return bean;
  }

  /** Spring Boot's own rule for the factory it makes: the only such bean, or none. */
  private RecordInterceptor<Object, Object> applicationsOnlyInterceptor() {
    return beans
        .<RecordInterceptor<Object, Object>>getBeanProvider(
            ResolvableType.forClassWithGenerics(
                RecordInterceptor.class, Object.class, Object.class))
        .getIfUnique();
  }

  private boolean madeBySpringBoot(String beanName) {
    if (!beans.containsBeanDefinition(beanName)) {
      return false;
    }
    BeanDefinition definition = beans.getBeanDefinition(beanName);
    if (!(definition instanceof AnnotatedBeanDefinition)) {
      return false;
    }
    MethodMetadata method = ((AnnotatedBeanDefinition) definition).getFactoryMethodMetadata();
    return method != null && BOOT_FACTORY_DECLARED_BY.contains(method.getDeclaringClassName());
  }
}
