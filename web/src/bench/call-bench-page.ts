/**
 * The page `npm run bench:call` drives (bench/call-bench.ts builds and serves it): the softphone's own
 * PhoneEngine (JsSIP) with credentials handed in, so our server and the reference server are called by
 * the same client, and whatever the softphone does about call setup shows in both columns. Not part of
 * the app's build (nothing in index.html imports it).
 *
 * Times are read on the machine's clock (performance.timeOrigin + now), which both pages share. Every
 * SIP message over the WebSocket (one message per frame, RFC 7118 §4) is stamped as it leaves and
 * before JsSIP reads it, so the milestones are those of the protocol, not of the UI.
 */
import { openMedia } from '../features/softphone/media';
import { PhoneEngine, type IceSettings, type PhoneState } from '../features/softphone/phone-engine';
import type { TurnCredentials } from '../features/softphone/softphone-api';
import { TurnCredentialCache } from '../features/softphone/turn-credential-cache';
import type { BenchPhoneConfig, SipFrame } from './bench-contract';

interface Marks {
  dialAt: number | null;
  answerAt: number | null;
  firstFrameAt: number | null;
}

const now = () => performance.timeOrigin + performance.now();
const frames: SipFrame[] = [];
let sockets = 0;

function record(socket: number, out: boolean, data: unknown): void {
  if (typeof data !== 'string') return;
  const firstLine = data.slice(0, data.indexOf('\r\n'));
  const status = /^SIP\/2\.0 (\d{3})/.exec(firstLine);
  frames.push({
    at: now(),
    socket,
    out,
    method: /^CSeq:\s*\d+\s+(\S+)/im.exec(data)?.[1] ?? '',
    status: status ? Number(status[1]) : null,
    callId: /^(?:Call-ID|i):\s*(\S+)/im.exec(data)?.[1] ?? '',
  });
}

// JsSIP opens `new WebSocket(uri, 'sip')`; this subclass stamps the frames. Its message listener is
// added in the constructor, before JsSIP sets onmessage, so it runs first.
class TimedWebSocket extends WebSocket {
  readonly benchSocket = ++sockets;
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    this.addEventListener('message', (event) => record(this.benchSocket, false, event.data));
  }
  override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
    record(this.benchSocket, true, data);
    super.send(data);
  }
}
window.WebSocket = TimedWebSocket;

const pcLog: string[] = [];
class TimedPeerConnection extends RTCPeerConnection {
  readonly created = now();
  constructor(config?: RTCConfiguration) {
    super(config);
    const t = () => Math.round(now() - this.created);
    this.addEventListener('icecandidate', (e) =>
      pcLog.push(
        `${t()} ${e.candidate ? `${e.candidate.type}/${e.candidate.sdpMid}/${e.candidate.protocol}/${e.candidate.address}` : 'end'}`,
      ),
    );
    this.addEventListener('icegatheringstatechange', () => pcLog.push(`${t()} gathering ${this.iceGatheringState}`));
    this.addEventListener('iceconnectionstatechange', () => pcLog.push(`${t()} ice ${this.iceConnectionState}`));
    this.addEventListener('connectionstatechange', () => pcLog.push(`${t()} conn ${this.connectionState}`));
    pcLog.push(`0 created ${JSON.stringify({ ...config, iceServers: undefined })}`);
  }
  override setLocalDescription(d?: RTCLocalSessionDescriptionInit): Promise<void> {
    pcLog.push(`${Math.round(now() - this.created)} sld ${d?.type}`);
    return super.setLocalDescription(d);
  }
  override setRemoteDescription(d: RTCSessionDescriptionInit): Promise<void> {
    pcLog.push(`${Math.round(now() - this.created)} srd ${d.type}`);
    return super.setRemoteDescription(d);
  }
}
window.RTCPeerConnection = TimedPeerConnection;

const remoteVideo = document.getElementById('remote') as HTMLVideoElement;
let engine: PhoneEngine | null = null;
let config: BenchPhoneConfig | null = null;
let marks: Marks = { dialAt: null, answerAt: null, firstFrameAt: null };
let answering = false;

// As the softphone does: TURN credentials from the page's own server (here the bench's), fetched ahead.
const turnCredentials = new TurnCredentialCache(async () => (await fetch('/turn-credentials')).json() as Promise<TurnCredentials>);
turnCredentials.prefetch();

async function iceSettings(): Promise<IceSettings> {
  const turn = await turnCredentials.get();
  return {
    iceServers: [{ urls: turn.urls, username: turn.username, credential: turn.credential }],
    iceTransportPolicy: config?.relayOnly ? 'relay' : 'all',
  };
}

function onState(state: PhoneState): void {
  if (remoteVideo.srcObject !== state.remoteStream) remoteVideo.srcObject = state.remoteStream;
  if (config?.autoAnswer && state.call?.phase === 'incoming' && !answering) {
    answering = true;
    marks.answerAt = now();
    void engine!.answer();
  }
  if (state.call === null) answering = false;
}

function newEngine(settings: BenchPhoneConfig, stream: MediaStream | null): PhoneEngine {
  const created = new PhoneEngine({
    credentials: {
      deviceId: 'bench',
      number: settings.number,
      displayName: null,
      authorizationUsername: settings.username,
      password: settings.password,
      domain: settings.domain,
      wsUri: settings.wsUri,
    },
    ice: iceSettings,
    getMedia: () => openMedia({ cameraId: null, microphoneId: null, speakerId: null, relayOnly: settings.relayOnly }),
    onCallEnded: () => undefined,
    onProblem: (what, detail) => console.warn(`softphone: ${what}`, JSON.stringify(detail)),
  });
  created.subscribe(() => onState(created.getState()));
  // The softphone opens the camera for its preview when it starts, before any call.
  if (stream) created.setLocalStream(stream);
  return created;
}

function registered(target: PhoneEngine): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const { registration } = target.getState();
      if (registration === 'registered') resolve();
      else if (registration === 'failed') reject(new Error('registration failed'));
      else return false;
      unsubscribe();
      return true;
    };
    const unsubscribe = target.subscribe(() => void check());
    check();
  });
}

/** The page's surface for the bench (called through page.evaluate). */
const bench = {
  frames,
  pcLog,
  async start(settings: BenchPhoneConfig): Promise<void> {
    config = settings;
    const stream = await openMedia({ cameraId: null, microphoneId: null, speakerId: null, relayOnly: settings.relayOnly });
    engine = newEngine(settings, stream);
    engine.start();
    await registered(engine);
  },
  /** Stops the phone and starts a new one (a page load): returns the new WebSocket's number. */
  async restart(): Promise<number> {
    const stream = engine!.getState().localStream;
    engine!.stop();
    // Let the old registration's removal finish before the new one starts.
    await new Promise((resolve) => setTimeout(resolve, 300));
    engine = newEngine(config!, stream);
    const socket = sockets + 1;
    engine.start();
    await registered(engine);
    return socket;
  },
  /** Resets the marks and watches for the next remote frame (the element is emptied between calls). */
  arm(): void {
    marks = { dialAt: null, answerAt: null, firstFrameAt: null };
    const onFrame = () => {
      if (remoteVideo.srcObject) marks.firstFrameAt ??= now();
      else remoteVideo.requestVideoFrameCallback(onFrame);
    };
    remoteVideo.requestVideoFrameCallback(onFrame);
  },
  dial(number: string): void {
    marks.dialAt = now();
    void engine!.call(number);
  },
  marks: (): Marks => marks,
  callId: (): string | null => engine!.getState().call?.callId ?? null,
  idle: (): boolean => engine!.getState().call === null,
  notice: (): string | null => JSON.stringify(engine!.getState().notice),
  hangUp: (): Promise<void> => engine!.hangUp(),
};

declare global {
  interface Window {
    bench: typeof bench;
  }
}
window.bench = bench;
