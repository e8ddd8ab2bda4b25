import { systemActor } from '../../src/audit/index.js';
import { loadDemoCatalogue } from '../../src/demo/load-demo.js';
import { receiveUnit } from '../../src/devices/index.js';
import type { ServiceContext } from '../../src/platform/context.js';

let catalogueLoaded = new WeakSet<ServiceContext>();

/** A unit of the demo catalogue's vp-t100 received into stock; returns its inventory id. */
export async function stockUnit(ctx: ServiceContext, serialNumber: string, mac: string): Promise<string> {
  if (!catalogueLoaded.has(ctx)) {
    await loadDemoCatalogue(ctx);
    catalogueLoaded.add(ctx);
  }
  const result = await receiveUnit(ctx, { modelCode: 'vp-t100', serialNumber, mac }, systemActor);
  if (!result.ok) throw new Error(result.failure.message);
  return result.value.id;
}

export function resetStockUnits(): void {
  catalogueLoaded = new WeakSet();
}
