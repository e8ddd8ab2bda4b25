import { describe, expect, it } from 'vitest';
import { excusedByWindows, isOnTime, movedNumber, validateWindow, type WindowFacts } from '../../src/assurance/index.js';
import { outageCredit, subtract } from '../../src/assurance/rules.js';
import { windowNotice } from '../../src/assurance/maintenance-rules.js';
import { local } from './support.js';

const hours = (h: number) => h * 3_600_000;

const facts = (overrides: Partial<WindowFacts> = {}): WindowFacts => ({
  startsAt: local('2026-01-13 17:00'),
  endsAt: local('2026-01-13 21:00'),
  effect: 'interruption',
  scope: { kind: 'all' },
  numberChanges: [],
  titleZh: '核心网升级',
  titleEn: 'Core network upgrade',
  descriptionZh: '视频通话将中断。',
  descriptionEn: 'Video calls are interrupted.',
  lateReason: null,
  ...overrides,
});

describe('a maintenance window is announced on time (clause 7)', () => {
  it('when published at least the lead time before it begins, and not a minute less', () => {
    const start = local('2026-01-13 17:00');
    expect(isOnTime(new Date(start.getTime() - hours(72)), start, 72)).toBe(true);
    expect(isOnTime(new Date(start.getTime() - hours(72) + 60_000), start, 72)).toBe(false);
  });

  it('a late one is refused on startsAt, in English and Chinese, unless it states a reason', () => {
    const now = local('2026-01-13 07:00');
    const [error, ...rest] = validateWindow(facts(), now, 72);
    expect(rest).toEqual([]);
    expect(error).toMatchObject({
      field: 'startsAt',
      message: expect.stringContaining('72 hours'),
      messageZh: expect.stringContaining('72 小时'),
    });
    expect(validateWindow(facts({ lateReason: 'urgent security fix' }), now, 72)).toEqual([]);
    expect(validateWindow(facts({ lateReason: '  ' }), now, 72).map((e) => e.field)).toEqual(['startsAt']);
  });

  it('one that has begun, ends before it begins, or is not on whole minutes is refused whatever the reason', () => {
    const now = local('2026-01-13 18:00');
    const fields = validateWindow(facts({ endsAt: new Date(local('2026-01-13 16:00').getTime() + 1_000), lateReason: 'x' }), now, 72).map(
      (e) => e.field,
    );
    expect(fields).toEqual(['endsAt', 'endsAt', 'startsAt']);
  });

  it('a number change gives one new number per number in scope, none equal to the old', () => {
    const now = local('2026-01-01 00:00');
    const scope = { kind: 'numbers' as const, numbers: ['+8610700000002'] };
    expect(validateWindow(facts({ effect: 'number-change', scope: { kind: 'all' } }), now, 72).map((e) => e.field)).toEqual(['scope']);
    expect(
      validateWindow(
        facts({ effect: 'number-change', scope, numberChanges: [{ oldNumber: '+8610700000002', newNumber: '+8610700000002' }] }),
        now,
        72,
      ).map((e) => e.field),
    ).toEqual(['numberChanges.0.newNumber']);
    expect(
      validateWindow(
        facts({ effect: 'number-change', scope, numberChanges: [{ oldNumber: '+8610700000002', newNumber: '+8610700009999' }] }),
        now,
        72,
      ),
    ).toEqual([]);
    expect(
      validateWindow(facts({ numberChanges: [{ oldNumber: '+8610700000002', newNumber: '+8610700009999' }] }), now, 72).map((e) => e.field),
    ).toEqual(['numberChanges']);
  });
});

describe('time inside an announced window earns no credit (clauses 7 and 13)', () => {
  const window = {
    startsAt: local('2026-01-13 17:00'),
    endsAt: local('2026-01-13 21:00'),
    onTime: true,
    cancelled: false,
    subscriberIds: ['alice'],
  };
  const outage = [{ from: local('2026-01-13 00:00').getTime(), to: local('2026-01-14 06:00').getTime() }];

  it('an outage overlapping an on-time window is credited only outside it: 30 h less 4 h = 1560 minutes, 1.56 at 0.1 fen a minute', () => {
    const affected = subtract(outage, excusedByWindows([window], 'alice'));
    expect(outageCredit(44_64, affected, 'Asia/Shanghai')).toMatchObject({ minutes: 1560, creditFen: 1_56 });
  });

  it('the window excuses nothing for a subscriber it did not reach', () => {
    expect(excusedByWindows([window], 'bob')).toEqual([]);
  });

  it('a late window (credited as an outage) and a cancelled one excuse nothing', () => {
    expect(excusedByWindows([{ ...window, onTime: false }], 'alice')).toEqual([]);
    expect(excusedByWindows([{ ...window, cancelled: true }], 'alice')).toEqual([]);
  });

  it('overlapping windows excuse their union once', () => {
    const later = { ...window, startsAt: local('2026-01-13 20:00'), endsAt: local('2026-01-13 22:00') };
    expect(excusedByWindows([window, later], 'alice')).toEqual([
      { from: local('2026-01-13 17:00').getTime(), to: local('2026-01-13 22:00').getTime() },
    ]);
  });
});

describe('a changed number points to the new one (clause 7)', () => {
  const change = { number: '+8610700000002', newNumber: '+8610700009999', startsAt: local('2026-01-20 02:00'), cancelled: false };

  it('from the start of the window for the announced days, and not before or after', () => {
    expect(movedNumber([change], change.number, local('2026-01-20 01:59'), 90)).toBeNull();
    expect(movedNumber([change], change.number, local('2026-01-20 02:00'), 90)).toBe('+8610700009999');
    expect(movedNumber([change], change.number, local('2026-04-20 01:59'), 90)).toBe('+8610700009999');
    expect(movedNumber([change], change.number, local('2026-04-20 02:00'), 90)).toBeNull();
  });

  it('not when the change was cancelled, and the latest change wins when a number moved twice', () => {
    expect(movedNumber([{ ...change, cancelled: true }], change.number, local('2026-02-01 00:00'), 90)).toBeNull();
    const again = { ...change, newNumber: '+8610700008888', startsAt: local('2026-01-25 02:00') };
    expect(movedNumber([change, again], change.number, local('2026-02-01 00:00'), 90)).toBe('+8610700008888');
  });
});

describe('the notice of a window', () => {
  it('states the local times in both languages, and the subscriber’s own old and new number', () => {
    const notice = windowNotice(
      { reference: 'MW-7', ...facts({ effect: 'number-change' }) },
      [{ number: '+8610700000002', newNumber: '+8610700009999' }],
      'Asia/Shanghai',
      null,
    );
    expect(notice.title).toEqual({ en: 'Maintenance: Core network upgrade', 'zh-CN': '维护通知：核心网升级' });
    expect(notice.body.en).toBe(
      'From 2026-01-13 17:00 to 2026-01-13 21:00 (Beijing time) your number will change (MW-7). Your number +8610700000002 becomes +8610700009999. Video calls are interrupted.',
    );
    expect(notice.body['zh-CN']).toBe(
      '2026-01-13 17:00 至 2026-01-13 21:00（北京时间）期间您的号码将变更（MW-7）。您的号码 +8610700000002 将变更为 +8610700009999。视频通话将中断。',
    );
  });
});
