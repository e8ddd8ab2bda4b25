import { describe, expect, it } from 'vitest';
import { OverloadControl } from '../../src/calls/overload-control.js';

/** A control on a hand-moved clock, with the load the test says. */
function control(initialBusy = 0) {
  let now = 1_000_000;
  let busy = initialBusy;
  const overload = new OverloadControl({ now: () => now, busy: () => busy });
  return {
    overload,
    advance(ms: number) {
      now += ms;
    },
    setBusy(fraction: number) {
      busy = fraction;
    },
    /** How many of `count` new requests are taken now. */
    admitted(count: number) {
      let taken = 0;
      for (let i = 0; i < count; i += 1) if (overload.admit()) taken += 1;
      return taken;
    },
    late(count: number) {
      for (let i = 0; i < count; i += 1) overload.lateRetransmission();
    },
  };
}

describe('overload control at the SIP edge (RFC 5390)', () => {
  it('takes everything while the process keeps up', () => {
    const c = control(0.99);
    for (let window = 0; window < 10; window += 1) {
      expect(c.admitted(100)).toBe(100);
      c.advance(500);
    }
    expect(c.overload.shed).toBe(0);
  });

  it('is not moved by late retransmissions while the process is not busy (a client that sends each datagram twice)', () => {
    const c = control(0.3);
    for (let window = 0; window < 10; window += 1) {
      c.late(50);
      c.advance(500);
    }
    expect(c.overload.admittedShare).toBe(1);
    expect(c.admitted(100)).toBe(100);
  });

  it('is not moved by a busy loop that answers everyone in time', () => {
    const c = control(1);
    c.late(2);
    c.advance(500);
    expect(c.overload.admittedShare).toBe(1);
  });

  it('is not moved by a few late senders among many served in time (near capacity, not beyond it)', () => {
    const c = control(1);
    expect(c.admitted(200)).toBe(200);
    c.late(9);
    c.advance(500);
    expect(c.overload.admittedShare).toBe(1);
    expect(c.admitted(200)).toBe(200);
    c.late(10);
    c.advance(500);
    expect(c.overload.admittedShare).toBe(1 / 2);
  });

  it('halves the share taken for each window that is busy and late, down to a floor, and spreads what it takes evenly', () => {
    const c = control(0.97);
    c.late(3);
    c.advance(500);
    expect(c.overload.admittedShare).toBe(1 / 2);
    // Every second request, not a random half.
    const decisions = Array.from({ length: 8 }, () => c.overload.admit());
    expect(decisions.filter(Boolean)).toHaveLength(4);
    expect(decisions.join()).toBe('false,true,false,true,false,true,false,true');
    c.late(10);
    c.advance(500);
    expect(c.overload.admittedShare).toBe(1 / 4);
    expect(c.admitted(100)).toBe(25);
    for (let window = 0; window < 10; window += 1) {
      c.late(10);
      c.advance(500);
    }
    expect(c.overload.admittedShare).toBe(1 / 16);
    expect(c.admitted(160)).toBe(10);
    expect(c.overload.shed).toBe(4 + 75 + 150);
  });

  it('takes the work back step by step once the lateness stops, counting the windows nothing came in', () => {
    const c = control(1);
    for (let window = 0; window < 6; window += 1) {
      c.late(5);
      c.advance(500);
    }
    expect(c.overload.admittedShare).toBe(1 / 16);
    // Busy, but nobody waited: recovering.
    c.advance(500);
    expect(c.overload.admittedShare).toBe(1 / 16 + 1 / 8);
    // Four quiet seconds with no message at all: everything again.
    c.advance(4_000);
    expect(c.overload.admittedShare).toBe(1);
    expect(c.admitted(100)).toBe(100);
  });
});
