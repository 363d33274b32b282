/**
 * How every long-running command stops: on SIGINT (Ctrl-C) or SIGTERM (systemd, the supervisor of
 * `lmdash start`, the tests), the same two signals everywhere.
 */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Calls `handler` on every SIGINT and SIGTERM until the returned function is called.
 * @example const off = onStopSignal(() => controller.abort()); try { await run(); } finally { off(); }
 */
export function onStopSignal(handler: () => void): () => void {
  for (const signal of STOP_SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, handler);
  };
}

/**
 * Resolves at the first SIGINT or SIGTERM, and stops listening then.
 * @example await untilStopSignal(); await server.stop();
 */
export function untilStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const off = onStopSignal(() => {
      off();
      resolve();
    });
  });
}
