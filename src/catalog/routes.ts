import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ServiceContext } from '../platform/context.js';
import { listCurrentCatalogue } from './catalog.js';
import { catalogConsoleRoutes } from './console-routes.js';
import { buildPriceList } from './price-list.js';
import { PriceListSchema } from './price-list-schema.js';

/** The public price list (agreement clause 2): no sign-in, generated from the catalogue in force now; then the console's editing routes. */
export async function catalogRoutes(parent: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;
  app.get(
    '/api/catalog/price-list',
    {
      schema: {
        tags: ['catalog'],
        summary: 'The published price list: plans, credit-limit choices and terminals, in fen and formatted',
        querystring: Type.Object({
          lang: Type.Union([Type.Literal('zh-CN'), Type.Literal('en')], { default: 'zh-CN', description: 'Language of names and words' }),
        }),
        response: { 200: PriceListSchema },
      },
    },
    async (request) => buildPriceList(await listCurrentCatalogue(ctx), ctx.settings, request.query.lang),
  );

  await catalogConsoleRoutes(parent, { ctx });
}
