/**
 * Where a V8 CPU profile (`node --cpu-prof`) spent its time: self time summed per function, per file
 * and per package, optionally only over given windows of time (the bench's measured steps, so that
 * start-up and migrations stay out of the figures).
 *
 *   npx tsx bench/cpu-profile-summary.ts <file.cpuprofile> [windows.json] [--top N]
 *
 * windows.json: `[{ "label": "…", "startMicros": n, "endMicros": n }]` on the monotonic clock that
 * both V8's profile timestamps and `process.hrtime` read on Linux (CLOCK_MONOTONIC), as written by
 * bench/sip-bench.ts next to the profile.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileWindow {
  label: string;
  startMicros: number;
  endMicros: number;
}

export interface ProfileSummary {
  /** Sampled time inside the windows (or the whole profile), in milliseconds. */
  totalMs: number;
  idleMs: number;
  byFunction: Array<{ name: string; ms: number }>;
  byFile: Array<{ name: string; ms: number }>;
  byPackage: Array<{ name: string; ms: number }>;
}

/** `node_modules/kysely/…` → `kysely`; `node:internal/…` → `node internals`; our files → `src/…`. */
function packageOf(url: string): string {
  if (!url) return '(native or V8)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.startsWith('node:')) return 'node internals';
  const ours = /\/(src|dist\/server)\/([^/]+)\//.exec(url);
  if (ours) return `ours: ${ours[2]}`;
  return 'other';
}

function shortFile(url: string): string {
  if (!url) return '(native or V8)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const ours = /\/((?:src|dist\/server)\/.*)$/.exec(url);
  return ours ? ours[1]! : url.replace(/^file:\/\//, '');
}

function sortedEntries(totals: Map<string, number>, top: number): Array<{ name: string; ms: number }> {
  return [...totals.entries()]
    .map(([name, micros]) => ({ name, ms: micros / 1000 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top);
}

export function summarizeProfile(profile: CpuProfile, windows: ProfileWindow[] = [], top = 30): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const inWindow = (time: number) => windows.length === 0 || windows.some((w) => time >= w.startMicros && time <= w.endMicros);
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i += 1) {
    time += profile.timeDeltas[i] ?? 0;
    // A sample's weight is the time until the next one (the last one weighs as its predecessor).
    const weight = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    if (!inWindow(time)) continue;
    const node = nodes.get(profile.samples[i]!);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    total += weight;
    if (functionName === '(idle)') {
      idle += weight;
      continue;
    }
    const file = shortFile(url);
    const name = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + weight);
    byFile.set(file, (byFile.get(file) ?? 0) + weight);
    const pkg = packageOf(url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + weight);
  }
  return {
    totalMs: total / 1000,
    idleMs: idle / 1000,
    byFunction: sortedEntries(byFunction, top),
    byFile: sortedEntries(byFile, top),
    byPackage: sortedEntries(byPackage, top),
  };
}

/** Shares of the busy (non-idle) time, as text. */
export function formatSummary(summary: ProfileSummary): string {
  const busy = summary.totalMs - summary.idleMs;
  const lines = [`sampled ${summary.totalMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms, busy ${busy.toFixed(0)} ms`];
  const section = (title: string, rows: Array<{ name: string; ms: number }>) => {
    lines.push('', `${title} (self time, share of busy):`);
    for (const row of rows)
      lines.push(`${row.ms.toFixed(0).padStart(8)} ms ${((100 * row.ms) / busy).toFixed(1).padStart(5)} %  ${row.name}`);
  };
  section('by package', summary.byPackage);
  section('by file', summary.byFile);
  section('by function', summary.byFunction);
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 30;
  const [file, windowsFile] = args;
  if (!file) throw new Error('usage: tsx bench/cpu-profile-summary.ts <file.cpuprofile> [windows.json] [--top N]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const windows = windowsFile ? (JSON.parse(readFileSync(windowsFile, 'utf8')) as ProfileWindow[]) : [];
  process.stdout.write(formatSummary(summarizeProfile(profile, windows, top)) + '\n');
}
