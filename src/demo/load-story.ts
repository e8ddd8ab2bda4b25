import { pino } from 'pino';
import { TestClock } from '../platform/clock.js';
import type { Config } from '../platform/config/index.js';
import type { ServiceContext } from '../platform/context.js';
import { subscriberByLogin } from '../portal-auth/index.js';
import { createService } from '../service.js';
import { subscribersByStatus } from '../subscribers/index.js';
import { loadDemo } from './load-demo.js';
import { castOfStory } from './story-cast.js';
import { tellDemoStory, type StoryFigures } from './story.js';

/**
 * How many subscribers the demo story has unless told otherwise (`--demo-subscribers`). The year costs
 * about half a second per subscriber on the embedded database of a 2-core machine (README), so 300 would
 * take minutes; 100 stays near a minute.
 */
export const DEFAULT_STORY_SUBSCRIBERS = 100;

/**
 * Whether the story can be told here: it is told once, into a database with no subscribers yet
 * (its year lies in the past, and other data would not fit into it).
 */
export async function demoStoryState(ctx: ServiceContext): Promise<'absent' | 'loaded' | 'other-data'> {
  const first = castOfStory(DEFAULT_STORY_SUBSCRIBERS, ctx.settings)[0]!;
  if (await subscriberByLogin(ctx, first.contactPhone)) return 'loaded';
  const subscribers = (await subscribersByStatus(ctx.db)).reduce((total, row) => total + row.count, 0);
  return subscribers > 0 ? 'other-data' : 'absent';
}

export type StoryLoad =
  | { status: 'loaded'; figures: StoryFigures; seconds: number; from: Date; to: Date }
  | { status: 'skipped'; reason: 'already-loaded' | 'other-data' };

/**
 * Tells the demo story into the configured database: a service of its own runs on a test clock set
 * twelve months before `end` (default: now), loads the demo operator (staff, price list) as of then,
 * and plays the year to `end`. It is closed before the caller starts the real service on the real
 * clock, which carries on from `end`.
 */
export async function loadDemoStory(
  config: Config,
  options: { subscribers: number; end?: Date; progress?: (message: string) => void },
): Promise<StoryLoad> {
  const end = options.end ?? new Date();
  const from = new Date(end);
  from.setUTCFullYear(from.getUTCFullYear() - 1);
  const clock = new TestClock(from);
  const started = performance.now();
  const service = await createService(
    { ...config, jobsEnabled: false, sip: { ...config.sip, enabled: false } },
    { clock, webRoot: null, logger: pino({ level: 'warn' }) },
  );
  try {
    const state = await demoStoryState(service.ctx);
    if (state === 'loaded') return { status: 'skipped', reason: 'already-loaded' };
    if (state === 'other-data') return { status: 'skipped', reason: 'other-data' };
    await loadDemo(service.ctx);
    const figures = await tellDemoStory(
      { ...service, clock },
      { subscribers: options.subscribers, end, ...(options.progress ? { progress: options.progress } : {}) },
    );
    return { status: 'loaded', figures, seconds: (performance.now() - started) / 1000, from, to: end };
  } finally {
    await service.close();
  }
}
