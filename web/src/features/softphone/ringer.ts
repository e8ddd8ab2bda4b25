/**
 * The phone's sounds, generated with Web Audio (no audio files to ship or license): a ringtone while a
 * call comes in, ringback while the called phone rings.
 *
 * Browsers start an AudioContext "suspended" unless a person has interacted with the page (Chrome's
 * autoplay policy), and a call can come in while nobody touches the page. So there is one context per
 * page, created (or resumed) at a user gesture: the sign-in or licence button, the "enable sound"
 * button the phone shows while sound is off, or the first click or key press anywhere on the page
 * (`unlockOnFirstGesture`). Once running it stays running, also when the tab goes to the background.
 */

export type RingerTone = 'ringtone' | 'ringback';
export type SoundState = 'running' | 'suspended' | 'unavailable';

interface Beep {
  /** Hz; two tones sound together (a chord) when given. */
  frequencies: number[];
  startS: number;
  lengthS: number;
}

interface Pattern {
  periodS: number;
  beeps: Beep[];
  gain: number;
}

/**
 * Ringback as Chinese exchanges send it (YD/T 1206 / GF 002-9002): 450 Hz, 1 s on, 4 s off.
 * The ringtone is a softer two-note chime (a major third, 660/830 Hz) twice, then a pause: distinct
 * from the ringback, so a person hears at once whether their phone rings or the other one does.
 */
const patterns: Record<RingerTone, Pattern> = {
  ringback: { periodS: 5, gain: 0.12, beeps: [{ frequencies: [450], startS: 0, lengthS: 1 }] },
  ringtone: {
    periodS: 3,
    gain: 0.15,
    beeps: [
      { frequencies: [660, 830], startS: 0, lengthS: 0.4 },
      { frequencies: [660, 830], startS: 0.5, lengthS: 0.4 },
    ],
  },
};

/** How far ahead tones are scheduled on the audio clock; a timer tops the schedule up. */
const SCHEDULE_AHEAD_S = 10;
/** A short ramp at each edge: an abrupt start or stop of a sine wave clicks. */
const RAMP_S = 0.02;

class Ringer {
  #context: AudioContext | null = null;
  #tone: RingerTone | null = null;
  #output: GainNode | null = null;
  #nextPeriodAt = 0;
  #timer: ReturnType<typeof setInterval> | null = null;
  readonly #listeners = new Set<() => void>();

  /** What is sounding now (null: silence). */
  get tone(): RingerTone | null {
    return this.#tone;
  }

  get soundState(): SoundState {
    if (!this.#context) return typeof AudioContext === 'undefined' ? 'unavailable' : 'suspended';
    return this.#context.state === 'running' ? 'running' : 'suspended';
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }

  /** Call from a user gesture (click, key): creates or resumes the context the browser would otherwise keep suspended. */
  unlock(): void {
    if (typeof AudioContext === 'undefined') return;
    if (!this.#context) {
      this.#context = new AudioContext();
      this.#context.addEventListener('statechange', () => this.#changed());
    }
    if (this.#context.state !== 'running') void this.#context.resume().catch(() => undefined);
    // A tone asked for while suspended starts now.
    if (this.#tone && !this.#output) this.#start(this.#tone);
    this.#changed();
  }

  /** Plays `tone` until `stop()` or another tone; a no-op when it is already playing. */
  play(tone: RingerTone): void {
    if (this.#tone === tone) return;
    this.#silence();
    this.#tone = tone;
    this.#start(tone);
    this.#changed();
  }

  stop(): void {
    if (this.#tone === null) return;
    this.#silence();
    this.#tone = null;
    this.#changed();
  }

  #start(tone: RingerTone): void {
    const context = this.#context;
    if (!context) return;
    const output = context.createGain();
    output.gain.value = patterns[tone].gain;
    output.connect(context.destination);
    this.#output = output;
    this.#nextPeriodAt = context.currentTime + 0.05;
    this.#schedule();
    this.#timer = setInterval(() => this.#schedule(), (SCHEDULE_AHEAD_S / 2) * 1000);
  }

  #schedule(): void {
    const context = this.#context;
    const output = this.#output;
    const tone = this.#tone;
    if (!context || !output || !tone) return;
    const pattern = patterns[tone];
    while (this.#nextPeriodAt < context.currentTime + SCHEDULE_AHEAD_S) {
      for (const beep of pattern.beeps) {
        const start = this.#nextPeriodAt + beep.startS;
        const end = start + beep.lengthS;
        const envelope = context.createGain();
        envelope.gain.setValueAtTime(0, start);
        envelope.gain.linearRampToValueAtTime(1 / beep.frequencies.length, start + RAMP_S);
        envelope.gain.setValueAtTime(1 / beep.frequencies.length, end - RAMP_S);
        envelope.gain.linearRampToValueAtTime(0, end);
        envelope.connect(output);
        for (const frequency of beep.frequencies) {
          const oscillator = context.createOscillator();
          oscillator.type = 'sine';
          oscillator.frequency.value = frequency;
          oscillator.connect(envelope);
          oscillator.start(start);
          oscillator.stop(end);
        }
      }
      this.#nextPeriodAt += pattern.periodS;
    }
  }

  #silence(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    // Disconnecting the output silences every oscillator already scheduled on it; they end by themselves.
    this.#output?.disconnect();
    this.#output = null;
  }
}

/** One per page: a browser allows only a few AudioContexts, and the unlocked one must survive re-renders. */
export const ringer = new Ringer();

/** Resumes the sound at the first click or key press on the page (see the module comment). */
export function unlockOnFirstGesture(): () => void {
  const unlock = () => {
    ringer.unlock();
    if (ringer.soundState === 'running') remove();
  };
  const remove = () => {
    window.removeEventListener('pointerdown', unlock, true);
    window.removeEventListener('keydown', unlock, true);
  };
  window.addEventListener('pointerdown', unlock, true);
  window.addEventListener('keydown', unlock, true);
  return remove;
}

/**
 * Which tone a call needs: the ringtone while it comes in; ringback once the called phone rings (a
 * 180), until it answers, unless a provisional response brought early media, when the far end plays
 * its own tones or announcement (RFC 3960 §3).
 */
export function toneFor(call: { direction: 'incoming' | 'outgoing'; phase: string; earlyMedia: boolean } | null): RingerTone | null {
  if (!call) return null;
  if (call.direction === 'incoming') return call.phase === 'incoming' ? 'ringtone' : null;
  return call.phase === 'ringing' && !call.earlyMedia ? 'ringback' : null;
}
