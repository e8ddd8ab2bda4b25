/**
 * Call quality from RTCPeerConnection.getStats() (W3C webrtc-stats): what the quality panel shows each
 * second and what the report sent at the end of the call summarises. Rates come from the difference
 * between two samples; counters are cumulative since the call started.
 */
export interface QualitySample {
  at: number;
  /** Kilobits per second over the last interval. */
  sendKbps: number;
  receiveKbps: number;
  /** Percentage of inbound packets lost over the whole call. */
  lossPercent: number;
  packetsLost: number;
  rttMs: number | null;
  jitterMs: number | null;
  fps: number | null;
  width: number | null;
  height: number | null;
  framesDecoded: number;
  audioPacketsReceived: number;
  videoPacketsReceived: number;
  audioCodec: string | null;
  videoCodec: string | null;
  localCandidateType: string | null;
  remoteCandidateType: string | null;
  /** udp/tcp/tls between this browser and the TURN server when the local candidate is a relay. */
  relayProtocol: string | null;
}

type Stat = Record<string, unknown> & { id: string; type: string };

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export class QualitySampler {
  last: QualitySample | null = null;
  #previous: { at: number; sent: number; received: number } | null = null;

  constructor(private readonly pc: RTCPeerConnection) {}

  async sample(): Promise<QualitySample> {
    const report = await this.pc.getStats();
    const stats = new Map<string, Stat>();
    report.forEach((value: Stat) => stats.set(value.id, value));
    const all = [...stats.values()];

    let bytesSent = 0;
    let bytesReceived = 0;
    let packetsLost = 0;
    let packetsReceived = 0;
    let audioPacketsReceived = 0;
    let videoPacketsReceived = 0;
    let framesDecoded = 0;
    let fps: number | null = null;
    let width: number | null = null;
    let height: number | null = null;
    let jitterMs: number | null = null;
    let audioCodec: string | null = null;
    let videoCodec: string | null = null;
    const codecName = (id: unknown) => str(stats.get(String(id))?.mimeType)?.split('/')[1] ?? null;

    for (const stat of all) {
      if (stat.type === 'outbound-rtp') bytesSent += num(stat.bytesSent);
      if (stat.type !== 'inbound-rtp') continue;
      bytesReceived += num(stat.bytesReceived);
      packetsLost += Math.max(0, num(stat.packetsLost));
      packetsReceived += num(stat.packetsReceived);
      if (stat.kind === 'audio') {
        audioPacketsReceived += num(stat.packetsReceived);
        jitterMs = num(stat.jitter) * 1000;
        audioCodec = codecName(stat.codecId) ?? audioCodec;
      } else if (stat.kind === 'video') {
        videoPacketsReceived += num(stat.packetsReceived);
        framesDecoded += num(stat.framesDecoded);
        fps = typeof stat.framesPerSecond === 'number' ? stat.framesPerSecond : fps;
        width = typeof stat.frameWidth === 'number' ? stat.frameWidth : width;
        height = typeof stat.frameHeight === 'number' ? stat.frameHeight : height;
        videoCodec = codecName(stat.codecId) ?? videoCodec;
      }
    }

    const transport = all.find((stat) => stat.type === 'transport');
    const pair =
      stats.get(String(transport?.selectedCandidatePairId)) ??
      all.find((stat) => stat.type === 'candidate-pair' && stat.nominated === true && stat.state === 'succeeded');
    const local = pair ? stats.get(String(pair.localCandidateId)) : undefined;
    const remote = pair ? stats.get(String(pair.remoteCandidateId)) : undefined;

    const at = performance.now();
    const previous = this.#previous;
    const seconds = previous ? (at - previous.at) / 1000 : 0;
    const rate = (now: number, before: number) => (seconds > 0 ? Math.max(0, ((now - before) * 8) / 1000 / seconds) : 0);
    this.#previous = { at, sent: bytesSent, received: bytesReceived };

    const sample: QualitySample = {
      at: Date.now(),
      sendKbps: previous ? Math.round(rate(bytesSent, previous.sent)) : 0,
      receiveKbps: previous ? Math.round(rate(bytesReceived, previous.received)) : 0,
      lossPercent: packetsReceived + packetsLost > 0 ? Math.round((packetsLost / (packetsReceived + packetsLost)) * 10000) / 100 : 0,
      packetsLost,
      rttMs: typeof pair?.currentRoundTripTime === 'number' ? Math.round(pair.currentRoundTripTime * 1000) : null,
      jitterMs: jitterMs === null ? null : Math.round(jitterMs * 10) / 10,
      fps,
      width,
      height,
      framesDecoded,
      audioPacketsReceived,
      videoPacketsReceived,
      audioCodec,
      videoCodec,
      localCandidateType: str(local?.candidateType),
      remoteCandidateType: str(remote?.candidateType),
      relayProtocol: str(local?.relayProtocol),
    };
    this.last = sample;
    return sample;
  }
}
