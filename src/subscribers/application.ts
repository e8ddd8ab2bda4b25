import type { Actor } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import { fail, type FieldError, type Result } from '../platform/result.js';
import { createSubscriberWithIdentity, type IdentityData } from './identity.js';
import { insertOrder, resolveOrder, type OrderRequest } from './orders.js';
import { createPortalAccount, minimumPortalPasswordLength } from '../portal-auth/index.js';
import { subscriberDirectory } from './portal-directory.js';
import { validateIdDocument, validatePhoneNumber, validateUnifiedSocialCreditCode } from './validation/index.js';

/** What a person or an organisation submits to become a subscriber (agreement clause 1). */
export interface IndividualApplication {
  kind: 'individual';
  fullName: string;
  birthDate: string;
  address: string;
  idType: string;
  idNumber: string;
  employer?: string | undefined;
  contactPhone: string;
}

export interface OrganisationApplication {
  kind: 'organisation';
  legalName: string;
  creditCode: string;
  address: string;
  contactName: string;
  contactPhone: string;
}

/** What every applicant also chooses: the order (clause 2) and a password for the portal. */
export interface ApplicationCommon extends OrderRequest {
  password: string;
}

export type Application = (IndividualApplication | OrganisationApplication) & ApplicationCommon;

function textField(errors: FieldError[], field: string, value: string | undefined, min: number, max: number, required = true): string {
  const trimmed = (value ?? '').trim();
  if (trimmed === '' && !required) return '';
  if ([...trimmed].length < min || [...trimmed].length > max) errors.push({ field, message: `required, ${min}–${max} characters` });
  return trimmed;
}

/** Validates every field (all errors at once, each naming its field), then seals the identity. */
export async function submitApplication(
  ctx: ServiceContext,
  application: Application,
  actor: Actor,
): Promise<Result<{ id: string; status: 'applied' }>> {
  const errors: FieldError[] = [];
  // "Today" for birth dates is the calendar date where the operator is.
  const today = new Date(new Intl.DateTimeFormat('en-CA', { timeZone: ctx.settings.timeZone }).format(ctx.clock.now()) + 'T00:00:00Z');
  const phone = validatePhoneNumber(application.contactPhone);
  if (!phone.ok) errors.push({ field: 'contactPhone', message: phone.message });

  let identity: IdentityData;
  let idType: string;
  let idNumber: string;
  if (application.kind === 'individual') {
    const fullName = textField(errors, 'fullName', application.fullName, 1, 50);
    const address = textField(errors, 'address', application.address, 5, 200);
    const employer = textField(errors, 'employer', application.employer, 2, 100, false);
    const birthDateValid =
      /^\d{4}-\d{2}-\d{2}$/.test(application.birthDate) && !Number.isNaN(Date.parse(`${application.birthDate}T00:00:00Z`));
    if (!birthDateValid) errors.push({ field: 'birthDate', message: 'a date as YYYY-MM-DD' });
    const document = validateIdDocument(application.idType, application.idNumber, {
      today,
      ...(birthDateValid ? { statedBirthDate: application.birthDate } : {}),
    });
    if (!document.ok)
      errors.push({ field: document.code === 'id-document-type-unknown' ? 'idType' : 'idNumber', message: document.message });
    idType = application.idType;
    idNumber = document.ok ? document.value.number : '';
    identity = {
      fullName,
      birthDate: application.birthDate,
      address,
      idType,
      idNumber,
      ...(employer ? { employer } : {}),
      contactPhone: phone.ok ? phone.value.e164 : '',
    };
  } else {
    const legalName = textField(errors, 'legalName', application.legalName, 2, 100);
    const address = textField(errors, 'address', application.address, 5, 200);
    const contactName = textField(errors, 'contactName', application.contactName, 1, 50);
    const code = validateUnifiedSocialCreditCode(application.creditCode);
    if (!code.ok) errors.push({ field: 'creditCode', message: code.message });
    idType = 'uscc';
    idNumber = code.ok ? code.value.code : '';
    identity = { legalName, creditCode: idNumber, address, contactName, contactPhone: phone.ok ? phone.value.e164 : '' };
  }
  if ([...application.password].length < minimumPortalPasswordLength)
    errors.push({ field: 'password', message: `at least ${minimumPortalPasswordLength} characters` });
  const order = await resolveOrder(ctx, application, errors);
  if (errors.length > 0 || !order || !phone.ok) return fail('invalid', 'invalid-request', 'The application has errors', { fields: errors });

  const created = await createSubscriberWithIdentity(
    ctx,
    { kind: application.kind, identity, idType, idNumber },
    actor,
    async (trx, id) => {
      await insertOrder(ctx, trx, id, order);
      return createPortalAccount(
        ctx,
        trx,
        {
          subscriberId: id,
          contactPhoneE164: phone.value.e164,
          password: application.password,
          now: ctx.clock.now(),
        },
        subscriberDirectory,
      );
    },
  );
  if (!created.ok) return created;
  return { ok: true, value: { id: created.value.id, status: 'applied' } };
}
