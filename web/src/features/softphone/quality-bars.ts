import type { QualitySample } from './quality';

/** 0–4 bars, as a phone shows signal; `poor` is what the call screen warns about. */
export interface ConnectionGrade {
  bars: 0 | 1 | 2 | 3 | 4;
  poor: boolean;
  /** Loss over the last interval (the sample's own figure is over the whole call), in percent. */
  recentLossPercent: number;
}

/**
 * Thresholds per figure: at or below the first a figure costs nothing, each one passed costs a bar.
 * RTT after ITU-T G.114 (mouth-to-ear under 150 ms is transparent, over 400 ms unacceptable; RTT is
 * twice the one-way delay, less the jitter buffer and codec delay, hence 300/600/1000 ms); loss and
 * jitter after what WebRTC's audio (Opus with FEC) and video conceal well: under 2 % and 30 ms nobody
 * notices, over 10 % and 100 ms speech breaks up.
 */
const thresholds = {
  rttMs: [300, 600, 1000, 1500],
  lossPercent: [2, 5, 10, 20],
  jitterMs: [30, 60, 100, 200],
} as const;

function cost(value: number | null, limits: readonly number[]): number {
  if (value === null) return 0;
  return limits.filter((limit) => value > limit).length;
}

/**
 * Grades the connection from the last two samples. The worst figure decides (a call with perfect
 * delay but 15 % loss is a bad call), and loss is taken over the last interval so that a burst at the
 * start does not mark the rest of the call.
 */
export function gradeConnection(previous: QualitySample | null, current: QualitySample): ConnectionGrade {
  const received = current.audioPacketsReceived + current.videoPacketsReceived;
  let recentLossPercent = current.lossPercent;
  if (previous) {
    const lost = Math.max(0, current.packetsLost - previous.packetsLost);
    const got = Math.max(0, received - (previous.audioPacketsReceived + previous.videoPacketsReceived));
    recentLossPercent = lost + got > 0 ? Math.round((lost / (lost + got)) * 1000) / 10 : 0;
  }
  const worst = Math.max(
    cost(current.rttMs, thresholds.rttMs),
    cost(recentLossPercent, thresholds.lossPercent),
    cost(current.jitterMs, thresholds.jitterMs),
  );
  const bars = Math.max(0, 4 - worst) as ConnectionGrade['bars'];
  return { bars, poor: bars <= 1, recentLossPercent };
}
