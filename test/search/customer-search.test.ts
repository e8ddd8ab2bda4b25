import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyPlugin, PluginTransformQueryArgs, RootOperationNode } from 'kysely';
import type { ServiceContext } from '../../src/platform/context.js';
import { searchCustomers } from '../../src/search/index.js';
import { createSubscriberWithIdentity } from '../../src/subscribers/index.js';
import { available, engines } from '../support/engines.js';
import { startTestService, type TestService } from '../support/test-service.js';

/** A PRC resident ID born 1980-01-01 with sequence `n` and its ISO 7064 MOD 11-2 check character. */
function residentId(n: number): string {
  const body = `110105${'19800101'}${String(n).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((total, digit, i) => total + Number(digit) * weights[i]!, 0);
  return body + '10X98765432'[sum % 11]!;
}

/** Counts what the search asks of its surroundings: statements sent and sealed values opened. */
function observed(ctx: ServiceContext): { ctx: ServiceContext; statements: () => number; opened: () => number; reset: () => void } {
  let statements = 0;
  let opened = 0;
  const counter: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      statements++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  const cipher = { ...ctx.cipher, open: (sealed: string, context: string) => (opened++, ctx.cipher.open(sealed, context)) };
  return {
    ctx: { ...ctx, db: ctx.db.withPlugin(counter), cipher },
    statements: () => statements,
    opened: () => opened,
    reset: () => {
      statements = 0;
      opened = 0;
    },
  };
}

describe.each(engines)('a staff search on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;

    beforeAll(async () => {
      service = await startTestService(engine);
      // Thirty namesakes: more than a page of people holding every n-gram of the name.
      for (let n = 1; n <= 30; n++) {
        const result = await createSubscriberWithIdentity(
          service.ctx,
          {
            kind: 'individual',
            identity: { fullName: '张伟民', birthDate: '1980-01-01', idType: 'prc_resident_id', idNumber: residentId(n) },
            idType: 'prc_resident_id',
            idNumber: residentId(n),
          },
          { type: 'anonymous', id: null, name: null },
        );
        if (!result.ok) throw new Error(result.failure.message);
      }
    });
    afterAll(() => service?.close());

    it('for a name held by thirty people shows five, opening only the five sealed names it shows, in two statements', async () => {
      const probe = observed(service.ctx);
      const { results } = await searchCustomers(probe.ctx, { q: '张伟民', limit: 5, mayReadBilling: false });
      expect(results).toHaveLength(5);
      expect(results.every((hit) => hit.maskedName === '张**' && hit.matchedBy === 'name')).toBe(true);
      expect(probe.opened()).toBe(5);
      // The people with their names, then their numbers.
      expect(probe.statements()).toBe(2);
    });

    it('pages through the namesakes in a stable order, each shown once', async () => {
      const probe = observed(service.ctx);
      const all = await searchCustomers(probe.ctx, { q: '张伟民', limit: 50, mayReadBilling: false });
      expect(new Set(all.results.map((hit) => hit.subscriberId)).size).toBe(30);
      const first = await searchCustomers(probe.ctx, { q: '张伟民', limit: 5, mayReadBilling: false });
      expect(first.results.map((hit) => hit.subscriberId)).toEqual(all.results.slice(0, 5).map((hit) => hit.subscriberId));
    });

    it('for the last four of an ID opens only the names it shows', async () => {
      const probe = observed(service.ctx);
      const { results } = await searchCustomers(probe.ctx, { q: residentId(7).slice(-4), limit: 10, mayReadBilling: false });
      expect(results.map((hit) => hit.matchedBy)).toEqual(['id-last-four']);
      expect(probe.opened()).toBe(1);
    });
  });
});
