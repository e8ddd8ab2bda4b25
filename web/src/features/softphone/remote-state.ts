import type { IncomingInfoEvent, OutgoingInfoEvent, RTCSession, SDPEvent } from 'jssip/lib/RTCSession';

/** What the other party does with its microphone and camera, as far as this phone can tell. */
export interface PeerMediaState {
  muted: boolean;
  cameraOff: boolean;
}

/** The body type of our state INFO; a SIP phone that does not know it answers 415 and nothing else changes. */
export const PEER_STATE_CONTENT_TYPE = 'application/vnd.videophone.state+json';

/**
 * How each side learns the other's microphone and camera state.
 *
 * Muting in JsSIP sets `track.enabled = false` on the sender: the far end keeps receiving RTP (silence,
 * black frames), so its remote track never fires `mute` and the picture is just black. Three sources,
 * each for a different kind of far end, are combined:
 *
 * 1. Between two of our softphones: a SIP INFO within the dialog (RFC 6086 §2, "legacy" INFO usage
 *    without an Info Package) whose JSON body says `{ muted, cameraOff }`, sent whenever either
 *    changes and once when the call is confirmed. In-dialog requests follow the route set through our
 *    proxy like BYE does (src/calls/proxy.ts #forwardInDialog forwards any method). It needs no
 *    renegotiation, so it cannot glare with a hold or ICE-restart re-INVITE (RFC 3261 §14.1), and
 *    muting stays instant. A re-INVITE per mute would also reach SIP phones, but a muted microphone is
 *    not an SDP direction change and many phones treat sendonly as hold.
 * 2. A SIP phone that turns its camera off by re-INVITE with the video m-line `recvonly` or `inactive`
 *    (RFC 3264 §5.1, §8.4) while the audio still flows: read from each remote SDP.
 * 3. A far end that stops sending video (replaceTrack(null), a phone that simply stops): the receiving
 *    track goes `muted` when no RTP arrives (W3C mediacapture-main §4.3.1.1, webrtc-pc §5.2 receiver).
 *
 * A SIP phone without any of these simply shows no sign: the state is never guessed from the picture.
 * Hold is not here: JsSIP's hold re-INVITE (a=sendonly, RFC 3264 §8.4) is the standard signal and the
 * engine shows it from JsSIP's `hold` events.
 */
export class PeerStateChannel {
  #fromInfo: PeerMediaState = { muted: false, cameraOff: false };
  #videoNotSent = false;
  #videoTrackMuted = false;
  /** A far end that answered our INFO with an error does not understand it: stop sending. */
  #infoRefused = false;
  #lastSent: string | null = null;

  constructor(
    private readonly session: RTCSession,
    private readonly onChange: (state: PeerMediaState) => void,
  ) {
    session.on('newInfo', (event: IncomingInfoEvent | OutgoingInfoEvent) => {
      if (event.originator === 'local') {
        // Info is a Node-style EventEmitter that JsSIP's typings do not expose to the web build.
        (event.info as unknown as { on(name: 'failed', listener: () => void): void }).on('failed', () => {
          this.#infoRefused = true;
        });
        return;
      }
      if (!event.info.contentType.toLowerCase().startsWith(PEER_STATE_CONTENT_TYPE)) return;
      const parsed = parsePeerState(event.info.body);
      if (!parsed) return;
      this.#fromInfo = parsed;
      this.#publish();
    });
    session.on('sdp', (event: SDPEvent) => {
      if (event.originator !== 'remote') return;
      this.#videoNotSent = !remoteSendsVideo(event.sdp);
      this.#publish();
    });
  }

  /** The remote video track (from the peer connection's `track` event): its mute/unmute are source 3. */
  watchTrack(track: MediaStreamTrack): void {
    if (track.kind !== 'video') return;
    track.addEventListener('mute', () => {
      this.#videoTrackMuted = true;
      this.#publish();
    });
    track.addEventListener('unmute', () => {
      this.#videoTrackMuted = false;
      this.#publish();
    });
  }

  /** Tells the other party this side's state; repeated states and refused INFO are not sent again. */
  send(state: PeerMediaState): void {
    const body = JSON.stringify({ muted: state.muted, cameraOff: state.cameraOff });
    if (this.#infoRefused || body === this.#lastSent) return;
    try {
      this.session.sendInfo(PEER_STATE_CONTENT_TYPE, body);
      this.#lastSent = body;
    } catch {
      // Not confirmed yet (or already ending): the confirmed handler sends the state then.
    }
  }

  current(): PeerMediaState {
    return {
      muted: this.#fromInfo.muted,
      cameraOff: this.#fromInfo.cameraOff || this.#videoNotSent || this.#videoTrackMuted,
    };
  }

  #publish(): void {
    this.onChange(this.current());
  }
}

export function parsePeerState(body: string | undefined): PeerMediaState | null {
  if (!body) return null;
  try {
    const value = JSON.parse(body) as unknown;
    if (typeof value !== 'object' || value === null) return null;
    const { muted, cameraOff } = value as Record<string, unknown>;
    return { muted: muted === true, cameraOff: cameraOff === true };
  } catch {
    return null;
  }
}

/**
 * Whether the remote SDP says the other side sends video: a video m-line with a port other than 0 and
 * a direction of sendrecv or sendonly (RFC 3264 §5.1; §6: the session-level attribute is the default).
 * An SDP without a video m-line (an audio-only phone) counts as sending, so it is not shown as "camera off".
 */
export function remoteSendsVideo(sdp: string): boolean {
  const lines = sdp.split(/\r?\n/);
  const direction = (from: string[]) =>
    from
      .find((line) => /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/.test(line))
      ?.slice(2)
      .trim();
  const firstMedia = lines.findIndex((line) => line.startsWith('m='));
  const sessionDirection = direction(firstMedia < 0 ? lines : lines.slice(0, firstMedia)) ?? 'sendrecv';
  let sawVideo = false;
  for (let start = firstMedia; start >= 0 && start < lines.length;) {
    const next = lines.findIndex((line, index) => index > start && line.startsWith('m='));
    const section = lines.slice(start, next < 0 ? lines.length : next);
    const mLine = section[0] ?? '';
    if (mLine.startsWith('m=video')) {
      sawVideo = true;
      const port = Number(mLine.split(/\s+/)[1]);
      const mediaDirection = direction(section) ?? sessionDirection;
      if (port !== 0 && (mediaDirection === 'sendrecv' || mediaDirection === 'sendonly')) return true;
    }
    start = next;
  }
  return !sawVideo;
}
