import { describe, expect, it } from 'vitest';
import { historyOutcome } from '../../web/src/features/softphone/history-outcome';
import { gradeConnection } from '../../web/src/features/softphone/quality-bars';
import type { QualitySample } from '../../web/src/features/softphone/quality';
import { parsePeerState, remoteSendsVideo } from '../../web/src/features/softphone/remote-state';
import { toneFor } from '../../web/src/features/softphone/ringer';

describe('history outcomes', () => {
  const entry = (
    direction: 'incoming' | 'outgoing',
    status: 'ringing' | 'answered' | 'completed' | 'failed' | 'cancelled',
    finalStatus: number | null,
    missed = false,
  ) => ({
    direction,
    status,
    finalStatus,
    missed,
  });

  it('labels each way a call ends, from each side', () => {
    expect(historyOutcome(entry('outgoing', 'completed', 200))).toBe('answered');
    expect(historyOutcome(entry('incoming', 'completed', 200))).toBe('answered');
    expect(historyOutcome(entry('outgoing', 'failed', 603))).toBe('declined');
    expect(historyOutcome(entry('incoming', 'failed', 603))).toBe('declined');
    expect(historyOutcome(entry('outgoing', 'cancelled', 487))).toBe('cancelled');
    expect(historyOutcome(entry('incoming', 'cancelled', 487, true))).toBe('missed');
    expect(historyOutcome(entry('outgoing', 'failed', 486))).toBe('busy');
    expect(historyOutcome(entry('outgoing', 'failed', 408))).toBe('no-answer');
    expect(historyOutcome(entry('outgoing', 'failed', 480))).toBe('unreachable');
    expect(historyOutcome(entry('outgoing', 'failed', 404))).toBe('failed');
    expect(historyOutcome(entry('outgoing', 'ringing', null))).toBe('ringing');
  });
});

describe('the other side sends video, by its SDP (RFC 3264)', () => {
  const sdp = (video: string) =>
    ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=sendrecv', ...video.split('\n')].join('\r\n');

  it('reads the video direction, the port and the session-level default', () => {
    expect(remoteSendsVideo(sdp('m=video 9 UDP/TLS/RTP/SAVPF 96\na=sendrecv'))).toBe(true);
    expect(remoteSendsVideo(sdp('m=video 9 UDP/TLS/RTP/SAVPF 96\na=sendonly'))).toBe(true);
    expect(remoteSendsVideo(sdp('m=video 9 UDP/TLS/RTP/SAVPF 96\na=recvonly'))).toBe(false);
    expect(remoteSendsVideo(sdp('m=video 9 UDP/TLS/RTP/SAVPF 96\na=inactive'))).toBe(false);
    expect(remoteSendsVideo(sdp('m=video 0 UDP/TLS/RTP/SAVPF 96\na=sendrecv'))).toBe(false);
    // An audio-only phone is not "camera off".
    expect(remoteSendsVideo(sdp(''))).toBe(true);
    expect(remoteSendsVideo('v=0\r\na=inactive\r\nm=video 9 RTP/AVP 96\r\n')).toBe(false);
  });

  it('parses the state INFO body and ignores anything else', () => {
    expect(parsePeerState('{"muted":true,"cameraOff":false}')).toEqual({ muted: true, cameraOff: false });
    expect(parsePeerState('{"cameraOff":true}')).toEqual({ muted: false, cameraOff: true });
    expect(parsePeerState('not json')).toBeNull();
    expect(parsePeerState('7')).toBeNull();
    expect(parsePeerState(undefined)).toBeNull();
  });
});

describe('quality bars', () => {
  const sample = (patch: Partial<QualitySample>): QualitySample => ({
    at: 0,
    sendKbps: 500,
    receiveKbps: 500,
    lossPercent: 0,
    packetsLost: 0,
    rttMs: 20,
    jitterMs: 5,
    fps: 30,
    width: 640,
    height: 480,
    framesDecoded: 100,
    audioPacketsReceived: 1000,
    videoPacketsReceived: 1000,
    audioCodec: 'opus',
    videoCodec: 'VP8',
    localCandidateType: 'host',
    remoteCandidateType: 'host',
    relayProtocol: null,
    ...patch,
  });

  it('gives four bars to a clean call and takes one per threshold the worst figure passes', () => {
    expect(gradeConnection(null, sample({}))).toMatchObject({ bars: 4, poor: false });
    expect(gradeConnection(null, sample({ rttMs: 700 }))).toMatchObject({ bars: 2, poor: false });
    expect(gradeConnection(null, sample({ jitterMs: 150 }))).toMatchObject({ bars: 1, poor: true });
    expect(gradeConnection(null, sample({ rttMs: 2000 }))).toMatchObject({ bars: 0, poor: true });
  });

  it('judges loss over the last interval, not the whole call', () => {
    const before = sample({ packetsLost: 500, lossPercent: 20, audioPacketsReceived: 1000, videoPacketsReceived: 1000 });
    const clean = sample({ packetsLost: 500, lossPercent: 18, audioPacketsReceived: 1100, videoPacketsReceived: 1100 });
    expect(gradeConnection(before, clean)).toMatchObject({ bars: 4, recentLossPercent: 0 });
    const lossy = sample({ packetsLost: 530, lossPercent: 20, audioPacketsReceived: 1100, videoPacketsReceived: 1100 });
    expect(gradeConnection(before, lossy)).toMatchObject({ bars: 1, poor: true, recentLossPercent: 13 });
  });
});

describe('which tone plays', () => {
  it('rings while a call comes in, and gives ringback while the called phone rings without early media', () => {
    expect(toneFor(null)).toBeNull();
    expect(toneFor({ direction: 'incoming', phase: 'incoming', earlyMedia: false })).toBe('ringtone');
    expect(toneFor({ direction: 'incoming', phase: 'connecting', earlyMedia: false })).toBeNull();
    expect(toneFor({ direction: 'outgoing', phase: 'calling', earlyMedia: false })).toBeNull();
    expect(toneFor({ direction: 'outgoing', phase: 'ringing', earlyMedia: false })).toBe('ringback');
    expect(toneFor({ direction: 'outgoing', phase: 'ringing', earlyMedia: true })).toBeNull();
    expect(toneFor({ direction: 'outgoing', phase: 'active', earlyMedia: false })).toBeNull();
  });
});
