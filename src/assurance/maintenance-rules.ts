import type { FieldError } from '../platform/result.js';
import { merge, type Span } from './rules.js';
import type { MaintenanceEffect, MaintenanceScope } from './tables.js';

/**
 * The pure rules of maintenance windows (clause 7): what a valid announcement is, when it is on time,
 * which time it excuses from outage credits, which old number still answers with the new one, and the
 * words of its notice. The operations in maintenance.ts gather the facts and apply the result.
 */

export const MAINTENANCE_EFFECTS: readonly MaintenanceEffect[] = ['interruption', 'degraded', 'number-change'];

export interface NumberChange {
  oldNumber: string;
  newNumber: string;
}

export interface WindowFacts {
  startsAt: Date;
  endsAt: Date;
  effect: MaintenanceEffect;
  scope: MaintenanceScope;
  /** For a number change: one per number in the scope. */
  numberChanges: readonly NumberChange[];
  titleZh: string;
  titleEn: string;
  descriptionZh: string;
  descriptionEn: string;
  /** Required when the window is published with less than the notice lead time. */
  lateReason: string | null;
}

/** A field error in both languages: `message` in English (the API's), `messageZh` for a Chinese reader. */
export interface BilingualFieldError extends FieldError {
  messageZh: string;
}

const NUMBER = /^\+?\d{3,20}$/;

/** Clause 7: a window is announced on time when published at least `leadHours` before it begins. */
export function isOnTime(publishedAt: Date, startsAt: Date, leadHours: number): boolean {
  return startsAt.getTime() - publishedAt.getTime() >= leadHours * 3_600_000;
}

/**
 * Field errors of a window published at `now`. Times are whole minutes, the window begins after now
 * and ends after it begins. Published with less than the notice lead time, it needs a reason (it is
 * then credited as an outage). A number change names its old and new number for each number in scope.
 */
export function validateWindow(facts: WindowFacts, now: Date, leadHours: number): BilingualFieldError[] {
  const errors: BilingualFieldError[] = [];
  const add = (field: string, message: string, messageZh: string) => errors.push({ field, message, messageZh });
  const wholeMinute = (d: Date) => d.getTime() % 60_000 === 0;
  if (!wholeMinute(facts.startsAt)) add('startsAt', 'must be a whole minute', '须为整分钟');
  if (!wholeMinute(facts.endsAt)) add('endsAt', 'must be a whole minute', '须为整分钟');
  if (facts.endsAt <= facts.startsAt) add('endsAt', 'must be after the start', '须晚于开始时间');
  if (facts.startsAt <= now) add('startsAt', 'must be in the future', '须晚于当前时间');
  else if (!isOnTime(now, facts.startsAt, leadHours) && (facts.lateReason ?? '').trim() === '')
    add(
      'startsAt',
      `maintenance is announced at least ${leadHours} hours before it begins (clause 7); give a reason to publish it later, and it is then credited as an outage`,
      `维护须至少提前 ${leadHours} 小时通知（第七条）；如需更晚发布，须填写原因，届时按服务中断给予补偿`,
    );
  if (facts.scope.kind === 'numbers') {
    if (facts.scope.numbers.length === 0) add('scope.numbers', 'name at least one number', '请至少填写一个号码');
    facts.scope.numbers.forEach((n, i) => {
      if (!NUMBER.test(n.trim())) add(`scope.numbers.${i}`, 'is not a number', '不是有效号码');
    });
  }
  if (facts.effect === 'number-change') {
    const scoped = facts.scope.kind === 'numbers' ? facts.scope.numbers.map((n) => n.trim()) : [];
    if (facts.scope.kind !== 'numbers') add('scope', 'a number change names the numbers it changes', '号码变更须列出所变更的号码');
    const olds = facts.numberChanges.map((c) => c.oldNumber.trim());
    if (olds.length !== scoped.length || scoped.some((n) => !olds.includes(n)))
      add('numberChanges', 'give the new number of each number in scope, and no other', '请为范围内每个号码（且仅为这些号码）填写新号码');
    const news = new Set<string>();
    facts.numberChanges.forEach((c, i) => {
      const next = c.newNumber.trim();
      if (!NUMBER.test(next)) add(`numberChanges.${i}.newNumber`, 'is not a number', '不是有效号码');
      else if (next === c.oldNumber.trim()) add(`numberChanges.${i}.newNumber`, 'is the old number', '与原号码相同');
      else if (news.has(next)) add(`numberChanges.${i}.newNumber`, 'is given twice', '重复填写');
      news.add(next);
    });
  } else if (facts.numberChanges.length > 0) add('numberChanges', 'only a number change has new numbers', '仅号码变更需要填写新号码');
  for (const field of ['titleZh', 'titleEn', 'descriptionZh', 'descriptionEn'] as const)
    if (facts[field].trim() === '') add(field, 'is required', '必填');
  return errors;
}

/** A window as the credit rules see it. */
export interface WindowForCredits {
  startsAt: Date;
  endsAt: Date;
  onTime: boolean;
  cancelled: boolean;
  subscriberIds: readonly string[];
}

/**
 * Clause 7: the time inside announced windows that reached the subscriber, which earns no credit even
 * when an outage overlaps it. A late window (clause 13) and a cancelled one excuse nothing.
 */
export function excusedByWindows(windows: readonly WindowForCredits[], subscriberId: string): Span[] {
  return merge(
    windows
      .filter((w) => w.onTime && !w.cancelled && w.subscriberIds.includes(subscriberId))
      .map((w) => ({ from: w.startsAt.getTime(), to: w.endsAt.getTime() })),
  );
}

/**
 * Clause 7: a changed number answers with the new one from the window's start (when the change takes
 * effect) for `announceDays` days.
 */
export function movedNumber(
  changes: readonly { number: string; newNumber: string; startsAt: Date; cancelled: boolean }[],
  number: string,
  at: Date,
  announceDays: number,
): string | null {
  const live = changes
    .filter((c) => !c.cancelled && c.number === number)
    .filter((c) => c.startsAt <= at && at.getTime() < c.startsAt.getTime() + announceDays * 86_400_000)
    .sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime());
  return live[0]?.newNumber ?? null;
}

// ── The notice's words ──────────────────────────────────────────────────────────────────────────

export interface Bilingual {
  en: string;
  'zh-CN': string;
}

const EFFECT_WORDS: Record<MaintenanceEffect, Bilingual> = {
  interruption: { en: 'video calls will be interrupted', 'zh-CN': '视频通话将中断' },
  degraded: { en: 'service may be degraded', 'zh-CN': '服务质量可能下降' },
  'number-change': { en: 'your number will change', 'zh-CN': '您的号码将变更' },
};

/** `2026-01-14 02:00` in the operator's time zone. */
export function localTime(instant: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

export interface WindowNoticeFacts {
  reference: string;
  startsAt: Date;
  endsAt: Date;
  effect: MaintenanceEffect;
  titleZh: string;
  titleEn: string;
  descriptionZh: string;
  descriptionEn: string;
}

/**
 * The notice of a window to one subscriber, in both languages, with the local times; for a number
 * change, the subscriber's own old and new numbers.
 */
export function windowNotice(
  window: WindowNoticeFacts,
  changes: readonly { number: string | null; newNumber: string | null }[],
  timeZone: string,
  cancelled: { reason: string } | null,
): { title: Bilingual; body: Bilingual } {
  const from = localTime(window.startsAt, timeZone);
  const to = localTime(window.endsAt, timeZone);
  const zone = timeZone === 'Asia/Shanghai' ? { en: 'Beijing time', 'zh-CN': '北京时间' } : { en: timeZone, 'zh-CN': timeZone };
  const moved = changes.filter((c) => c.number && c.newNumber);
  const numbersEn = moved.map((c) => ` Your number ${c.number} becomes ${c.newNumber}.`).join('');
  const numbersZh = moved.map((c) => `您的号码 ${c.number} 将变更为 ${c.newNumber}。`).join('');
  if (cancelled)
    return {
      title: { en: `Maintenance cancelled: ${window.titleEn}`, 'zh-CN': `维护已取消：${window.titleZh}` },
      body: {
        en: `The maintenance ${window.reference} announced for ${from} – ${to} (${zone.en}) will not take place. ${cancelled.reason}`,
        'zh-CN': `原定于 ${from} 至 ${to}（${zone['zh-CN']}）进行的维护 ${window.reference} 已取消。${cancelled.reason}`,
      },
    };
  return {
    title: { en: `Maintenance: ${window.titleEn}`, 'zh-CN': `维护通知：${window.titleZh}` },
    body: {
      en:
        `From ${from} to ${to} (${zone.en}) ${EFFECT_WORDS[window.effect].en} (${window.reference}).${numbersEn} ` +
        `${window.descriptionEn}`,
      'zh-CN':
        `${from} 至 ${to}（${zone['zh-CN']}）期间${EFFECT_WORDS[window.effect]['zh-CN']}（${window.reference}）。${numbersZh}` +
        `${window.descriptionZh}`,
    },
  };
}
