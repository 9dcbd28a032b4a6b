package dev.integrations.s3;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import dev.integrations.s3.config.OperatorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Switches the console log to JSON lines when configured; text is logback.xml's default. */
final class Logging {
  private Logging() {}

  static void configure(OperatorConfig.LogFormat format) {
    if (format != OperatorConfig.LogFormat.JSON
        || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("json");
    appender.setEncoder(encoder);
    appender.start();
    root.addAppender(appender);
  }
}
