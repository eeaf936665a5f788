/**
 * A job an app process runs every few seconds (the mail sender, the reminder scheduler): one run at a time — a run
 * asked for while one is under way joins it — a timer that does not keep the process alive, and a stop that waits for
 * the run in progress.
 */
export interface PeriodicJob<T> {
  runOnce(): Promise<T>;
  stop(): Promise<void>;
}

export function startPeriodic<T>(run: () => Promise<T>, options: { intervalMs: number; firstDelayMs?: number }): PeriodicJob<T> {
  let running = true;
  let current: Promise<T> | null = null;
  let timer: NodeJS.Timeout | null = null;
  const runOnce = (): Promise<T> => {
    current ??= run().finally(() => {
      current = null;
    });
    return current;
  };
  const schedule = (delay: number) => {
    if (!running) return;
    timer = setTimeout(() => void runOnce().finally(() => schedule(options.intervalMs)), delay);
    timer.unref();
  };
  schedule(options.firstDelayMs ?? options.intervalMs);
  return {
    runOnce,
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
