// JsSIP rather than SIP.js: JsSIP is the one of the two still released (3.13 in 2025; SIP.js 0.21 dates
// from 2022), and its RTCSession already implements what a phone needs on top of RFC 3261 — hold and
// resume by re-INVITE with sendonly/inactive SDP (RFC 3264 §8.4), RFC 4028 session timers, ICE restart
// through renegotiate(), and the CANCEL request (with its Reason header) handed to the `failed` event.
import { UA, WebSocketInterface } from 'jssip';
import type { EndEvent, RTCSession } from 'jssip/lib/RTCSession';
import type { IncomingMessageEvent, OutgoingMessageEvent, RTCSessionEvent } from 'jssip/lib/UA';
import type { ApiResponse } from '../../types/api';
import { classifyFailure, classifyHangUp, type PhoneNotice } from './call-outcomes';
import { QualitySampler, type QualitySample } from './quality';
import { PeerStateChannel, type PeerMediaState } from './remote-state';
import { softphoneUserAgent } from './client-version';
import { sendDtmf, type KeypadTone } from './dtmf';
import { CallAssistStore, followTransfer } from './transfer';

export type DeviceCredentials = ApiResponse<'/api/portal/devices', 'post'>;

export interface IceSettings {
  iceServers: RTCIceServer[];
  /** "relay" hides the subscriber's address from the other party: every packet goes through TURN. */
  iceTransportPolicy: RTCIceTransportPolicy;
}

/** A text the operator sent this device (a SIP MESSAGE from its notice identity): maintenance, suspension, terms. */
export interface OperatorNotice {
  id: string;
  /** As sent: the server writes it in the subscriber's languages. */
  text: string;
  urgent: boolean;
  receivedAt: number;
}

/**
 * The operator's notice identity, `"Videophone" <sip:notices@domain>` (the server's
 * DEFAULT_NOTICE_IDENTITY in src/calls). Only the server can send as it: the proxy forwards a
 * subscriber's MESSAGE only when its From user is the number that authenticated.
 */
export const OPERATOR_NOTICE_USER = 'notices';
/** The newest notices kept on screen; older ones are in the portal inbox. */
const MAX_OPERATOR_NOTICES = 5;

export type RegistrationState = 'stopped' | 'connecting' | 'registered' | 'unregistered' | 'failed';

export type CallPhase = 'calling' | 'ringing' | 'incoming' | 'connecting' | 'active';

export interface CallView {
  key: string;
  /** The SIP Call-ID: what the server's call record and the quality report are keyed by. */
  callId: string;
  direction: 'outgoing' | 'incoming';
  peerNumber: string;
  peerName: string | null;
  phase: CallPhase;
  answeredAt: number | null;
  muted: boolean;
  cameraOff: boolean;
  held: boolean;
  heldByPeer: boolean;
  /** The media path was lost mid-call and ICE is looking for a new one; the call itself goes on. */
  reconnecting: boolean;
  /** ICE restarts this device started during the call (the caller's side restarts; see #watchMediaPath). */
  iceRestarts: number;
  /** A provisional response brought SDP (RFC 3261 §13.2.1, 183 Session Progress): the far end plays its own tones. */
  earlyMedia: boolean;
  /** The other party's microphone and camera (see remote-state.ts). */
  peer: PeerMediaState;
}

export interface PhoneState {
  registration: RegistrationState;
  /** Why the server refused the registration, as it said it (e.g. the suspension reason). */
  registrationNotice: PhoneNotice | null;
  connected: boolean;
  call: CallView | null;
  /** A second incoming call while one is in progress (call waiting). */
  waiting: CallView | null;
  /** How the last call ended, when a person needs to be told. */
  notice: PhoneNotice | null;
  localStream: MediaStream | null;
  remoteStream: MediaStream | null;
  quality: QualitySample | null;
  doNotDisturb: boolean;
  /** Operator notices received while the phone is open, newest first, until dismissed. */
  operatorNotices: OperatorNotice[];
}

export interface CallSummary {
  callId: string;
  direction: 'outgoing' | 'incoming';
  durationMs: number;
  quality: QualitySample | null;
}

export interface PhoneEngineOptions {
  credentials: DeviceCredentials;
  ice: () => Promise<IceSettings>;
  getMedia: () => Promise<MediaStream>;
  onCallEnded: (summary: CallSummary) => void;
  /** Failures worth a support ticket (TURN refusals, ICE failure), beyond what the screen shows. */
  onProblem: (what: string, detail: Record<string, unknown>) => void;
}

interface Leg {
  view: CallView;
  session: RTCSession;
  sampler: QualitySampler | null;
  remoteStream: MediaStream;
  peerState: PeerStateChannel | null;
  iceRestartTimer: ReturnType<typeof setTimeout> | null;
  /** The gathering JsSIP is waiting for before it sends an offer or answer (see #sendSdpEarly). */
  gathering: { ready: () => void; timer: ReturnType<typeof setTimeout> | null } | null;
}

/**
 * Chrome calls a path "disconnected" after a few seconds without consent responses (RFC 7675) and
 * "failed" only after about 30 s. Waiting for "failed" leaves people staring at a frozen picture, so
 * the caller restarts ICE once "disconnected" has lasted this long (short blips recover by themselves).
 */
const ICE_DISCONNECTED_GRACE_MS = 2_500;
/** A restart that has not reconnected by then is tried again (the network may still be coming back). */
const ICE_RESTART_RETRY_MS = 8_000;
/** A refused registration (suspended, server trouble) is tried again after this long, for as long as the phone is open. */
const REGISTRATION_RETRY_MS = 15_000;
/**
 * How long gathering must stay quiet after a relay candidate before the SDP leaves without waiting
 * for the end of gathering (see #sendSdpEarly). Chrome's allocations on other interfaces (and their
 * relay candidates) arrive within a few milliseconds of the first.
 */
const RELAY_SETTLE_MS = 20;

const initialState: PhoneState = {
  registration: 'stopped',
  registrationNotice: null,
  connected: false,
  call: null,
  waiting: null,
  notice: null,
  localStream: null,
  remoteStream: null,
  quality: null,
  doNotDisturb: false,
  operatorNotices: [],
};

/**
 * One registered SIP user agent and the calls it has. React reads it through `subscribe`/`getState`
 * (useSyncExternalStore); every change replaces the state object.
 */
export class PhoneEngine {
  #state: PhoneState = initialState;
  readonly #listeners = new Set<() => void>();
  #ua: UA | null = null;
  #current: Leg | null = null;
  #waiting: Leg | null = null;
  #registrationRetry: ReturnType<typeof setTimeout> | null = null;
  /** Keypad digits sent and transfers under way (see dtmf.ts, transfer.ts). */
  readonly assist = new CallAssistStore();

  constructor(private readonly options: PhoneEngineOptions) {}

  getState = (): PhoneState => this.#state;

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  #set(patch: Partial<PhoneState>): void {
    this.#state = { ...this.#state, ...patch };
    for (const listener of this.#listeners) listener();
  }

  get number(): string {
    return this.options.credentials.number;
  }

  /** A call is set up or in progress: the app must not reload under it. */
  get busy(): boolean {
    return this.#current !== null || this.#waiting !== null;
  }

  start(): void {
    const { credentials } = this.options;
    const socket = new WebSocketInterface(credentials.wsUri);
    const ua = new UA({
      sockets: [socket],
      uri: `sip:${credentials.number}@${credentials.domain}`,
      authorization_user: credentials.authorizationUsername,
      password: credentials.password,
      ...(credentials.displayName ? { display_name: credentials.displayName } : {}),
      register: true,
      register_expires: 300,
      // The registrar reads the version here and refuses one below the web client's minimum (clause 8).
      user_agent: softphoneUserAgent,
      // Reconnect quickly after a drop, then back off (JsSIP re-registers on every reconnection).
      connection_recovery_min_interval: 2,
      connection_recovery_max_interval: 30,
    });
    this.#ua = ua;
    ua.on('connecting', () =>
      this.#set({ registration: this.#state.registration === 'registered' ? 'connecting' : this.#state.registration }),
    );
    ua.on('connected', () => this.#set({ connected: true }));
    ua.on('disconnected', () => this.#set({ connected: false, registration: 'connecting' }));
    ua.on('registered', () => this.#set({ registration: 'registered', registrationNotice: null }));
    ua.on('unregistered', () => this.#set({ registration: 'unregistered' }));
    ua.on('registrationFailed', (event) => {
      const response = event.response as { status_code?: number; reason_phrase?: string } | undefined;
      this.#set({
        registration: 'failed',
        registrationNotice: classifyFailure(response?.status_code, response?.reason_phrase, event.cause),
      });
      // JsSIP does not try again after a refusal. A suspended account (403) is restored the moment
      // the bill is paid, and a server that answered 408/5xx may be back: keep asking, so an open
      // phone comes back by itself. Wrong credentials (401) will not fix themselves; no retry.
      const status = response?.status_code;
      if (status !== 401 && status !== 407) this.#retryRegistration(ua);
    });
    ua.on('newRTCSession', (event: RTCSessionEvent) => this.#onNewSession(event));
    // With a listener JsSIP answers an incoming MESSAGE 200 (RFC 3428 §7) after it; without one, 405.
    ua.on('newMessage', (event: IncomingMessageEvent | OutgoingMessageEvent) => this.#onMessage(event));
    this.#set({ registration: 'connecting' });
    ua.start();
  }

  #retryRegistration(ua: UA): void {
    if (this.#registrationRetry !== null) return;
    this.#registrationRetry = setTimeout(() => {
      this.#registrationRetry = null;
      if (this.#ua === ua && this.#state.registration === 'failed') ua.register();
    }, REGISTRATION_RETRY_MS);
  }

  stop(): void {
    if (this.#registrationRetry !== null) clearTimeout(this.#registrationRetry);
    this.#registrationRetry = null;
    this.#ua?.stop();
    this.#ua = null;
    this.#set({ registration: 'stopped', connected: false });
  }

  setDoNotDisturb(on: boolean): void {
    this.#set({ doNotDisturb: on });
  }

  setLocalStream(stream: MediaStream | null): void {
    this.#set({ localStream: stream });
  }

  dismissNotice(): void {
    this.#set({ notice: null });
  }

  dismissOperatorNotice(id: string): void {
    this.#set({ operatorNotices: this.#state.operatorNotices.filter((notice) => notice.id !== id) });
  }

  /**
   * RFC 3428 §7: the text of an incoming MESSAGE is shown as an operator notice only when it comes
   * from the operator's notice identity in our own domain; messages from other parties are not
   * operator notices (this phone has no chat) and are only acknowledged.
   */
  #onMessage(event: IncomingMessageEvent | OutgoingMessageEvent): void {
    if (event.originator !== 'remote') return;
    const request = event.request;
    const from = request.from.uri;
    if (from.user !== OPERATOR_NOTICE_USER || from.host.toLowerCase() !== this.options.credentials.domain.toLowerCase()) return;
    const text = typeof request.body === 'string' ? request.body.trim() : '';
    if (!text) return;
    const notice: OperatorNotice = {
      id: `${request.getHeader('Call-ID')}/${String(request.from.getParam('tag') ?? '')}`,
      text,
      urgent: /^\s*(urgent|emergency)\s*$/i.test(request.getHeader('Priority') ?? ''),
      receivedAt: Date.now(),
    };
    const others = this.#state.operatorNotices.filter((existing) => existing.id !== notice.id);
    this.#set({ operatorNotices: [notice, ...others].slice(0, MAX_OPERATOR_NOTICES) });
  }

  async call(number: string): Promise<void> {
    const ua = this.#ua;
    if (!ua || this.#current) return;
    this.#set({ notice: null });
    let stream: MediaStream;
    let ice: IceSettings;
    try {
      [stream, ice] = await Promise.all([this.#ensureMedia(), this.options.ice()]);
    } catch (error) {
      this.#set({ notice: mediaNotice(error) });
      return;
    }
    const session = ua.call(`sip:${number}@${this.options.credentials.domain}`, {
      mediaStream: stream,
      // max-bundle: one transport for audio and video from the start (RFC 9143 §7), so one TURN
      // allocation and one set of candidates, complete in the offer. With "balanced" Chrome gathers
      // for each m-line and drops the video one once the answer accepts BUNDLE.
      pcConfig: { iceServers: ice.iceServers, iceTransportPolicy: ice.iceTransportPolicy, bundlePolicy: 'max-bundle' },
      // Offer video even when the camera is off at the start, so it can be turned on later.
      rtcOfferConstraints: { offerToReceiveAudio: true, offerToReceiveVideo: true },
    });
    // newRTCSession has run synchronously inside ua.call and registered the leg.
    const leg = this.#legOf(session);
    if (leg) this.#watchIceGathering(leg, ice);
  }

  #legOf(session: RTCSession): Leg | null {
    return [this.#current, this.#waiting].find((leg) => leg?.session === session) ?? null;
  }

  async answer(): Promise<void> {
    const leg = this.#current;
    if (!leg || leg.view.phase !== 'incoming') return;
    await this.#answerLeg(leg);
  }

  /** Call waiting: hold (or end) the current call and answer the waiting one. */
  async answerWaiting(endCurrent: boolean): Promise<void> {
    const waiting = this.#waiting;
    const current = this.#current;
    if (!waiting) return;
    if (current) {
      if (endCurrent) current.session.terminate();
      else if (!current.view.held) current.session.hold();
    }
    this.#waiting = null;
    if (!endCurrent && current) {
      // The held call waits in the second slot; resuming it is a swap.
      this.#waiting = current;
    }
    this.#current = waiting;
    this.#publishLegs();
    await this.#answerLeg(waiting);
  }

  async #answerLeg(leg: Leg): Promise<void> {
    let stream: MediaStream;
    let ice: IceSettings;
    try {
      [stream, ice] = await Promise.all([this.#ensureMedia(), this.options.ice()]);
    } catch (error) {
      leg.session.terminate({ status_code: 488, reason_phrase: 'Media Not Available' });
      this.#set({ notice: mediaNotice(error) });
      return;
    }
    this.#update(leg, { phase: 'connecting' });
    leg.session.answer({ mediaStream: stream, pcConfig: { iceServers: ice.iceServers, iceTransportPolicy: ice.iceTransportPolicy } });
  }

  /** RFC 3261 §21.6.4: 603 Decline, "the callee does not wish to participate". */
  reject(): void {
    this.#current?.session.terminate({ status_code: 603, reason_phrase: 'Decline' });
  }

  rejectWaiting(): void {
    this.#waiting?.session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
  }

  async hangUp(): Promise<void> {
    const leg = this.#current;
    if (!leg) return;
    // The peer connection closes with the session: take the last figures for the report first.
    if (leg.sampler) await leg.sampler.sample().catch(() => undefined);
    leg.session.terminate();
  }

  toggleMute(): void {
    const leg = this.#current;
    if (!leg || leg.view.phase !== 'active') return;
    if (leg.view.muted) leg.session.unmute({ audio: true });
    else leg.session.mute({ audio: true });
    this.#update(leg, { muted: !leg.view.muted });
    this.#sendPeerState(leg);
  }

  toggleCamera(): void {
    const leg = this.#current;
    if (!leg || leg.view.phase !== 'active') return;
    if (leg.view.cameraOff) leg.session.unmute({ video: true });
    else leg.session.mute({ video: true });
    this.#update(leg, { cameraOff: !leg.view.cameraOff });
    this.#sendPeerState(leg);
  }

  #sendPeerState(leg: Leg): void {
    leg.peerState?.send({ muted: leg.view.muted, cameraOff: leg.view.cameraOff });
  }

  toggleHold(): void {
    const leg = this.#current;
    if (!leg || leg.view.phase !== 'active') return;
    if (leg.view.held) leg.session.unhold();
    else leg.session.hold();
  }

  /** A keypad digit to the other party (RFC 4733 events, or SIP INFO when it negotiated none). */
  sendDtmf(tone: KeypadTone): void {
    const leg = this.#current;
    if (!leg || leg.view.phase !== 'active') return;
    const key = leg.view.key;
    sendDtmf(leg.session, tone, (sent, transport) => this.assist.dtmfSent(key, sent, transport));
  }

  /** Blind transfer of the call in progress to `number` (RFC 3515 REFER; see transfer.ts). */
  transfer(number: string): void {
    const leg = this.#current;
    if (!leg || leg.view.phase !== 'active') return;
    this.assist.refer(leg.view.key, leg.session, `sip:${number}@${this.options.credentials.domain}`, number);
  }

  /** Camera or microphone choice mid-call: the new track replaces the old one without renegotiation. */
  async replaceLocalStream(stream: MediaStream): Promise<void> {
    const previous = this.#state.localStream;
    const pc = this.#current?.session.connection;
    if (pc) {
      for (const sender of pc.getSenders()) {
        const kind = sender.track?.kind;
        const next = kind ? stream.getTracks().find((track) => track.kind === kind) : undefined;
        if (next) await sender.replaceTrack(next);
      }
    }
    const leg = this.#current;
    if (leg) {
      for (const track of stream.getAudioTracks()) track.enabled = !leg.view.muted;
      for (const track of stream.getVideoTracks()) track.enabled = !leg.view.cameraOff;
    }
    this.#set({ localStream: stream });
    if (previous && previous !== stream) for (const track of previous.getTracks()) track.stop();
  }

  /** The camera the local preview (and the call) is sending from, as the browser reports it. */
  get cameraId(): string | null {
    return this.#state.localStream?.getVideoTracks()[0]?.getSettings().deviceId ?? null;
  }

  /**
   * Switch camera: only the video track changes, through RTCRtpSender.replaceTrack, so there is no
   * re-INVITE and the other party sees the new picture at once. The sender is found through its
   * transceiver because a sender's track can be null while the call still has a video m-line.
   */
  async replaceVideoTrack(track: MediaStreamTrack): Promise<void> {
    const previous = this.#state.localStream;
    const leg = this.#current;
    const pc = leg?.session.connection;
    const sender = pc
      ?.getTransceivers()
      .find((transceiver) => transceiver.sender.track?.kind === 'video' || transceiver.receiver.track.kind === 'video')?.sender;
    if (sender) await sender.replaceTrack(track);
    if (leg) track.enabled = !leg.view.cameraOff;
    this.#set({ localStream: new MediaStream([...(previous?.getAudioTracks() ?? []), track]) });
    for (const old of previous?.getVideoTracks() ?? []) if (old !== track) old.stop();
  }

  async #ensureMedia(): Promise<MediaStream> {
    const existing = this.#state.localStream;
    if (existing && existing.getTracks().some((track) => track.readyState === 'live')) return existing;
    const stream = await this.options.getMedia();
    this.#set({ localStream: stream });
    return stream;
  }

  #onNewSession(event: RTCSessionEvent): void {
    const { session } = event;
    const incoming = event.originator === 'remote';
    const remote = session.remote_identity;
    const leg: Leg = {
      session,
      sampler: null,
      remoteStream: new MediaStream(),
      peerState: null,
      iceRestartTimer: null,
      gathering: null,
      view: {
        key: session.id,
        callId: (event.request as { call_id: string }).call_id,
        direction: incoming ? 'incoming' : 'outgoing',
        peerNumber: remote.uri.user ?? '',
        peerName: remote.display_name || null,
        phase: incoming ? 'incoming' : 'calling',
        answeredAt: null,
        muted: false,
        cameraOff: false,
        held: false,
        heldByPeer: false,
        reconnecting: false,
        iceRestarts: 0,
        earlyMedia: false,
        peer: { muted: false, cameraOff: false },
      },
    };

    if (incoming) {
      // Do-not-disturb and "already on a call that is not yet up" answer busy; other devices of the
      // same number still ring (RFC 3261 §16.7: a 4xx from one branch does not end the others).
      if (this.#state.doNotDisturb || (this.#current && this.#current.view.phase !== 'active') || this.#waiting) {
        session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
        return;
      }
    }

    this.#bindSession(leg);
    if (incoming && this.#current) this.#waiting = leg;
    else {
      // An outgoing call while one is in progress is a transfer being followed: the original call
      // waits in the second slot until the target answers, and comes back if it does not.
      if (this.#current) this.#waiting = this.#current;
      this.#current = leg;
    }
    this.#publishLegs();
  }

  #bindSession(leg: Leg): void {
    const { session } = leg;
    const peerState = new PeerStateChannel(session, (peer) => this.#update(leg, { peer }));
    leg.peerState = peerState;
    const attach = (pc: RTCPeerConnection) => {
      pc.addEventListener('track', (event) => {
        peerState.watchTrack(event.track);
        leg.remoteStream.addTrack(event.track);
        // A new MediaStream object makes React hand the <video> element the updated track set.
        leg.remoteStream = new MediaStream(leg.remoteStream.getTracks());
        if (leg === this.#current) this.#set({ remoteStream: leg.remoteStream });
      });
      pc.addEventListener('icecandidateerror', (event) => {
        const error = event as RTCPeerConnectionIceErrorEvent;
        this.options.onProblem('ice-candidate-error', { url: error.url, errorCode: error.errorCode, errorText: error.errorText });
      });
      pc.addEventListener('iceconnectionstatechange', () => this.#watchMediaPath(leg, pc));
      leg.sampler = new QualitySampler(pc);
    };
    if (session.connection) attach(session.connection);
    else session.on('peerconnection', (event) => attach(event.peerconnection));

    session.on('icecandidate', (event) => this.#sendSdpEarly(leg, event));
    session.on('progress', (event: { response?: { body?: string } | null }) => {
      if (leg.view.direction !== 'outgoing') return;
      const response = event.response;
      this.#update(leg, { phase: 'ringing', earlyMedia: leg.view.earlyMedia || Boolean(response?.body) });
    });
    session.on('accepted', () => this.#update(leg, { phase: 'connecting' }));
    session.on('confirmed', () => {
      this.#update(leg, { phase: 'active', answeredAt: Date.now() });
      this.#sendPeerState(leg);
      this.#startSampling(leg);
    });
    session.on('hold', (event) => this.#update(leg, event.originator === 'local' ? { held: true } : { heldByPeer: true }));
    session.on('unhold', (event) => this.#update(leg, event.originator === 'local' ? { held: false } : { heldByPeer: false }));
    session.on('refer', (event) => {
      const ice = this.options.ice;
      void followTransfer(this.assist, event, {
        domain: this.options.credentials.domain,
        inActiveCall: leg === this.#current && leg.view.phase === 'active' && !leg.view.held && this.#waiting === null,
        callOptions: async () => {
          const [stream, settings] = await Promise.all([this.#ensureMedia(), ice()]);
          return {
            mediaStream: stream,
            pcConfig: { iceServers: settings.iceServers, iceTransportPolicy: settings.iceTransportPolicy, bundlePolicy: 'max-bundle' },
            rtcOfferConstraints: { offerToReceiveAudio: true, offerToReceiveVideo: true },
          };
        },
        endOriginal: () => {
          if (!leg.session.isEnded()) leg.session.terminate();
        },
      });
    });
    session.on('ended', (event) => this.#finish(leg, event, true));
    session.on('failed', (event) => this.#finish(leg, event, false));
  }

  /**
   * No trickle ICE over SIP here: the offer or answer carries every candidate the far end will ever
   * learn, so JsSIP waits for gathering to complete. Chrome completes only after its last phase (TCP
   * host candidates), 120–160 ms after setLocalDescription even on loopback, while its relay
   * candidate is in hand after about 60 ms. A relay candidate reaches the far end from any network
   * (relay to relay always works through the TURN server), so once one is in hand and gathering has
   * been quiet for RELAY_SETTLE_MS, the SDP leaves (JsSIP's icecandidate `ready()`) with everything
   * gathered so far. Without TURN (no relay candidate ever) it still waits for completion.
   *
   * Sending at the very first relay candidate was tried before and lost relay-only calls: with the
   * "balanced" bundle policy Chrome gathered for audio and video separately and, once the answer
   * accepted BUNDLE, kept the audio transport, whose relay candidate was sometimes not yet in the
   * offer. The caller now offers with max-bundle (one transport), and the settle time lets the
   * duplicate allocations Chrome makes on other interfaces into the SDP too.
   */
  #sendSdpEarly(leg: Leg, event: { candidate: RTCIceCandidate; ready: () => void }): void {
    if (leg.gathering?.ready !== event.ready) {
      if (event.candidate.type !== 'relay') return;
      leg.gathering = { ready: event.ready, timer: null };
    }
    const gathering = leg.gathering;
    if (gathering.timer !== null) clearTimeout(gathering.timer);
    gathering.timer = setTimeout(() => {
      gathering.timer = null;
      // A no-op when gathering completed meanwhile (JsSIP sent the SDP then).
      gathering.ready();
    }, RELAY_SETTLE_MS);
  }

  #watchIceGathering(leg: Leg, ice: IceSettings): void {
    const pc = leg.session.connection;
    if (!pc || ice.iceTransportPolicy !== 'relay') return;
    const errors: { errorCode: number; errorText: string; url: string }[] = [];
    let relayCandidates = 0;
    pc.addEventListener('icecandidateerror', (event) => {
      const error = event as RTCPeerConnectionIceErrorEvent;
      errors.push({ errorCode: error.errorCode, errorText: error.errorText, url: error.url });
    });
    pc.addEventListener('icecandidate', (event) => {
      if (event.candidate?.type === 'relay') relayCandidates += 1;
    });
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState !== 'complete' || relayCandidates > 0) return;
      // Relay-only with no relay candidate can never connect: say so now instead of ringing in vain.
      // A 401 here is the TURN server refusing the credential (RFC 8656 §7.2 via RFC 8489 §9.2).
      const first = errors[0];
      const detail = first ? `${first.errorCode} ${first.errorText}` : 'no relay candidate';
      this.options.onProblem('turn-failed', { callId: leg.view.callId, errors });
      leg.session.terminate();
      this.#set({ notice: { kind: 'turn-failed', detail } });
    });
  }

  /**
   * ICE restart keeps the call when the network path changes (RFC 8445 §2.4): a re-INVITE whose offer
   * carries new ICE credentials makes both sides gather and check candidates again (RFC 8839 §4.4.1.1).
   * Only the caller restarts, so the two sides never send crossing re-INVITEs (RFC 3261 §14.1 glare).
   */
  #watchMediaPath(leg: Leg, pc: RTCPeerConnection): void {
    if (!this.#isLive(leg) || leg.view.phase !== 'active') return;
    const state = pc.iceConnectionState;
    if (state === 'connected' || state === 'completed') {
      this.#clearIceRestart(leg);
      if (leg.view.reconnecting) this.#update(leg, { reconnecting: false });
      return;
    }
    if (state !== 'disconnected' && state !== 'failed') return;
    if (!leg.view.reconnecting) {
      this.options.onProblem(state === 'failed' ? 'ice-failed' : 'ice-disconnected', { callId: leg.view.callId });
      this.#update(leg, { reconnecting: true });
    }
    if (leg.view.direction !== 'outgoing') return;
    if (state === 'failed') {
      this.#clearIceRestart(leg);
      this.#restartIce(leg);
    } else if (leg.iceRestartTimer === null) {
      leg.iceRestartTimer = setTimeout(() => this.#restartIce(leg), ICE_DISCONNECTED_GRACE_MS);
    }
  }

  #restartIce(leg: Leg): void {
    leg.iceRestartTimer = null;
    if (!this.#isLive(leg) || !leg.view.reconnecting) return;
    // false while another re-INVITE (hold, camera switch) is in flight: try again shortly.
    const sent = leg.session.renegotiate({ rtcOfferConstraints: { iceRestart: true } });
    if (sent) {
      this.#update(leg, { iceRestarts: leg.view.iceRestarts + 1 });
      this.options.onProblem('ice-restart', { callId: leg.view.callId, attempt: leg.view.iceRestarts });
    }
    leg.iceRestartTimer = setTimeout(() => this.#restartIce(leg), sent ? ICE_RESTART_RETRY_MS : 1_000);
  }

  #clearIceRestart(leg: Leg): void {
    if (leg.iceRestartTimer !== null) clearTimeout(leg.iceRestartTimer);
    leg.iceRestartTimer = null;
  }

  #isLive(leg: Leg): boolean {
    return leg === this.#current || leg === this.#waiting;
  }

  #startSampling(leg: Leg): void {
    const tick = async () => {
      if (!leg.sampler || !this.#isLive(leg)) return;
      const sample = await leg.sampler.sample().catch(() => null);
      if (sample && leg === this.#current) this.#set({ quality: sample });
      setTimeout(() => void tick(), 1000);
    };
    void tick();
  }

  #finish(leg: Leg, event: EndEvent, wasEstablished: boolean): void {
    this.#clearIceRestart(leg);
    if (leg.gathering?.timer) clearTimeout(leg.gathering.timer);
    const notice = this.#state.notice?.kind === 'turn-failed' ? this.#state.notice : outcomeNotice(leg, event, wasEstablished);
    if (leg.view.answeredAt !== null || wasEstablished) {
      this.options.onCallEnded({
        callId: leg.view.callId,
        direction: leg.view.direction,
        durationMs: leg.view.answeredAt === null ? 0 : Date.now() - leg.view.answeredAt,
        quality: leg.sampler?.last ?? null,
      });
    }
    if (leg === this.#waiting) {
      this.#waiting = null;
    } else if (leg === this.#current) {
      this.#current = this.#waiting && this.#waiting.view.phase === 'active' ? this.#waiting : null;
      if (this.#current) this.#waiting = null;
      // A held call moved back to the front is still held: the person resumes it.
    }
    const stream = this.#state.localStream;
    if (!this.#current && stream) {
      // Camera and microphone switched off for the call come back for the preview and the next call.
      for (const track of stream.getTracks()) track.enabled = true;
    }
    this.#publishLegs();
    this.#set({ notice: notice ?? this.#state.notice, quality: this.#current ? this.#state.quality : null });
  }

  #update(leg: Leg, patch: Partial<CallView>): void {
    leg.view = { ...leg.view, ...patch };
    this.#publishLegs();
  }

  #publishLegs(): void {
    this.#set({
      call: this.#current?.view ?? null,
      waiting: this.#waiting?.view ?? null,
      remoteStream: this.#current?.remoteStream ?? null,
    });
  }
}

function outcomeNotice(leg: Leg, event: EndEvent, wasEstablished: boolean): PhoneNotice | null {
  const message = event.message as {
    method?: string;
    status_code?: number;
    reason_phrase?: string;
    getHeader?: (n: string) => string;
  } | null;
  if (wasEstablished) {
    if (event.cause === 'Connection Error' || event.cause === 'RTP Timeout') return { kind: 'network-lost' };
    // The proxy ends a call whose paid time is up with a BYE saying why (Reason cause=402, clause 9).
    return event.originator === 'remote' && message?.method === 'BYE' ? classifyHangUp(message.getHeader?.('Reason')) : null;
  }
  if (leg.view.direction === 'incoming') {
    if (event.originator === 'remote' && message?.method === 'CANCEL') {
      // RFC 3326 Reason on the CANCEL: the proxy says another device of ours took the call (cause 200).
      const reason = message.getHeader?.('Reason') ?? '';
      return /cause=200\b|completed elsewhere/i.test(reason)
        ? { kind: 'answered-elsewhere' }
        : { kind: 'missed', detail: leg.view.peerNumber, ...(leg.view.peerName ? { peerName: leg.view.peerName } : {}) };
    }
    return null;
  }
  if (event.originator === 'local' && event.cause === 'Canceled') return null;
  return classifyFailure(message?.status_code, message?.reason_phrase, event.cause, message?.getHeader?.('Contact'));
}

function mediaNotice(error: unknown): PhoneNotice {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError') return { kind: 'media-denied' };
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return { kind: 'media-missing' };
  if (name === 'NotReadableError') return { kind: 'media-busy' };
  return { kind: 'failed', detail: error instanceof Error ? error.message : String(error) };
}
