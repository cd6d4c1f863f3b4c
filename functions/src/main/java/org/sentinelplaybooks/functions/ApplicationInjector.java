package org.sentinelplaybooks.functions;

import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;

/**
 * Hands the Functions worker its function objects, built with their dependencies from the one
 * composition root (the worker asks once per invocation; the root is built once per process).
 */
public final class ApplicationInjector implements FunctionInstanceInjector {
  @Override
  public <T> T getInstance(Class<T> functionClass) throws Exception {
    if (functionClass == PlaybookFunctions.class) {
      return functionClass.cast(new PlaybookFunctions(Application.playbooks()));
    }
    if (functionClass == ReconcileFunctions.class) {
      return functionClass.cast(new ReconcileFunctions(Application.playbooks()));
    }
    if (functionClass == ExpireBlocksFunction.class) {
      return functionClass.cast(new ExpireBlocksFunction(Application.playbooks()));
    }
    return functionClass.getDeclaredConstructor().newInstance();
  }
}
