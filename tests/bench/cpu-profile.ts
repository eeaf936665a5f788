/**
 * Where a server's time goes: `npx tsx tests/bench/cpu-profile.ts FILE.cpuprofile [FROM_S TO_S]` prints the CPU
 * profile's self time by package or source file, then by function, optionally only between two seconds of the
 * profile (a bench phase). Profile the app under load with
 * `TEST_SERVER_NODE_FLAGS="--cpu-prof --cpu-prof-dir=DIR" npm run bench -- load`; each server writes its profile
 * when it stops (the main thread's file ends in .0.001.cpuprofile).
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const root = pathToFileURL(`${process.cwd()}/`).href;

function sourceOf(url: string): string {
  const inPackage = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (inPackage) return `npm:${inPackage[1]}`;
  return url.startsWith(root) ? url.slice(root.length) : url;
}

/** Self time per source and per function, in microseconds, of the samples between `fromS` and `toS`. */
export function selfTimes(profile: CpuProfile, fromS = 0, toS = Infinity): { total: number; bySource: Map<string, number>; byFunction: Map<string, number> } {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const bySource = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let clock = 0;
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    clock += delta;
    if (clock < fromS * 1e6 || clock > toS * 1e6) return;
    const frame = nodes.get(id)!.callFrame;
    const source = sourceOf(frame.url) || frame.functionName || '(native)';
    const fn = `${frame.functionName || '(anonymous)'} ${source}:${frame.lineNumber + 1}`;
    bySource.set(source, (bySource.get(source) ?? 0) + delta);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + delta);
    total += delta;
  });
  return { total, bySource, byFunction };
}

function main(): void {
  const [file, from, to] = process.argv.slice(2);
  if (!file) throw new Error('Usage: npx tsx tests/bench/cpu-profile.ts FILE.cpuprofile [FROM_S TO_S]');
  const { total, bySource, byFunction } = selfTimes(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(from ?? 0), Number(to ?? Infinity));
  const print = (title: string, times: Map<string, number>, rows: number) => {
    console.log(title);
    for (const [name, time] of [...times].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(`${((100 * time) / total).toFixed(1).padStart(6)} %  ${name}`);
  };
  console.log(`${(total / 1000).toFixed(0)} ms of samples`);
  print('Self time by source', bySource, 20);
  print('Self time by function', byFunction, 40);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
