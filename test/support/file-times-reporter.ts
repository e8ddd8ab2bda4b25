import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Where a run's time goes, file by file: the whole file (hooks included), its tests, and the rest
 * (`beforeAll`/`afterAll` and the like: starting services, browsers, engines). The JSON reporter
 * only has the tests' part. Written to test-output/file-times.json; the slowest are printed.
 */
export default class FileTimesReporter implements Reporter {
  readonly #rows: { file: string; project: string; totalMs: number; testsMs: number; hooksMs: number; importMs: number }[] = [];

  onTestModuleEnd(module: TestModule): void {
    const diagnostic = module.diagnostic();
    let testsMs = 0;
    for (const test of module.children.allTests()) testsMs += test.diagnostic()?.duration ?? 0;
    this.#rows.push({
      file: path.relative(process.cwd(), module.moduleId),
      project: module.project.name,
      totalMs: Math.round(diagnostic.duration),
      testsMs: Math.round(testsMs),
      hooksMs: Math.round(diagnostic.duration - testsMs),
      importMs: Math.round(diagnostic.collectDuration),
    });
  }

  onTestRunEnd(): void {
    const rows = this.#rows.sort((a, b) => b.totalMs - a.totalMs);
    const sum = (key: 'totalMs' | 'testsMs' | 'hooksMs' | 'importMs') =>
      Math.round(rows.reduce((total, row) => total + row[key], 0) / 1000);
    mkdirSync('test-output', { recursive: true });
    writeFileSync('test-output/file-times.json', JSON.stringify(rows, null, 1));
    console.log(
      `\nfile times (s, summed over ${rows.length} files): whole ${sum('totalMs')}, tests ${sum('testsMs')}, hooks ${sum('hooksMs')}, collecting ${sum('importMs')}`,
    );
    for (const row of rows.slice(0, 15))
      console.log(`  ${(row.totalMs / 1000).toFixed(0).padStart(4)} s  (hooks ${(row.hooksMs / 1000).toFixed(0)} s)  ${row.file}`);
  }
}
