import { describe, expect, it } from 'vitest';
import { hasTelephoneEvent, isKeypadTone } from '../../web/src/features/softphone/dtmf';

const audio = (rtpmaps: string[]) =>
  ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111 126', ...rtpmaps].join('\r\n');

describe('choosing how keypad digits travel', () => {
  it('RFC 4733 when the audio section of the far end’s SDP has telephone-event, at 8000 or 48000 Hz', () => {
    expect(hasTelephoneEvent(audio(['a=rtpmap:111 opus/48000/2', 'a=rtpmap:126 telephone-event/8000']))).toBe(true);
    expect(hasTelephoneEvent(audio(['a=rtpmap:111 opus/48000/2', 'a=rtpmap:110 telephone-event/48000']))).toBe(true);
  });

  it('SIP INFO when it has none, when it is only in the video section, or when there is no SDP', () => {
    expect(hasTelephoneEvent(audio(['a=rtpmap:111 opus/48000/2']))).toBe(false);
    const videoOnly = audio(['a=rtpmap:111 opus/48000/2']) + '\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 telephone-event/8000';
    expect(hasTelephoneEvent(videoOnly)).toBe(false);
    expect(hasTelephoneEvent(undefined)).toBe(false);
  });

  it('the keypad sends 0–9, * and # and nothing else', () => {
    expect(['0', '9', '*', '#'].every(isKeypadTone)).toBe(true);
    expect(['A', 'a', ',', '10', ''].some(isKeypadTone)).toBe(false);
  });
});
