import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cyclesOf, moduleEdges, runtimeImports, type ModuleEdge } from '../support/import-graph.js';

const srcRoot = fileURLToPath(new URL('../../src', import.meta.url));

function describeCycles(edges: readonly ModuleEdge[], cycles: readonly string[][]): string {
  return cycles
    .map((cycle) => {
      const inside = edges.filter((edge) => cycle.includes(edge.from) && cycle.includes(edge.to));
      return `${cycle.join(' ⇄ ')}:\n${inside.map((edge) => `  ${edge.from} → ${edge.to} (${edge.via})`).join('\n')}`;
    })
    .join('\n');
}

/**
 * Cycles still to remove, each with the work that removes it. None is left: the last one
 * (entitlements ⇄ subscribers) went when the service started wiring subscribers' state mirror into
 * entitlements (`mirrorSuspensionStateTo`). A cycle added back makes this test fail.
 */
const cyclesBeingRemoved: string[][] = [];

describe('module imports in src/', () => {
  it('form no cycle: a module never reaches itself again through the modules it imports', () => {
    const edges = moduleEdges(srcRoot);
    const cycles = cyclesOf(edges).sort((a, b) => a.join().localeCompare(b.join()));
    expect(cycles, `import cycles between modules:\n${describeCycles(edges, cycles)}`).toEqual(cyclesBeingRemoved);
  });

  it('are read as the runtime sees them: type-only imports are erased, re-exports and import() count', () => {
    const text = [
      "import type { A } from './erased-1.js';",
      "import { type B, type C } from './erased-2.js';",
      "export type { D } from './erased-3.js';",
      "import { e, type F } from './kept-1.js';",
      "export { g } from './kept-2.js';",
      "export * from './kept-3.js';",
      "import './kept-4.js';",
      "const h = await import('./kept-5.js');",
      "import pino from 'pino';",
    ].join('\n');
    expect(runtimeImports('example.ts', text)).toEqual(['./kept-1.js', './kept-2.js', './kept-3.js', './kept-4.js', './kept-5.js']);
  });

  it('show a cycle when there is one, with the imports that make it', () => {
    const edges: ModuleEdge[] = [
      { from: 'contacts', to: 'portal-auth', via: 'contacts/routes.ts' },
      { from: 'subscribers', to: 'contacts', via: 'subscribers/export.ts' },
      { from: 'contacts', to: 'subscribers', via: 'contacts/routes.ts' },
      { from: 'billing', to: 'subscribers', via: 'billing/routes.ts' },
    ];
    expect(cyclesOf(edges)).toEqual([['contacts', 'subscribers']]);
  });
});
