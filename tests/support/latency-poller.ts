/**
 * Another person using the application while something heavy happens: a worker thread (latency-poller-worker.mjs) requesting
 * pages one after another with a signed-in visitor's cookie, each timed from send to last byte. Used by the import
 * load test (every request answered) and the bench (how long the slowest took).
 */
import { Worker } from 'node:worker_threads';
import type { Visitor } from './server';

export interface PollAnswer {
  path: string;
  status: number;
  ms: number;
}

export interface PollSummary {
  polls: number;
  slowest: PollAnswer;
  /** The five slowest, as "path N ms", for a printed line. */
  worst: string[];
  /** Every answer's time, ascending, for percentiles. */
  sortedMs: number[];
  failed: PollAnswer[];
}

export class LatencyPoller {
  private readonly worker: Worker;
  private readonly answers: Promise<PollAnswer[]>;

  constructor(visitor: Visitor, paths: string[]) {
    this.worker = new Worker(new URL('./latency-poller-worker.mjs', import.meta.url), { workerData: { baseUrl: visitor.baseUrl, cookie: visitor.sessionCookie, paths } });
    this.answers = new Promise((resolve, reject) => {
      this.worker.once('message', resolve);
      this.worker.once('error', reject);
    });
  }

  /** Stops after the request under way and sums up: how many, the slowest, and any that did not answer 200. */
  async stop(): Promise<PollSummary> {
    this.worker.postMessage('stop');
    const answers = await this.answers;
    await this.worker.terminate();
    const slowest = answers.reduce((a, b) => (b.ms > a.ms ? b : a), { path: '', status: 0, ms: 0 });
    const worst = [...answers].sort((a, b) => b.ms - a.ms).slice(0, 5).map((a) => `${a.path} ${Math.round(a.ms)} ms`);
    return { polls: answers.length, slowest, worst, sortedMs: answers.map((a) => a.ms).sort((a, b) => a - b), failed: answers.filter((a) => a.status !== 200) };
  }
}
