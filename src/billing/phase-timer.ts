/** Milliseconds since the last call, added up by phase name. */
export function phaseTimer(): ((name: string) => void) & { totals(): Record<string, number> } {
  let last = performance.now();
  const totals: Record<string, number> = {};
  const mark = (name: string) => {
    const now = performance.now();
    totals[name] = (totals[name] ?? 0) + (now - last);
    last = now;
  };
  return Object.assign(mark, { totals: () => totals });
}
