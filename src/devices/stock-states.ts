/**
 * A terminal unit's stock states and the moves between them, as data. The operator's stock holds a
 * unit until it is reserved for an order, shipped and delivered; a unit may come back (returned) for
 * a warranty claim, go to repair, be scrapped, or be refurbished into stock.
 */
export const STOCK_STATES = ['in_stock', 'reserved', 'shipped', 'delivered', 'returned', 'in_repair', 'scrapped'] as const;
export type StockState = (typeof STOCK_STATES)[number];

const MOVES: Record<StockState, readonly StockState[]> = {
  in_stock: ['reserved', 'in_repair', 'scrapped'],
  reserved: ['in_stock', 'shipped'],
  // A parcel the carrier could not deliver comes back.
  shipped: ['delivered', 'returned'],
  delivered: ['returned', 'in_repair'],
  returned: ['in_repair', 'in_stock', 'scrapped', 'shipped'],
  in_repair: ['delivered', 'shipped', 'in_stock', 'scrapped', 'returned'],
  scrapped: [],
};

export function canMove(from: StockState, to: StockState): boolean {
  return MOVES[from].includes(to);
}

export function isStockState(value: string): value is StockState {
  return (STOCK_STATES as readonly string[]).includes(value);
}
