import { useEffect, useRef } from 'react';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart as ChartJs,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartData,
} from 'chart.js';

// Only the parts the console draws are registered, so the bundle carries bar and line charts and no more.
ChartJs.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

interface ChartProps {
  testId: string;
  kind: 'bar' | 'line';
  /** Said to screen readers: the chart's title. */
  label: string;
  data: ChartData<'bar' | 'line', (number | null)[], string>;
}

/** A thin React wrapper around one chart.js chart: created on mount, updated in place, destroyed on unmount. */
export function Chart({ testId, kind, label, data }: ChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<ChartJs | null>(null);
  useEffect(() => {
    if (!canvas.current) return;
    chart.current = new ChartJs(canvas.current, {
      type: kind,
      data: data as ChartData,
      options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: 'bottom' } } },
    });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
    // The chart is rebuilt only when its kind changes; data changes update it below.
  }, [kind]);
  useEffect(() => {
    if (!chart.current) return;
    chart.current.data = data as ChartData;
    chart.current.update();
  }, [data]);
  return (
    <div className="chart-box" style={{ position: 'relative', height: '16rem' }}>
      <canvas ref={canvas} data-testid={testId} role="img" aria-label={label} />
    </div>
  );
}
