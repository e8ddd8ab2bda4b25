import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/**
 * The people of the demo story and what each of them does over the year, drawn once from a fixed
 * seed: the same size gives the same cast, the same plans, the same calls and the same payment
 * habits on every machine. Nothing here touches the database; `story.ts` plays the cast through
 * the modules' own operations.
 */
export const DEMO_STORY_SEED = 20_261_204;

/** Fewer than this and some part of the story (an overdue account, a dispute, …) would have no one to play it. */
export const MINIMUM_STORY_SUBSCRIBERS = 16;

/** How a subscriber meets the bills (clause 5). */
export type PaymentHabit =
  /** Pays each bill a few days after it is issued. */
  | { kind: 'prompt'; daysAfterIssue: number }
  /** Pays each bill a few days after its due date: late fees follow. */
  | { kind: 'late'; daysAfterDue: number }
  /**
   * Pays on time until the bills are too recent: a bill is paid only if leaving it unpaid would, by
   * the story's end, be more than `monthsUnpaid` months past its due date. So at the end the oldest
   * unpaid bill is overdue by less than that: one month → overdue, two → suspended for arrears,
   * past the termination threshold → terminated and in collections.
   */
  | { kind: 'stops-paying'; monthsUnpaid: number }
  /** Leaves one bill unpaid long enough to be suspended, then pays everything and is restored. */
  | { kind: 'lapses-once'; lapseMonth: number };

export type PaymentChannelChoice = 'cashier' | 'bank' | 'online';

/** The parts of the story a particular person plays; most play none. */
export type StoryRole =
  | 'overdue'
  | 'arrears'
  | 'collections'
  | 'restored'
  | 'open-dispute'
  | 'credited-dispute'
  | 'escalated-dispute'
  | 'objects-to-terms'
  | 'leaves'
  | 'awaits-review'
  | 'documents-requested';

export interface CastMember {
  index: number;
  fullName: string;
  birthDate: string;
  address: string;
  idNumber: string;
  contactPhone: string;
  planCode: 'basic' | 'standard' | 'business';
  creditLimitFen: number;
  /** Days after the story starts that the application arrives. */
  appliesOnDay: number;
  channel: PaymentChannelChoice;
  habit: PaymentHabit;
  /** Answered calls a month, roughly; some attempts fail besides. */
  callsPerMonth: number;
  role: StoryRole | null;
  /** For `leaves`: the story month (0-based) in which the subscriber asks to end the agreement. */
  leavesInMonth: number | null;
  /** Accepts the terms change explicitly instead of letting the window run. */
  acceptsTermsChange: boolean;
}

const surnames = [
  ['王', 'Wang'],
  ['李', 'Li'],
  ['张', 'Zhang'],
  ['刘', 'Liu'],
  ['陈', 'Chen'],
  ['杨', 'Yang'],
  ['黄', 'Huang'],
  ['赵', 'Zhao'],
  ['吴', 'Wu'],
  ['周', 'Zhou'],
  ['徐', 'Xu'],
  ['孙', 'Sun'],
  ['马', 'Ma'],
  ['朱', 'Zhu'],
  ['胡', 'Hu'],
  ['郭', 'Guo'],
  ['何', 'He'],
  ['林', 'Lin'],
  ['高', 'Gao'],
  ['罗', 'Luo'],
] as const;

const givenNames = [
  ['伟', 'Wei'],
  ['芳', 'Fang'],
  ['娜', 'Na'],
  ['敏', 'Min'],
  ['静', 'Jing'],
  ['丽', 'Li'],
  ['强', 'Qiang'],
  ['磊', 'Lei'],
  ['军', 'Jun'],
  ['洋', 'Yang'],
  ['勇', 'Yong'],
  ['艳', 'Yan'],
  ['杰', 'Jie'],
  ['娟', 'Juan'],
  ['涛', 'Tao'],
  ['明', 'Ming'],
  ['超', 'Chao'],
  ['秀英', 'Xiuying'],
  ['霞', 'Xia'],
  ['平', 'Ping'],
  ['建华', 'Jianhua'],
  ['晓东', 'Xiaodong'],
  ['海燕', 'Haiyan'],
  ['志强', 'Zhiqiang'],
] as const;

/** Where people live, with the resident-ID region code of that district (GB/T 2260). */
const districts = [
  { region: '110105', address: (n: number) => `北京市朝阳区建国路${n}号` },
  { region: '310115', address: (n: number) => `上海市浦东新区世纪大道${n}号` },
  { region: '440106', address: (n: number) => `广州市天河区体育西路${n}号` },
  { region: '510107', address: (n: number) => `成都市武侯区人民南路${n}号` },
  { region: '350102', address: (n: number) => `福州市鼓楼区五四路${n}号` },
] as const;

/**
 * The check character of an 18-character resident ID (GB 11643, ISO 7064 MOD 11-2). The demo makes
 * up numbers that the application's validator then checks like any other.
 */
function residentIdCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * weights[i]!, 0);
  return '10X98765432'[sum % 11]!;
}

/** The roles every story needs, each played by one early subscriber (index = position here). */
const leadRoles: StoryRole[] = [
  'overdue',
  'arrears',
  'collections',
  'restored',
  'open-dispute',
  'credited-dispute',
  'escalated-dispute',
  'objects-to-terms',
  'objects-to-terms',
  'leaves',
];
/** The last applicants of the story: still in the verification queue at its end. */
const trailingRoles: StoryRole[] = ['documents-requested', 'awaits-review', 'awaits-review'];

export interface StoryTerms {
  suspendAfterOverdueMonths: number;
  terminateAfterOverdueMonths: number;
}

/** The cast of a story of `size` subscribers over 365 days, deterministic for a size. */
export function castOfStory(size: number, terms: StoryTerms, seed: number = DEMO_STORY_SEED): CastMember[] {
  if (!Number.isInteger(size) || size < MINIMUM_STORY_SUBSCRIBERS)
    throw new RangeError(`the demo story needs at least ${MINIMUM_STORY_SUBSCRIBERS} subscribers`);
  const rng: RandomGenerator = xoroshiro128plus(seed);
  const int = (min: number, max: number) => uniformInt(rng, min, max);
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const chance = (percent: number) => int(1, 100) <= percent;

  const cast: CastMember[] = [];
  for (let index = 0; index < size; index++) {
    const trailing = index - (size - trailingRoles.length);
    const role: StoryRole | null = leadRoles[index] ?? (trailing >= 0 ? trailingRoles[trailing]! : index % 60 === 30 ? 'leaves' : null);
    const [surname, surnameLatin] = pick(surnames);
    const [given, givenLatin] = pick(givenNames);
    const district = pick(districts);
    const birthYear = int(1940, 2002);
    const birthDate = `${birthYear}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
    // Sequence digits: odd for men, even for women, as the standard has it; unique per person here.
    const sequence = String(index % 1000).padStart(3, '0');
    const first17 = `${district.region}${birthDate.replaceAll('-', '')}${sequence}`;
    const planRoll = int(1, 100);
    const planCode = planRoll <= 35 ? 'basic' : planRoll <= 80 ? 'standard' : 'business';
    // Most arrive in the first month the service is offered; the rest over the year, fewer as it goes.
    const appliesOnDay =
      role !== null && leadRoles.includes(role) && index < leadRoles.length
        ? int(0, 20)
        : trailing >= 0
          ? 360 - trailingRoles.length + trailing
          : chance(45)
            ? int(0, 28)
            : Math.min(330, 30 + Math.floor(Math.sqrt(int(0, 90_000))));
    const channelRoll = int(1, 100);
    const channel: PaymentChannelChoice = channelRoll <= 35 ? 'cashier' : channelRoll <= 70 ? 'bank' : 'online';
    const habit: PaymentHabit =
      role === 'overdue'
        ? { kind: 'stops-paying', monthsUnpaid: terms.suspendAfterOverdueMonths }
        : role === 'arrears'
          ? { kind: 'stops-paying', monthsUnpaid: terms.suspendAfterOverdueMonths + 1 }
          : role === 'collections'
            ? { kind: 'stops-paying', monthsUnpaid: terms.terminateAfterOverdueMonths + 2 }
            : role === 'restored'
              ? { kind: 'lapses-once', lapseMonth: 4 }
              : chance(12)
                ? { kind: 'late', daysAfterDue: int(2, 12) }
                : { kind: 'prompt', daysAfterIssue: int(2, 17) };
    cast.push({
      index,
      fullName: `${surname}${given} ${surnameLatin} ${givenLatin}`,
      birthDate,
      address: district.address(int(1, 400)),
      idNumber: first17 + residentIdCheck(first17),
      // A block of mobile numbers of its own, apart from the two demo subscribers' +86138000000xx.
      contactPhone: `+86139${String(10_000_000 + index * 37).padStart(8, '0')}`,
      planCode,
      creditLimitFen: planCode === 'business' ? pick([500_00, 1000_00]) : pick([100_00, 200_00, 200_00, 500_00]),
      appliesOnDay,
      channel,
      habit,
      callsPerMonth: planCode === 'business' ? int(6, 12) : planCode === 'standard' ? int(3, 7) : int(1, 4),
      role,
      leavesInMonth: role === 'leaves' ? int(5, 9) : null,
      acceptsTermsChange: role === null && chance(15),
    });
  }
  return cast;
}

/** Deterministic draws for the story's events (call times, durations, quality), separate from the cast's. */
export class StoryDice {
  readonly #rng: RandomGenerator;

  constructor(seed: number) {
    this.#rng = xoroshiro128plus(seed);
  }

  int(min: number, max: number): number {
    return uniformInt(this.#rng, min, max);
  }

  chance(percent: number): boolean {
    return this.int(1, 100) <= percent;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }
}
