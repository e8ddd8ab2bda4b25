/**
 * Estimated call quality from what an endpoint measured: the E-model of ITU-T G.107 (06/2015),
 * reduced to the terms a browser's WebRTC statistics can feed, and its mapping to a MOS (Annex B).
 * It explains a disputed call to a person ("MOS 2.3: poor"); it is an estimate for support, not a
 * measurement, and is shown as one.
 */

/** G.107 §7.1 defaults: R0 − Is with every other impairment at its default. */
const R_DEFAULT = 93.2;

/**
 * Ie and Bpl of the codec (G.113 Appendix I): a wide-band codec with packet-loss concealment such
 * as Opus is close to G.711 with PLC; 0 and 25.1.
 */
const EQUIPMENT_IMPAIRMENT = 0;
const PACKET_LOSS_ROBUSTNESS = 25.1;

export interface MeasuredQuality {
  /** Round-trip time, ms. */
  rttMs: number;
  /** Interarrival jitter, ms. */
  jitterMs: number;
  /** Packets lost, percent of those sent. */
  lossPercent: number;
}

/**
 * The transmission rating R. One-way delay Ta is half the round trip plus a jitter buffer of twice
 * the jitter (what adaptive buffers typically hold). Id per §7.3 for Ta beyond 100 ms (the simplified
 * form with echo perfectly cancelled: Idd), Ie,eff per §7.4 with random loss (BurstR = 1).
 */
export function transmissionRating(measured: MeasuredQuality): number {
  const ta = Math.max(0, measured.rttMs / 2 + 2 * measured.jitterMs);
  // §7.3, (7-28)…(7-30): delay impairment Idd above 100 ms; below it is 0.
  let idd = 0;
  if (ta > 100) {
    const x = Math.log(ta / 100) / Math.log(2);
    idd = 25 * (Math.pow(1 + Math.pow(x, 6), 1 / 6) - 3 * Math.pow(1 + Math.pow(x / 3, 6), 1 / 6) + 2);
  }
  // §7.4, (7-29): effective equipment impairment with packet loss Ppl (percent), random loss.
  const ppl = Math.min(100, Math.max(0, measured.lossPercent));
  const ieEff = EQUIPMENT_IMPAIRMENT + ((95 - EQUIPMENT_IMPAIRMENT) * ppl) / (ppl + PACKET_LOSS_ROBUSTNESS);
  return R_DEFAULT - idd - ieEff;
}

/** G.107 Annex B (B-4): R to an estimated conversational MOS, 1 … 4.5. */
export function mosFromRating(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

/** Estimated MOS, rounded to one decimal as it is shown. */
export function estimatedMos(measured: MeasuredQuality): number {
  return Math.round(mosFromRating(transmissionRating(measured)) * 10) / 10;
}
