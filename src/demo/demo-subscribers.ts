import { systemActor } from '../audit/index.js';
import { agreementParametersFor, signAgreement, type OperatorSeal } from '../agreements/index.js';
import { numbersOfSubscriber } from '../numbers/index.js';
import type { ServiceContext } from '../platform/context.js';
import { subscriberByLogin } from '../portal-auth/index.js';
import { activateIfReady, decideOnSubscriber, submitApplication } from '../subscribers/index.js';

/**
 * Two subscribers who can call each other a minute after `npm start` (DESIGN §3): applied, approved
 * and signed the way real ones are, so every record a real subscriber has exists for them too.
 */
export interface DemoSubscriber {
  name: string;
  contactPhone: string;
  password: string;
  number: string | null;
}

const demoPeople = [
  { fullName: '李明 Li Ming', contactPhone: '+8613800000001', idNumber: '11010519491231002X', birthDate: '1949-12-31' },
  { fullName: '王芳 Wang Fang', contactPhone: '+8613800000002', idNumber: '110105199003071239', birthDate: '1990-03-07' },
];

export const demoSubscriberPassword = 'demo-subscriber-pass';

export async function loadDemoSubscribers(
  ctx: ServiceContext,
  options: { sipDomain: string; seal: OperatorSeal },
): Promise<DemoSubscriber[]> {
  const result: DemoSubscriber[] = [];
  for (const person of demoPeople) {
    let subscriberId = (await subscriberByLogin(ctx, person.contactPhone)) ?? undefined;
    if (!subscriberId) {
      const applied = await submitApplication(
        ctx,
        {
          kind: 'individual',
          fullName: person.fullName,
          birthDate: person.birthDate,
          address: '北京市朝阳区示例路1号 (demo)',
          idType: 'prc_resident_id',
          idNumber: person.idNumber,
          contactPhone: person.contactPhone,
          planCode: 'standard',
          creditLimitFen: 200_00,
          password: demoSubscriberPassword,
        },
        systemActor,
      );
      if (!applied.ok) throw new Error(`demo subscriber ${person.fullName}: ${applied.failure.message}`);
      subscriberId = applied.value.id;
      await decideOnSubscriber(ctx, { subscriberId, decision: 'approve' }, systemActor, { sipDomain: options.sipDomain });
      await signAgreement(
        ctx,
        {
          subscriberId,
          language: 'zh-CN',
          parameters: await agreementParametersFor(ctx, subscriberId),
          ip: null,
          userAgent: 'videophone demo',
        },
        options.seal,
      );
      await activateIfReady(ctx, subscriberId, options.sipDomain, systemActor);
    }
    const numbers = await numbersOfSubscriber(ctx.db, subscriberId);
    result.push({ name: person.fullName, contactPhone: person.contactPhone, password: demoSubscriberPassword, number: numbers[0] ?? null });
  }
  return result;
}
