import type { RTCSession } from 'jssip/lib/RTCSession';
import type { DTMF_TRANSPORT } from 'jssip/lib/Constants';

/** The keys of a phone keypad, in keypad order (RFC 4733 §3.2 events 0–11). */
export const KEYPAD_TONES = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;
export type KeypadTone = (typeof KEYPAD_TONES)[number];

/**
 * How a digit travels: as RFC 4733 telephone-events in the audio RTP stream (what gateways and IVRs
 * expect), or as a SIP INFO with an application/dtmf-relay body, JsSIP's fallback for a far end
 * that negotiated no telephone-event.
 */
export type DtmfTransport = 'rfc4733' | 'info';

/** How long each tone lasts and the gap between queued tones (ms): what a person pressing keys produces. */
const TONE_MS = 160;
const GAP_MS = 70;

export function isKeypadTone(key: string): key is KeypadTone {
  return (KEYPAD_TONES as readonly string[]).includes(key);
}

/**
 * Whether the audio section of an SDP carries telephone-event (RFC 4733 §7.1.1:
 * `a=rtpmap:<pt> telephone-event/<rate>`). Chrome offers it at 8000 Hz and at 48000 Hz for Opus.
 */
export function hasTelephoneEvent(sdp: string | undefined): boolean {
  if (!sdp) return false;
  const audio = sdp.split(/\r?\n(?=m=)/).find((section) => section.startsWith('m=audio'));
  return audio !== undefined && /^a=rtpmap:\d+ telephone-event\/\d+/im.test(audio);
}

/**
 * Sends one keypad digit in a call. RFC 4733 through the audio sender's RTCDTMFSender when the
 * far end's SDP accepted telephone-event (the sender can then insert DTMF), else a SIP INFO.
 * `onSent` hears each digit when it leaves: for RFC 4733 when the RTCDTMFSender starts playing
 * it (`tonechange`), for INFO when the request is sent.
 */
export function sendDtmf(session: RTCSession, tone: KeypadTone, onSent: (tone: string, transport: DtmfTransport) => void): DtmfTransport {
  const pc = session.connection as RTCPeerConnection | null;
  const sender = pc?.getSenders().find((candidate) => candidate.track?.kind === 'audio')?.dtmf ?? null;
  const rfc4733 = sender !== null && sender.canInsertDTMF && hasTelephoneEvent(pc?.remoteDescription?.sdp);
  if (rfc4733) {
    watchTones(sender, onSent);
    session.sendDTMF(tone, { transportType: 'RFC2833' as DTMF_TRANSPORT, duration: TONE_MS, interToneGap: GAP_MS });
    return 'rfc4733';
  }
  session.sendDTMF(tone, { transportType: 'INFO' as DTMF_TRANSPORT, duration: TONE_MS, interToneGap: GAP_MS });
  onSent(tone, 'info');
  return 'info';
}

const watched = new WeakSet<RTCDTMFSender>();

function watchTones(sender: RTCDTMFSender, onSent: (tone: string, transport: DtmfTransport) => void): void {
  if (watched.has(sender)) return;
  watched.add(sender);
  // An empty tone marks the end of the queue (WebRTC 1.0 §7.2), not a digit.
  sender.addEventListener('tonechange', (event) => {
    if (event.tone) onSent(event.tone, 'rfc4733');
  });
}
