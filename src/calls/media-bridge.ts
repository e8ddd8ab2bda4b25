import type { Logger } from 'pino';
import { detachedCopy, isWebSocket, type SipHeader } from '../sip/index.js';
import type { Binding } from './location-service.js';
import type { NgDictionary, RtpengineClient } from './rtpengine-client.js';

/**
 * Media between a browser and a SIP phone that cannot talk to each other directly. A browser
 * (WebRTC) insists on ICE and DTLS-SRTP over one multiplexed port (RFC 8827, RFC 8829 §5.1.1:
 * UDP/TLS/RTP/SAVPF); most desk phones speak plain RTP/AVP with neither. rtpengine sits between
 * the two and rewrites each SDP for its recipient; calls whose ends speak alike go peer to peer.
 */
export type MediaKind = 'webrtc' | 'plain';

/**
 * What an SDP body asks for: `webrtc` when a media line uses the DTLS-SRTP profile (RFC 5764 §8:
 * UDP/TLS/RTP/SAVP[F]) or the body carries a DTLS fingerprint (RFC 8122 §5) with ICE credentials
 * (RFC 8839 §5.4); `plain` otherwise (RTP/AVP, or SDES RTP/SAVP); null when the body has no media
 * to bridge (no m= line).
 */
export function mediaKindOfSdp(sdp: string): MediaKind | null {
  if (!/^m=/m.test(sdp)) return null;
  if (/^m=\S+ \d+(?:\/\d+)? UDP\/TLS\/RTP\/SAVPF? /m.test(sdp)) return 'webrtc';
  const fingerprint = /^a=fingerprint:/m.test(sdp);
  const ice = /^a=ice-ufrag:/m.test(sdp);
  return fingerprint && ice ? 'webrtc' : 'plain';
}

/**
 * What a registered device speaks, decided by how it reached us: over SIP over WebSocket it is a
 * browser (RFC 7118), which can only do WebRTC media; over UDP, TCP or TLS it is a SIP phone taken
 * to speak plain RTP. A phone configured for ICE and DTLS-SRTP is still offered plain RTP through
 * rtpengine when a browser calls it; when it calls a browser, its own SDP says WebRTC and the call
 * goes peer to peer.
 */
export function mediaKindOfBinding(binding: Pick<Binding, 'flow'>): MediaKind {
  return isWebSocket(binding.flow.protocol) ? 'webrtc' : 'plain';
}

/** rtpengine's options for an offer that goes to an end speaking `toward`. */
export function offerFlags(toward: MediaKind): NgDictionary {
  if (toward === 'plain') {
    return {
      'transport-protocol': 'RTP/AVP',
      ICE: 'remove',
      DTLS: 'off',
      SDES: ['off'],
      'rtcp-mux': ['demux'],
      replace: ['origin', 'session-connection'],
      flags: ['trust-address'],
    };
  }
  return {
    'transport-protocol': 'UDP/TLS/RTP/SAVPF',
    ICE: 'force',
    DTLS: 'passive',
    SDES: ['off'],
    'rtcp-mux': ['offer', 'require'],
    replace: ['origin', 'session-connection'],
    flags: ['trust-address', 'generate-mid'],
  };
}

/** rtpengine's options for the answer that goes back to the offerer, which speaks `toward`. */
export function answerFlags(toward: MediaKind): NgDictionary {
  if (toward === 'plain') {
    return { ICE: 'remove', DTLS: 'off', 'rtcp-mux': ['demux'], replace: ['origin', 'session-connection'], flags: ['trust-address'] };
  }
  // No DTLS role forced here: rtpengine took the active role toward the browser's actpass offer
  // when it saw the offer (and already started the handshake); switching it to passive in the
  // answer left both sides waiting in tests with Chromium.
  return {
    ICE: 'force',
    'rtcp-mux': ['accept', 'require'],
    replace: ['origin', 'session-connection'],
    flags: ['trust-address'],
  };
}

/**
 * RFC 8843 §7.3: an answer to an offer with a BUNDLE group puts the accepted m= lines it bundles in
 * a group of its own. rtpengine 10.5 (Debian bookworm) does not do BUNDLE and answers without a
 * group, which a browser that offered with `bundlePolicy: 'max-bundle'` refuses. When a single
 * m= line is accepted (a phone answering audio only, video rejected with port 0), its transport
 * is the bundle's, so the group is added naming that line's mid; with several accepted lines on
 * separate ports no honest group exists and the answer is left as it is.
 */
export function withBundleGroup(answer: string): string {
  if (/^a=group:BUNDLE/m.test(answer)) return answer;
  const eol = answer.includes('\r\n') ? '\r\n' : '\n';
  const sections = answer.split(/^(?=m=)/m);
  const accepted = sections.slice(1).filter((section) => !/^m=\S+ 0[ /]/.test(section));
  if (accepted.length !== 1) return answer;
  const mid = /^a=mid:(\S+)/m.exec(accepted[0]!)?.[1];
  if (!mid) return answer;
  return `${sections[0]!}a=group:BUNDLE ${mid}${eol}${sections.slice(1).join('')}`;
}

/** Why a call that needs a bridge cannot have one; the proxy answers `status` with these Warnings. */
export interface BridgeFailure {
  status: 488 | 503;
  reason: string;
  warnings: SipHeader[];
}

export type BridgeOutcome = { ok: true; sdp: string } | { ok: false; failure: BridgeFailure };

interface BridgedCall {
  callerTag: string;
  callerKind: MediaKind;
  /** Offerers (by tag) whose last offer carried a BUNDLE group, whose answers must carry one too. */
  bundled: Set<string>;
}

/**
 * The calls this node bridges through rtpengine, by Call-ID. The caller's offer is rewritten once
 * per call (every plain or every WebRTC device of the callee gets the same rewritten SDP), the
 * answering device's answer once per 18x/2xx body, and later offers in the dialog (re-INVITE,
 * UPDATE) the same way in whichever direction they go.
 */
export class MediaBridge {
  readonly #calls = new Map<string, BridgedCall>();
  /** Answers already rewritten, by call, SDP in → SDP out: a retransmitted 2xx is not asked twice. */
  readonly #answers = new Map<string, Map<string, string>>();

  constructor(
    private readonly client: RtpengineClient | null,
    private readonly host: string,
    private readonly logger: Logger,
  ) {}

  /** Whether this call's media goes through rtpengine. */
  bridges(callId: string): boolean {
    return this.#calls.has(callId);
  }

  get size(): number {
    return this.#calls.size;
  }

  /**
   * The caller's (or, in a dialog, either party's) offer rewritten for an end speaking `toward`.
   * `callerKind` is what the first offerer speaks; it is remembered for the call's later offers.
   */
  async offer(callId: string, fromTag: string, sdp: string, toward: MediaKind, toTag?: string): Promise<BridgeOutcome> {
    if (!this.client) return { ok: false, failure: this.#failure(488, 'none configured') };
    const outcome = await this.client.request('offer', {
      'call-id': callId,
      'from-tag': fromTag,
      ...(toTag ? { 'to-tag': toTag } : {}),
      sdp,
      ...offerFlags(toward),
    });
    if (!outcome.ok) {
      this.logger.warn({ callId, reason: outcome.reason }, 'rtpengine offer failed');
      return { ok: false, failure: this.#failure(outcome.failure === 'unreachable' ? 503 : 488, outcome.reason) };
    }
    if (typeof outcome.reply.sdp !== 'string') return { ok: false, failure: this.#failure(488, 'rtpengine returned no SDP') };
    // What the call keeps until it ends are copies, not slices that would keep the (re-)INVITE they
    // were read from alive as long.
    let call = this.#calls.get(callId);
    if (!call)
      this.#calls.set(
        detachedCopy(callId),
        (call = { callerTag: detachedCopy(fromTag), callerKind: toward === 'plain' ? 'webrtc' : 'plain', bundled: new Set() }),
      );
    if (/^a=group:BUNDLE/m.test(sdp)) call.bundled.add(detachedCopy(fromTag));
    else call.bundled.delete(fromTag);
    return { ok: true, sdp: outcome.reply.sdp };
  }

  /** The answer to the offer from `fromTag`, rewritten for the offerer (who speaks `toward`). */
  async answer(callId: string, fromTag: string, toTag: string, sdp: string, toward: MediaKind): Promise<BridgeOutcome> {
    const cached = this.#answers.get(callId)?.get(`${fromTag}\n${toTag}\n${sdp}`);
    if (cached !== undefined) return { ok: true, sdp: cached };
    if (!this.client) return { ok: false, failure: this.#failure(488, 'none configured') };
    const outcome = await this.client.request('answer', {
      'call-id': callId,
      'from-tag': fromTag,
      'to-tag': toTag,
      sdp,
      ...answerFlags(toward),
    });
    if (!outcome.ok) {
      this.logger.error({ callId, reason: outcome.reason }, 'rtpengine answer failed; the call has no media');
      return { ok: false, failure: this.#failure(outcome.failure === 'unreachable' ? 503 : 488, outcome.reason) };
    }
    if (typeof outcome.reply.sdp !== 'string') return { ok: false, failure: this.#failure(488, 'rtpengine returned no SDP') };
    const rewritten =
      toward === 'webrtc' && this.#calls.get(callId)?.bundled.has(fromTag) ? withBundleGroup(outcome.reply.sdp) : outcome.reply.sdp;
    let answers = this.#answers.get(callId);
    if (!answers) this.#answers.set(detachedCopy(callId), (answers = new Map()));
    answers.set(detachedCopy(`${fromTag}\n${toTag}\n${sdp}`), rewritten);
    return { ok: true, sdp: rewritten };
  }

  /** Who is on the other side of `tag` in a bridged call: the kind an offer from `tag` must be rewritten for. */
  kindFacing(callId: string, tag: string): MediaKind | null {
    const call = this.#calls.get(callId);
    if (!call) return null;
    const calleeKind: MediaKind = call.callerKind === 'plain' ? 'webrtc' : 'plain';
    return tag === call.callerTag ? calleeKind : call.callerKind;
  }

  /** The kind of the party whose tag is `tag`. */
  kindOf(callId: string, tag: string): MediaKind | null {
    const facing = this.kindFacing(callId, tag);
    return facing === null ? null : facing === 'plain' ? 'webrtc' : 'plain';
  }

  /** Ends the call on rtpengine (BYE, CANCEL, a failed or unanswered call, a call found gone). */
  end(callId: string, why: string): void {
    const call = this.#calls.get(callId);
    if (!call) return;
    this.#calls.delete(callId);
    this.#answers.delete(callId);
    if (!this.client) return;
    void this.client.request('delete', { 'call-id': callId, 'from-tag': call.callerTag }).then((outcome) => {
      if (!outcome.ok)
        this.logger.warn({ callId, why, reason: outcome.reason }, 'rtpengine delete failed (its own timeout will end the call)');
    });
  }

  #failure(status: 488 | 503, detail: string): BridgeFailure {
    const unavailable = status === 503;
    const en = unavailable
      ? 'Media relay (rtpengine) not reachable; a browser and a SIP phone cannot be connected'
      : detail === 'none configured'
        ? 'This call needs a media relay between a browser and a SIP phone, and none is configured'
        : 'The media relay could not connect a browser and a SIP phone for this call';
    const zh = unavailable
      ? '媒体中继（rtpengine）无法连接，浏览器与 SIP 话机之间无法接通'
      : detail === 'none configured'
        ? '此通话需要在浏览器与 SIP 话机之间使用媒体中继，但未配置媒体中继'
        : '媒体中继无法为此通话连接浏览器与 SIP 话机';
    return {
      status,
      reason: unavailable ? 'Media Relay Unavailable' : 'Not Acceptable Here',
      // RFC 3261 §20.43: 302 "Incompatible transport protocol" is the closest code; the texts say why.
      warnings: [
        { name: 'Warning', value: `302 ${this.host} "${en}"` },
        { name: 'Warning', value: `302 ${this.host} "${zh}"` },
      ],
    };
  }
}
