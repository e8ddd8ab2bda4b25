import { randomUUID } from 'node:crypto';
import {
  acceptTermsChange,
  addCaseEntry,
  agreementParametersFor,
  listAgreementVersions,
  objectToTermsChange,
  publishAgreementVersion,
  signAgreement,
} from '../agreements/index.js';
import { systemActor, type Actor } from '../audit/index.js';
import { amountOwedNow, amountOwedOnBill, billBalances, importReconciliation, recordPayment, type BillBalance } from '../billing/index.js';
import { CallRecorder, recordQualityReport, type QualityReportInput } from '../calls/index.js';
import { answerDispute, assignDispute, acceptAnswer, escalateDispute, openDispute } from '../disputes/index.js';
import { numbersOfSubscriber } from '../numbers/index.js';
import { createPaymentIntent, type NotificationTransport } from '../payments/index.js';
import type { TestClock } from '../platform/clock.js';
import {
  addDays,
  addMonthsClamped,
  localDateOf,
  periodOf,
  nextPeriod,
  startOfLocalDay,
  type LocalDate,
} from '../platform/zoned-calendar.js';
import type { Service } from '../service.js';
import { activateIfReady, decideOnSubscriber, requestTermination, submitApplication } from '../subscribers/index.js';
import { demoStaffActor } from './load-demo.js';
import { castOfStory, DEMO_STORY_SEED, StoryDice, type CastMember } from './story-cast.js';

/**
 * The demo's year (issue #14): a few hundred subscribers apply, are approved, sign and call each
 * other; bills are issued every month and paid at the desk, by bank file and online; some pay
 * late, one stops paying and is overdue, one is suspended for arrears, one is terminated and handed
 * to collections, one lapses and is restored; disputes are opened and answered; a terms change is
 * published and still inside its objection window at the end. Everything goes through the modules'
 * own operations under the service's test clock, and the time-driven jobs run as the scheduler would.
 */
export interface StoryOptions {
  subscribers: number;
  /** Where the story ends: the service then runs on the real clock from here. */
  end: Date;
  progress?: (message: string) => void;
}

export interface StoryFigures {
  subscribers: number;
  calls: number;
  qualityReports: number;
  bills: number;
  payments: { cashier: number; bank: number; online: number };
  /** Where the time went, in seconds per part of the story (for the README's figures). */
  seconds: Record<string, number>;
}

/** A service whose clock the story moves. */
export type StoryService = Service & { clock: TestClock };

/** The demo subscribers' portal password, as for the two subscribers who call each other. */
export const storySubscriberPassword = 'demo-subscriber-pass';

/** The jobs the story runs at each step, as the scheduler would, in this order. */
const storyJobs = ['billing.cycle', 'subscribers.complete-terminations', 'agreements.deemed-acceptance'] as const;

interface Player {
  member: CastMember;
  id: string | null;
  number: string | null;
  activeFrom: Date | null;
  /** From here on the subscriber makes no calls: suspended, leaving, or gone quiet before arrears. */
  quietFrom: Date | null;
  quietUntil: Date | null;
  billsSeen: Set<string>;
}

type Moment = { at: Date; order: number; part: string; run: () => Promise<void> };

export async function tellDemoStory(service: StoryService, options: StoryOptions): Promise<StoryFigures> {
  const { ctx, clock } = service;
  const tz = ctx.settings.timeZone;
  const start = clock.now();
  const end = options.end;
  const endDay = localDateOf(end, tz);
  const cast = castOfStory(options.subscribers, ctx.settings);
  const dice = new StoryDice(DEMO_STORY_SEED + 1);
  const billing = service.payments;
  const figures: StoryFigures = {
    subscribers: 0,
    calls: 0,
    qualityReports: 0,
    bills: 0,
    payments: { cashier: 0, bank: 0, online: 0 },
    seconds: {},
  };
  const timed = async <T>(part: string, work: () => Promise<T>): Promise<T> => {
    const began = performance.now();
    try {
      return await work();
    } finally {
      figures.seconds[part] = (figures.seconds[part] ?? 0) + (performance.now() - began) / 1000;
    }
  };
  const actors = {
    reviewer: await demoStaffActor(ctx, 'verification_reviewer'),
    clerk: await demoStaffActor(ctx, 'billing_clerk'),
    supervisor: await demoStaffActor(ctx, 'billing_supervisor'),
    legal: await demoStaffActor(ctx, 'legal_officer'),
  };
  const sipDomain = service.config.sip.domain;
  // Service starts once an agreement version is in effect: the operator opened on that day.
  const firstVersion = (await listAgreementVersions(ctx)).find((v) => v.version === 1);
  const opening = new Date(Math.max(start.getTime(), firstVersion ? new Date(firstVersion.effectiveAt).getTime() : 0));

  // Online payments are notified to the service in process, as a listening service would be over HTTP.
  const inProcess: NotificationTransport = async (url, notification) => {
    const answer = await service.app.inject({
      method: 'POST',
      url: new URL(url).pathname,
      headers: notification.headers,
      payload: notification.body,
    });
    return { status: answer.statusCode, body: answer.body };
  };
  service.payments.simulator?.deliverThrough(inProcess);

  const moments: Moment[] = [];
  let order = 0;
  const at = (instant: Date, part: string, run: () => Promise<void>) => {
    const moment = { at: instant, order: order++, part, run };
    // Keep the queue sorted by instant, then by when it was scheduled.
    let i = moments.length;
    while (
      i > 0 &&
      (moments[i - 1]!.at > instant || (moments[i - 1]!.at.getTime() === instant.getTime() && moments[i - 1]!.order > moment.order))
    )
      i--;
    moments.splice(i, 0, moment);
  };
  const local = (date: LocalDate, hour: number, minute = 0) =>
    new Date(startOfLocalDay(date, tz).getTime() + (hour * 60 + minute) * 60_000);
  const startDay = localDateOf(start, tz);
  const check = <T>(what: string, result: { ok: true; value: T } | { ok: false; failure: { message: string } }): T => {
    if (!result.ok) throw new Error(`demo story, ${what}: ${result.failure.message}`);
    return result.value;
  };
  const players = cast.map<Player>((member) => ({
    member,
    id: null,
    number: null,
    activeFrom: null,
    quietFrom: null,
    quietUntil: null,
    billsSeen: new Set(),
  }));

  // ── Sign-up: apply, a reviewer decides a day or two later, the subscriber signs that evening. ──
  for (const player of players) {
    const { member } = player;
    const appliedAt = local(addDays(startDay, member.appliesOnDay), 9 + (member.index % 9), (member.index * 7) % 60);
    if (appliedAt >= end) continue;
    at(appliedAt, 'sign-up', async () => {
      const applied = await submitApplication(
        ctx,
        {
          kind: 'individual',
          fullName: member.fullName,
          birthDate: member.birthDate,
          address: member.address,
          idType: 'prc_resident_id',
          idNumber: member.idNumber,
          contactPhone: member.contactPhone,
          planCode: member.planCode,
          creditLimitFen: member.creditLimitFen,
          password: storySubscriberPassword,
        },
        { type: 'anonymous', id: null, name: null },
      );
      player.id = check(`application of ${member.fullName}`, applied).id;
      if (member.role === 'awaits-review') return;
      // A reviewer decides within a day or two.
      const reviewedAt = new Date(appliedAt.getTime() + (18 + (member.index % 30)) * 3_600_000);
      if (reviewedAt >= end) return;
      at(reviewedAt, 'sign-up', async () => {
        if (member.role === 'documents-requested') {
          check(
            'asking for documents',
            await decideOnSubscriber(
              ctx,
              {
                subscriberId: player.id!,
                decision: 'request-documents',
                reason: '身份证照片不清晰，请重新上传。The ID photo is not legible; please upload it again.',
              },
              actors.reviewer,
              { sipDomain },
            ),
          );
          return;
        }
        check('approval', await decideOnSubscriber(ctx, { subscriberId: player.id!, decision: 'approve' }, actors.reviewer, { sipDomain }));
        const signedAt = new Date(Math.max(reviewedAt.getTime() + 3 * 3_600_000, opening.getTime() + (member.index % 600) * 60_000));
        if (signedAt >= end) return;
        at(signedAt, 'sign-up', async () => {
          check(
            'signature',
            await signAgreement(
              ctx,
              {
                subscriberId: player.id!,
                language: member.index % 7 === 0 ? 'en' : 'zh-CN',
                parameters: await agreementParametersFor(ctx, player.id!),
                ip: null,
                userAgent: 'videophone demo',
              },
              service.seal,
            ),
          );
          check('activation', await activateIfReady(ctx, player.id!, sipDomain, systemActor));
          player.number = (await numbersOfSubscriber(ctx.db, player.id!))[0] ?? null;
          player.activeFrom = signedAt;
          figures.subscribers += 1;
          if (member.leavesInMonth !== null) scheduleLeaving(player);
        });
      });
    });
  }

  // ── Leaving (clause 11): asks to end the agreement; the final bill is paid like any other. ──
  const scheduleLeaving = (player: Player) => {
    let period = periodOf(startDay);
    for (let m = 0; m < player.member.leavesInMonth!; m++) period = nextPeriod(period);
    const askedAt = local(addDays(period, 9), 15);
    if (askedAt <= player.activeFrom! || askedAt >= end) return;
    at(askedAt, 'leaving', async () => {
      check(
        'termination request',
        await requestTermination(ctx, player.id!, service.payments.termination, { type: 'subscriber', id: player.id!, name: null }),
      );
      player.quietFrom = askedAt;
    });
  };

  /** The scheduler's work up to now, then the bills it issued are met. */
  const step = async () => {
    await runJobs();
    await schedulePaymentsOfNewBills();
  };

  // ── Payments: each subscriber meets each new bill in their own way, through their own channel. ──
  const schedulePaymentsOfNewBills = async () => {
    for (const player of players) {
      if (!player.id || !player.activeFrom) continue;
      const bills = await billBalances(ctx.db, player.id);
      for (const bill of bills) {
        if (player.billsSeen.has(bill.billId)) continue;
        player.billsSeen.add(bill.billId);
        figures.bills += 1;
        if (bill.outstandingFen <= 0) continue;
        const paidAt = paymentInstant(player, bill);
        if (paidAt && paidAt < end) at(paidAt, 'payments', () => pay(player, bill));
      }
    }
  };

  const paymentInstant = (player: Player, bill: BillBalance): Date | null => {
    const { habit } = player.member;
    const hour = 9 + (player.member.index % 10);
    switch (habit.kind) {
      case 'prompt':
        return local(addDays(bill.issueDate, habit.daysAfterIssue), hour);
      case 'late':
        return local(addDays(bill.dueDate, habit.daysAfterDue), hour);
      case 'stops-paying': {
        // Paid only if leaving it would, by the end, be more than `monthsUnpaid` months overdue.
        if (endDay > addMonthsClamped(bill.dueDate, habit.monthsUnpaid)) return local(addDays(bill.issueDate, 5), hour);
        if (!player.quietFrom) player.quietFrom = startOfLocalDay(bill.dueDate, tz);
        return null;
      }
      case 'lapses-once': {
        const lapsed = addMonthsClamped(periodOf(startDay), habit.lapseMonth);
        // Bills issued while the lapse lasts are paid with it: a payment goes to the oldest bill first.
        if (player.quietUntil && bill.issueDate <= localDateOf(player.quietUntil, tz)) return player.quietUntil;
        if (bill.period !== lapsed) return local(addDays(bill.issueDate, 4), hour);
        // Suspended the day after a month overdue; pays everything nine days later and is restored.
        const suspendedOn = addDays(addMonthsClamped(bill.dueDate, ctx.settings.suspendAfterOverdueMonths), 1);
        player.quietFrom = startOfLocalDay(suspendedOn, tz);
        player.quietUntil = local(addDays(suspendedOn, 9), 11);
        return player.quietUntil;
      }
    }
  };

  let bankDay: { date: LocalDate; rows: string[]; imported: boolean } | null = null;
  const pay = async (player: Player, bill: BillBalance) => {
    const owed =
      player.member.habit.kind === 'lapses-once' && player.quietUntil?.getTime() === clock.now().getTime()
        ? (await amountOwedNow(ctx, player.id!)).totalFen
        : ((await amountOwedOnBill(ctx, player.id!, bill.billId))?.amountFen ?? 0);
    if (owed <= 0) return;
    const today = localDateOf(clock.now(), tz);
    switch (player.member.channel) {
      case 'cashier':
        check(
          'desk payment',
          await recordPayment(
            billing,
            {
              subscriberId: player.id!,
              provider: 'cashier',
              externalReference: `R${today.replaceAll('-', '')}-${String(player.member.index).padStart(4, '0')}`,
              amountFen: owed,
              paidAt: clock.now(),
              channel: 'manual',
            },
            actors.clerk,
          ),
        );
        figures.payments.cashier += 1;
        return;
      case 'bank': {
        // Transfers arrive on the bank's daily file, imported by the clerk at the end of the day.
        if (!bankDay || bankDay.date !== today || bankDay.imported) {
          const day = { date: today, rows: [] as string[], imported: false };
          bankDay = day;
          at(local(today, 23, 30), 'payments', () => importBankFile(day));
        }
        bankDay.rows.push(
          `${today},${(owed / 100).toFixed(2)},BK${today.replaceAll('-', '')}${String(player.member.index).padStart(5, '0')},${player.id}`,
        );
        return;
      }
      case 'online': {
        const intent = check(
          'online payment',
          await createPaymentIntent(service.payments, {
            subscriberId: player.id!,
            purpose: 'bill',
            billId: bill.billId,
            provider: 'simulator',
            origin: 'http://localhost',
          }),
        );
        // The QR code opens the simulator's page for this trade; the payer confirms there and its notification follows.
        const tradeNo = intent.action ? /\/simulator\/pay\/([0-9A-Z]+)$/.exec(intent.action.content)?.[1] : undefined;
        if (!tradeNo || !service.payments.simulator) throw new Error('demo story: the simulator did not offer a payment page');
        if (!(await service.payments.simulator.settle(tradeNo, 'succeeded')))
          throw new Error(`demo story: the simulator refused to settle ${tradeNo}`);
        figures.payments.online += 1;
        return;
      }
    }
  };

  const importBankFile = async (day: { date: LocalDate; rows: string[]; imported: boolean }) => {
    day.imported = true;
    if (day.rows.length === 0) return;
    const csv = ['date,amount,reference,subscriber_id', ...day.rows].join('\n');
    const report = await importReconciliation(billing, csv, `bank-${day.date}.csv`, actors.clerk);
    if (report.rejected > 0)
      throw new Error(`demo story, bank file ${day.date}: ${report.rows.find((r) => r.status === 'rejected')?.reason}`);
    figures.payments.bank += report.accepted;
  };

  // ── Calls and their quality (clause 12): the proxy's records, the softphones' reports. ──
  const recorder = new CallRecorder(ctx.db);
  const profiles = new Map<number, 'good' | 'fair' | 'poor'>();
  const profileOf = (member: CastMember) => {
    let profile = profiles.get(member.index);
    if (!profile) {
      const roll = dice.int(1, 100);
      profile = roll <= 70 ? 'good' : roll <= 94 ? 'fair' : 'poor';
      profiles.set(member.index, profile);
    }
    return profile;
  };
  const inService = (player: Player, instant: Date) =>
    player.number !== null &&
    player.activeFrom !== null &&
    player.activeFrom <= instant &&
    !(player.quietFrom && player.quietFrom <= instant && (!player.quietUntil || instant < player.quietUntil));

  const recordMonthOfCalls = async (from: Date, until: Date) => {
    if (until <= from) return;
    const span = until.getTime() - from.getTime();
    const calls: { caller: Player; callee: Player; at: Date; outcome: 'answered' | 486 | 480 | 487; seconds: number }[] = [];
    const reachable = players.filter((p) => inService(p, until));
    for (const caller of players) {
      const attempts = Math.round((caller.member.callsPerMonth * span) / (30 * 86_400_000));
      for (let n = 0; n < attempts + (dice.chance(20) ? 1 : 0); n++) {
        const instant = new Date(from.getTime() + dice.int(0, Math.max(0, span - 3_600_000)));
        if (!inService(caller, instant) || reachable.length < 2) continue;
        let callee = dice.pick(reachable);
        if (callee === caller) callee = reachable[(reachable.indexOf(callee) + 1) % reachable.length]!;
        const roll = dice.int(1, 100);
        const outcome = roll <= 84 ? 'answered' : roll <= 91 ? 486 : roll <= 96 ? 480 : 487;
        const seconds = dice.chance(85) ? dice.int(20, 600) : dice.int(600, 2700);
        calls.push({ caller, callee, at: instant, outcome, seconds });
      }
    }
    calls.sort((a, b) => a.at.getTime() - b.at.getTime());
    // Written in groups, as the recorder's group commit does for calls that start together.
    for (let i = 0; i < calls.length; i += 250) {
      const group = calls.slice(i, i + 250).map((call) => ({ ...call, callId: `${randomUUID()}@demo`, fromTag: randomUUID().slice(0, 8) }));
      const ids = await Promise.all(
        group.map((call) =>
          recorder.started({
            callId: call.callId,
            fromTag: call.fromTag,
            caller: call.caller.number!,
            callee: call.callee.number!,
            callerDevice: null,
            at: call.at,
            sessionExpiresSeconds: 300,
          }),
        ),
      );
      await Promise.all(
        group.map((call, k) => {
          const ringing = new Date(call.at.getTime() + 4_000 + (k % 9) * 1_000);
          if (call.outcome === 'answered') return recorder.answered(call.callId, ids[k]!, ringing, null);
          const reason = call.outcome === 486 ? 'Busy Here' : call.outcome === 480 ? 'Temporarily Unavailable' : 'Request Terminated';
          return recorder.failed(call.callId, ids[k]!, ringing, call.outcome, reason, call.outcome === 487);
        }),
      );
      const answered = group.filter((call) => call.outcome === 'answered');
      await Promise.all(
        answered.map((call, k) =>
          recorder.ended(
            call.callId,
            new Date(call.at.getTime() + 5_000 + call.seconds * 1000),
            k % 3 === 0 ? 'callee-tag' : call.fromTag,
            'BYE',
          ),
        ),
      );
      figures.calls += group.length;
      // Both softphones report what they measured when the call ends.
      // Softphones that report are the recent ones: every call of the last quarter has both sides'
      // reports, earlier calls one side's now and then (keeps the demo's load time down).
      const recent = until.getTime() > end.getTime() - 92 * 86_400_000;
      const reported = recent ? answered : answered.filter((_, k) => k % 3 === 0);
      const reports = reported.flatMap((call) => {
        const endedAt = new Date(call.at.getTime() + 5_000 + call.seconds * 1000);
        return (
          recent
            ? ([
                [call.caller, 'outgoing'],
                [call.callee, 'incoming'],
              ] as const)
            : ([[call.caller, 'outgoing']] as const)
        ).map(([reporter, direction]) => ({
          number: reporter.number!,
          report: qualityReport(call.callId, direction, call.seconds, profileOf(reporter.member)),
          endedAt,
        }));
      });
      const stored = await timed('quality reports', () =>
        Promise.all(reports.map((r) => recordQualityReport(ctx.db, [r.number], r.report, r.endedAt))),
      );
      figures.qualityReports += stored.filter((result) => result.ok).length;
    }
  };

  const qualityReport = (
    callId: string,
    direction: 'outgoing' | 'incoming',
    seconds: number,
    profile: 'good' | 'fair' | 'poor',
  ): QualityReportInput => {
    const poor = profile === 'poor';
    const fair = profile === 'fair';
    const terminal = dice.chance(30);
    return {
      callId,
      direction,
      durationMs: seconds * 1000,
      rttMs: poor ? dice.int(180, 420) : fair ? dice.int(60, 160) : dice.int(12, 60),
      jitterMs: poor ? dice.int(30, 90) : fair ? dice.int(8, 30) : dice.int(1, 8),
      lossPercent: (poor ? dice.int(300, 1200) : fair ? dice.int(50, 300) : dice.int(0, 40)) / 100,
      packetsLost: poor ? dice.int(500, 4000) : fair ? dice.int(50, 500) : dice.int(0, 40),
      framesDecoded: seconds * (poor ? 12 : fair ? 24 : 29),
      audioPacketsReceived: seconds * 50,
      sendKbps: poor ? dice.int(150, 400) : dice.int(600, 1800),
      receiveKbps: poor ? dice.int(150, 400) : dice.int(600, 1800),
      audioCodec: 'opus',
      videoCodec: terminal ? 'H264' : 'VP8',
      localCandidateType: poor ? 'relay' : dice.pick(['host', 'srflx']),
      remoteCandidateType: dice.pick(['host', 'srflx']),
      relayProtocol: poor ? 'udp' : null,
      userAgent: terminal ? 'VP-T100/2.3.1' : 'Videophone-Web/1.4.0',
    };
  };

  // ── Disputes (clause 6): one credited, one rejected and taken to negotiation, one still open. ──
  const playerWith = (role: CastMember['role']) => players.find((p) => p.member.role === role)!;
  const latestBill = async (player: Player) => (await billBalances(ctx.db, player.id!)).at(-1) ?? null;
  const disputeAt = (months: number) => local(addDays(addMonthsClamped(periodOf(startDay), months), 11), 14);
  const disputeFor = async (player: Player, reason: string) => {
    const bill = await latestBill(player);
    if (!player.id || !bill) return null;
    return check(
      'dispute',
      await openDispute(
        billing,
        {
          subscriberId: player.id,
          subject: 'bill',
          subjectId: bill.billId,
          amountFen: Math.min(bill.totalFen, 20_00),
          reason,
          channel: 'portal',
        },
        { type: 'subscriber', id: player.id, name: null },
      ),
    );
  };
  if (disputeAt(3) < end)
    at(disputeAt(3), 'disputes', async () => {
      const player = playerWith('credited-dispute');
      const dispute = await disputeFor(
        player,
        '上月视频通话多次卡顿中断，却照常计费。Several calls froze and dropped last month but were charged in full.',
      );
      if (!dispute) return;
      at(new Date(clock.now().getTime() + 3 * 86_400_000), 'disputes', async () => {
        check('assignment', await assignDispute(billing, dispute.id, actors.supervisor));
        check(
          'answer',
          await answerDispute(
            billing,
            dispute.id,
            { outcome: 'upheld', code: 'platform-fault-credited', text: '经核查为平台侧故障，已全额退还争议金额。' },
            actors.supervisor,
          ),
        );
        check('acceptance', await acceptAnswer(billing, dispute.id, player.id!, { type: 'subscriber', id: player.id!, name: null }));
      });
    });
  if (disputeAt(6) < end)
    at(disputeAt(6), 'disputes', async () => {
      const player = playerWith('escalated-dispute');
      const dispute = await disputeFor(
        player,
        '我没有打过这么多电话，月租也不对。I did not make that many calls, and the rent looks wrong.',
      );
      if (!dispute) return;
      at(new Date(clock.now().getTime() + 5 * 86_400_000), 'disputes', async () => {
        check(
          'answer',
          await answerDispute(
            billing,
            dispute.id,
            { outcome: 'rejected', code: 'billed-correctly', text: '通话记录与计费一致，月租按套餐收取。' },
            actors.supervisor,
          ),
        );
        const escalated = check(
          'escalation',
          await escalateDispute(billing, dispute.id, player.id!, '我仍不认可，请求协商。I still do not agree and ask to negotiate.', {
            type: 'subscriber',
            id: player.id!,
            name: null,
          }),
        );
        if (escalated.negotiationCaseId)
          check(
            'case entry',
            await addCaseEntry(
              ctx,
              {
                caseId: escalated.negotiationCaseId,
                text: '已调取该月全部通话记录，约客户下周面谈。Pulled every call record of the month; meeting the customer next week.',
              },
              actors.supervisor,
            ),
          );
      });
    });
  const openDisputeAt = local(addDays(endDay, -4), 10);
  if (openDisputeAt > start)
    at(openDisputeAt, 'disputes', async () => {
      await disputeFor(
        playerWith('open-dispute'),
        '本月账单的通话费比平时高很多，请核查。This month’s call charges are far higher than usual; please check.',
      );
    });

  // ── A terms change (clause 15) published ten days before the end: still inside its window. ──
  const publishedAt = local(addDays(endDay, -10), 10);
  if (publishedAt > opening)
    at(publishedAt, 'terms change', async () => {
      check(
        'terms change',
        await publishAgreementVersion(
          ctx,
          {
            version: 2,
            summary:
              '第15条：写明异议的方式与截止日期，异议转入协商；第16条：协商以双方可查阅的案件记录。Clause 15 says how and by when to object; clause 16 makes negotiation a shared case.',
          },
          actors.legal,
        ),
      );
      for (const player of players) {
        if (!player.id || !player.activeFrom) continue;
        const answeredAt = new Date(publishedAt.getTime() + (1 + (player.member.index % 8)) * 86_400_000 + 3_600_000);
        if (answeredAt >= end) continue;
        const subscriber: Actor = { type: 'subscriber', id: player.id, name: null };
        if (player.member.role === 'objects-to-terms')
          at(answeredAt, 'terms change', async () => {
            check(
              'objection',
              await objectToTermsChange(
                ctx,
                {
                  subscriberId: player.id!,
                  version: 2,
                  reason: '不同意第15条的变更，希望保留原来的异议方式。I do not agree with the change to clause 15.',
                },
                subscriber,
              ),
            );
          });
        else if (player.member.acceptsTermsChange)
          at(answeredAt, 'terms change', async () => {
            check('acceptance', await acceptTermsChange(ctx, { subscriberId: player.id!, version: 2 }, subscriber));
          });
      }
    });

  // ── Every month: the calls, the bill run on the 1st, dunning on the 22nd, payments as bills arrive. ──
  for (let period = periodOf(startDay); startOfLocalDay(period, tz) < end; period = nextPeriod(period)) {
    const monthStart = startOfLocalDay(period, tz);
    const monthEnd = startOfLocalDay(nextPeriod(period), tz);
    const callsUntil = monthEnd < end ? monthEnd : end;
    // The month's calls are written as the proxy would have, just before the month closes.
    at(new Date(callsUntil.getTime() - 60_000), 'calls', () =>
      recordMonthOfCalls(monthStart > start ? monthStart : start, new Date(callsUntil.getTime() - 120_000)),
    );
    const firstOfNext = local(nextPeriod(period), 0, 10);
    if (firstOfNext < end)
      at(firstOfNext, 'jobs', async () => {
        await step();
        options.progress?.(
          `${period.slice(0, 7)}: ${figures.subscribers} subscribers, ${figures.calls} calls, ${figures.bills} bills, ` +
            `${figures.payments.cashier + figures.payments.bank + figures.payments.online} payments`,
        );
      });
    const dunningDay = local(addDays(period, 21), 0, 10);
    if (dunningDay > start && dunningDay < end) at(dunningDay, 'jobs', step);
  }

  const runJobs = async () => {
    for (const job of storyJobs) {
      const outcome = await service.jobs.runOnce(job);
      if (outcome.status === 'failed') throw new Error(`demo story: job ${job} failed at ${clock.now().toISOString()}`);
    }
  };

  // ── Play it out, then bring every time-driven job to the end. ──
  while (moments.length > 0) {
    const next = moments.shift()!;
    if (next.at > clock.now()) clock.set(next.at);
    await timed(next.part, next.run);
  }
  clock.set(end);
  await runJobs();
  await recorder.close();
  return figures;
}
