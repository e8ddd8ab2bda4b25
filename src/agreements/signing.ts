import { recordAudit } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import { fail, ok, type Result } from '../platform/result.js';
import { getMaskedSubscriber, recordAgreementSigned } from '../subscribers/index.js';
import { renderAgreement, type AgreementLanguage, type AgreementParameters } from './render.js';
import { sealFields, sealIsValid, sha256Hex, type OperatorSeal, type SealedFields } from './seal.js';

export interface AgreementVersion {
  version: number;
  publishedAt: string;
  effectiveAt: string;
  summary: string;
}

/** The version in effect now: the highest one whose effective date has come. */
export async function currentAgreementVersion(ctx: ServiceContext): Promise<AgreementVersion | null> {
  const row = await ctx.db
    .selectFrom('agreement_versions')
    .selectAll()
    .where('effective_at', '<=', ctx.clock.now())
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  return {
    version: row.version,
    publishedAt: row.published_at.toISOString(),
    effectiveAt: row.effective_at.toISOString(),
    summary: row.summary,
  };
}

export interface SignatureRecord extends SealedFields {
  id: string;
  ip: string | null;
  userAgent: string | null;
  operatorSignature: string;
  operatorKeyId: string;
}

/** What both parties download (clause 17): the exact text, the signature record and the seal's public key. */
export interface SignedCopy {
  text: string;
  signature: SignatureRecord;
  operatorPublicKey: string;
}

export interface SignInput {
  subscriberId: string;
  language: AgreementLanguage;
  /** The operator's settings and the subscriber's order, as printed in the text. */
  parameters: AgreementParameters;
  ip: string | null;
  userAgent: string | null;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The subscriber signs the version in effect (clause 17): the text is rendered, its exact UTF-8
 * bytes hashed, the record sealed with the operator's key, stored and audited. Only an approved
 * subscriber signs; the signature is what later makes the account active.
 */
export async function signAgreement(ctx: ServiceContext, input: SignInput, seal: OperatorSeal): Promise<Result<SignedCopy>> {
  if (!uuidPattern.test(input.subscriberId)) return fail('not_found', 'not-found', 'No such subscriber');
  const subscriber = await getMaskedSubscriber(ctx, input.subscriberId);
  if (!subscriber) return fail('not_found', 'not-found', 'No such subscriber');
  if (subscriber.status !== 'approved') {
    return fail('conflict', 'conflict', `Only an approved subscriber signs the agreement; this one is ${subscriber.status}`);
  }
  const current = await currentAgreementVersion(ctx);
  if (!current) return fail('conflict', 'conflict', 'No agreement version is in effect');

  const text = renderAgreement(current.version, input.language, input.parameters);
  const signedAt = ctx.clock.now();
  const fields: SealedFields = {
    subscriberId: subscriber.id,
    version: current.version,
    language: input.language,
    textSha256: sha256Hex(text),
    signedAt: signedAt.toISOString(),
  };
  const operatorSignature = sealFields(seal, fields);

  return ctx.db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('agreement_signatures')
      .values({
        subscriber_id: fields.subscriberId,
        version: fields.version,
        language: fields.language,
        text,
        text_sha256: fields.textSha256,
        signed_at: signedAt,
        ip: input.ip,
        user_agent: input.userAgent,
        operator_signature: operatorSignature,
        operator_key_id: seal.keyId,
        operator_public_key: seal.publicKeyPem,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAgreementSigned(trx, fields.subscriberId, signedAt);
    await recordAudit(trx, {
      at: signedAt,
      actor: { type: 'subscriber', id: fields.subscriberId, name: null, ip: input.ip, userAgent: input.userAgent },
      action: 'agreement.sign',
      target: { type: 'agreement_signature', id },
      detail: { version: fields.version, language: fields.language, textSha256: fields.textSha256, operatorKeyId: seal.keyId },
    });
    return ok({
      text,
      signature: { id, ...fields, ip: input.ip, userAgent: input.userAgent, operatorSignature, operatorKeyId: seal.keyId },
      operatorPublicKey: seal.publicKeyPem,
    });
  });
}

export async function signedCopy(ctx: ServiceContext, signatureId: string): Promise<Result<SignedCopy>> {
  if (!uuidPattern.test(signatureId)) return fail('not_found', 'not-found', 'No such signed agreement');
  const row = await ctx.db.selectFrom('agreement_signatures').selectAll().where('id', '=', signatureId).executeTakeFirst();
  if (!row) return fail('not_found', 'not-found', 'No such signed agreement');
  return ok({
    text: row.text,
    signature: {
      id: row.id,
      subscriberId: row.subscriber_id,
      version: row.version,
      language: row.language,
      textSha256: row.text_sha256,
      signedAt: row.signed_at.toISOString(),
      ip: row.ip,
      userAgent: row.user_agent,
      operatorSignature: row.operator_signature,
      operatorKeyId: row.operator_key_id,
    },
    operatorPublicKey: row.operator_public_key,
  });
}

/**
 * Checks a downloaded copy on its own: the text hashes to the recorded hash, and the operator's
 * seal is valid over the signed fields. Pure; needs no database.
 */
export function verifySignedCopy(copy: SignedCopy): boolean {
  const { subscriberId, version, language, textSha256, signedAt, operatorSignature, operatorKeyId } = copy.signature;
  if (sha256Hex(copy.text) !== textSha256) return false;
  return sealIsValid(copy.operatorPublicKey, operatorKeyId, { subscriberId, version, language, textSha256, signedAt }, operatorSignature);
}
