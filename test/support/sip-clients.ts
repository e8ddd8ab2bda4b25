import { WebSocket as NodeWebSocket } from 'ws';
import JsSIP from 'jssip';
import {
  Registerer,
  RegistererState,
  UserAgent,
  type Invitation,
  type Message,
  type SessionDescriptionHandler,
  type SessionDescriptionHandlerOptions,
} from 'sip.js';

/**
 * Real SIP client libraries (SIP.js, JsSIP) running in Node against our server over WebSocket.
 * Node has no WebRTC, so each client gets a small stand-in that produces and records SDP text:
 * the SIP signalling is the libraries' own; the media (real WebRTC) is tested in the browser.
 */
export function installNodeWebSocket(): void {
  (globalThis as { WebSocket?: unknown }).WebSocket ??= NodeWebSocket;
}

/** A recognisable offer/answer, so a test can see the exact SDP arrive at the other end. */
export function sdpFor(party: string, direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive' = 'sendrecv', version = 1): string {
  return [
    'v=0',
    `o=${party} 1 ${version} IN IP4 127.0.0.1`,
    `s=${party}`,
    'c=IN IP4 127.0.0.1',
    't=0 0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    'a=rtpmap:111 opus/48000/2',
    `a=${direction}`,
    'm=video 9 UDP/TLS/RTP/SAVPF 96',
    'a=rtpmap:96 VP8/90000',
    `a=${direction}`,
    '',
  ].join('\r\n');
}

/** What one SIP.js party's sessions sent and received. */
export interface SdpLog {
  sent: string[];
  received: string[];
}

export function sipJsDescriptionHandlerFactory(party: string, log: SdpLog) {
  return (): SessionDescriptionHandler => {
    let version = 0;
    let remote: string | undefined;
    return {
      close: () => undefined,
      getDescription: async (options?: SessionDescriptionHandlerOptions) => {
        version += 1;
        // SIP.js passes the options of `session.invite()`; our softphone puts hold there as the Web SDH does.
        const hold = (options as { hold?: boolean } | undefined)?.hold === true;
        const body = sdpFor(party, hold ? 'sendonly' : 'sendrecv', version);
        log.sent.push(body);
        return { body, contentType: 'application/sdp' };
      },
      hasDescription: (contentType: string) => contentType === 'application/sdp',
      setDescription: async (sdp: string) => {
        remote = sdp;
        log.received.push(sdp);
      },
      sendDtmf: () => false,
      rollbackDescription: async () => {
        void remote;
      },
    };
  };
}

export interface SipJsParty {
  number: string;
  ua: UserAgent;
  registerer: Registerer;
  sdp: SdpLog;
  invitations: Invitation[];
  messages: Message[];
  stop(): Promise<void>;
  /** Drops the connection without unregistering, as a client whose server died would. */
  abandon(): Promise<void>;
}

export async function startSipJsParty(
  wsUrl: string,
  domain: string,
  number: string,
  options: {
    instance?: string;
    credentials?: { username: string; password: string };
    /** Another SDP stand-in (default: sipJsDescriptionHandlerFactory), e.g. one that answers a browser's offer. */
    sessionDescriptionHandlerFactory?: (log: SdpLog) => () => SessionDescriptionHandler;
    /** False: only connects (a UA that places calls over this connection but is not reachable through it). */
    register?: boolean;
    /** Header lines added to its REGISTER, e.g. the Path an edge proxy in between would have added. */
    registerHeaders?: string[];
  } = {},
): Promise<SipJsParty> {
  installNodeWebSocket();
  const sdp: SdpLog = { sent: [], received: [] };
  const invitations: Invitation[] = [];
  const messages: Message[] = [];
  const ua = new UserAgent({
    uri: UserAgent.makeURI(`sip:${number}@${domain}`)!,
    transportOptions: { server: wsUrl, traceSip: process.env.TRACE_SIP === '1' },
    authorizationUsername: options.credentials?.username ?? number,
    authorizationPassword: options.credentials?.password ?? `pw${number}`,
    sessionDescriptionHandlerFactory:
      options.sessionDescriptionHandlerFactory?.(sdp) ?? sipJsDescriptionHandlerFactory(`${number}${options.instance ?? ''}`, sdp),
    logBuiltinEnabled: process.env.TRACE_SIP === '1',
    logLevel: process.env.TRACE_SIP === '1' ? 'debug' : 'error',
    userAgentString: `SIP.js/0.21 videophone-test ${number}${options.instance ?? ''}`,
    delegate: {
      onInvite: (invitation) => void invitations.push(invitation),
      onMessage: (message) => {
        messages.push(message);
        void message.accept();
      },
    },
  });
  await ua.start();
  const registerer = new Registerer(ua, { expires: 300, extraHeaders: options.registerHeaders ?? [] });
  if (options.register === false) return party(number, ua, registerer, sdp, invitations, messages);
  const registered = new Promise<void>((resolve, reject) => {
    registerer.stateChange.addListener((state) => {
      if (state === RegistererState.Registered) resolve();
    });
    setTimeout(() => reject(new Error(`${number} did not register`)), 10_000).unref();
  });
  await registerer.register();
  await registered;
  return party(number, ua, registerer, sdp, invitations, messages);
}

function party(
  number: string,
  ua: UserAgent,
  registerer: Registerer,
  sdp: SdpLog,
  invitations: Invitation[],
  messages: Message[],
): SipJsParty {
  return {
    number,
    ua,
    registerer,
    sdp,
    invitations,
    messages,
    async stop() {
      await registerer.dispose().catch(() => undefined);
      await ua.stop().catch(() => undefined);
    },
    async abandon() {
      await ua.transport.dispose().catch(() => undefined);
    },
  };
}

/**
 * Resolves when `check` holds, polling; rejects after `timeoutMs` with `what` in the message (a
 * function is asked at the time of failure, to say what was seen so far).
 */
export async function eventually(check: () => boolean, what: string | (() => string), timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * JsSIP drives an RTCPeerConnection; this stand-in answers its calls with SDP text and reports ICE
 * gathering as complete, which is all JsSIP's signalling needs.
 */
export function installJsSipPeerConnection(party: string, log: SdpLog): void {
  class StandInSessionDescription {
    type: string;
    sdp: string;
    constructor(init: { type: string; sdp: string }) {
      this.type = init.type;
      this.sdp = init.sdp;
    }
  }
  class StandInPeerConnection {
    localDescription: StandInSessionDescription | null = null;
    remoteDescription: StandInSessionDescription | null = null;
    iceGatheringState = 'complete';
    iceConnectionState = 'connected';
    signalingState = 'stable';
    #version = 0;
    addEventListener(): void {}
    removeEventListener(): void {}
    getSenders(): unknown[] {
      return [];
    }
    getReceivers(): unknown[] {
      return [];
    }
    addTrack(): void {}
    close(): void {
      this.signalingState = 'closed';
    }
    async createOffer() {
      this.#version += 1;
      return { type: 'offer', sdp: sdpFor(party, 'sendrecv', this.#version) };
    }
    async createAnswer() {
      this.#version += 1;
      return { type: 'answer', sdp: sdpFor(party, 'sendrecv', this.#version) };
    }
    async setLocalDescription(description: { type: string; sdp: string }) {
      this.localDescription = new StandInSessionDescription(description);
      log.sent.push(description.sdp);
    }
    async setRemoteDescription(description: { type: string; sdp: string }) {
      this.remoteDescription = new StandInSessionDescription(description);
      log.received.push(description.sdp);
    }
  }
  Object.assign(globalThis, { RTCPeerConnection: StandInPeerConnection, RTCSessionDescription: StandInSessionDescription });
  // JsSIP probes `window.RTCPeerConnection`; a window holding only that keeps other code from thinking it runs in a browser.
  (globalThis as { window?: unknown }).window ??= { RTCPeerConnection: StandInPeerConnection };
}

/** The part of JsSIP's RTCSession the tests drive. */
export interface JsSipSession {
  direction: 'incoming' | 'outgoing';
  isEstablished(): boolean;
  isEnded(): boolean;
  answer(options: unknown): void;
  terminate(options?: unknown): void;
  on(event: string, listener: (event: { cause?: string; originator?: string; response?: { status_code: number } }) => void): void;
}

export interface JsSipParty {
  number: string;
  ua: InstanceType<typeof JsSIP.UA>;
  /** Calls that reached it (`newRTCSession` from the remote side), in order. */
  incoming: JsSipSession[];
  /** Every SIP message it received, over whichever of its WebSockets, in order. */
  received: string[];
  /** How many times a REGISTER of it was accepted (the first, refreshes, and after a reconnection). */
  registrations(): number;
  /** The WebSocket URL it is connected to now, or null. */
  connectedTo(): string | null;
  stop(): void;
}

/**
 * A JsSIP UA as a browser runs it, given the service's WebSocket URLs in order of preference: it
 * connects to the first and, when that connection breaks, recovers to the next (JsSIP's own
 * failover, `sockets` with weights) and registers again there. Needs `installJsSipPeerConnection`.
 */
export async function startJsSipParty(wsUrls: string[], domain: string, number: string): Promise<JsSipParty> {
  installNodeWebSocket();
  const received: string[] = [];
  const sockets = wsUrls.map((url, index) => {
    const socket = new JsSIP.WebSocketInterface(url);
    // Records what arrives before JsSIP parses it: a test can see the ACK, a BYE's 200, a 180.
    const recording = socket as unknown as { _onMessage(event: { data: unknown }): void };
    const deliver = recording._onMessage.bind(socket);
    recording._onMessage = (event) => {
      received.push(typeof event.data === 'string' ? event.data : Buffer.from(event.data as ArrayBuffer).toString());
      deliver(event);
    };
    return { socket, weight: wsUrls.length - index };
  });
  const ua = new JsSIP.UA({
    sockets,
    uri: `sip:${number}@${domain}`,
    password: `pw${number}`,
    register: true,
    register_expires: 300,
    // Neither JsSIP nor SIP.js refreshes the session here: the proxy keeps such calls alive itself.
    session_timers: false,
    connection_recovery_min_interval: 1,
    connection_recovery_max_interval: 4,
  });
  const incoming: JsSipSession[] = [];
  let registrations = 0;
  let connected: string | null = null;
  ua.on('newRTCSession', (event: { session: unknown; originator: string }) => {
    if (event.originator === 'remote') incoming.push(event.session as JsSipSession);
  });
  ua.on('connected', (event: { socket: { url: string } }) => (connected = event.socket.url));
  ua.on('disconnected', () => (connected = null));
  ua.on('registered', () => (registrations += 1));
  const registered = new Promise<void>((resolve, reject) => {
    ua.once('registered', () => resolve());
    ua.once('registrationFailed', (event: { cause?: unknown }) =>
      reject(new Error(`JsSIP ${number} did not register: ${String(event.cause)}`)),
    );
  });
  ua.start();
  await registered;
  return {
    number,
    ua,
    incoming,
    received,
    registrations: () => registrations,
    connectedTo: () => connected,
    stop: () => ua.stop(),
  };
}
