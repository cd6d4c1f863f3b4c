package org.sentinelplaybooks.functions;

import com.microsoft.azure.functions.ExecutionContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** A hand-written invocation context whose logger keeps what it is given. */
final class FakeExecutionContext implements ExecutionContext {
  final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Logger logger = Logger.getAnonymousLogger();

  FakeExecutionContext() {
    logger.setUseParentHandlers(false);
    logger.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
  }

  @Override
  public Logger getLogger() {
    return logger;
  }

  @Override
  public String getInvocationId() {
    return "3f1c2a9e-0000-4000-8000-000000000001";
  }

  @Override
  public String getFunctionName() {
    return "close-incident";
  }
}
