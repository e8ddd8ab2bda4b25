import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../components/problem-alert';
import { QueryView } from '../../components/query-view';
import { TextField } from '../../components/text-field';
import { postJson } from '../../lib/api-client';
import { useAction } from '../../lib/use-action';
import { useApiQuery } from '../../lib/use-api-query';
import type { ApiResponse, Staff } from '../../types/api';

type MaskedSubscriber = ApiResponse<'/api/console/subscribers/{id}'>;

/**
 * A subscriber's identity as staff see it: masked, and one field in clear for those with identity.reveal
 * after they state why (clause 1; the reveal is recorded with its purpose).
 */
export function IdentitySection({ id, staff }: { id: string; staff: Staff }) {
  const { state, reload } = useApiQuery<MaskedSubscriber>(`/api/console/subscribers/${id}`);
  return (
    <QueryView state={state} onRetry={reload}>
      {(subscriber) => <IdentityFields subscriberId={id} identity={subscriber.identity} staff={staff} />}
    </QueryView>
  );
}

/** The masked identity fields with their reveal buttons, and the purpose asked before a reveal. */
export function IdentityFields({
  subscriberId,
  identity,
  staff,
}: {
  subscriberId: string;
  identity: MaskedSubscriber['identity'];
  staff: Staff;
}) {
  const { t } = useTranslation();
  const mayReveal = staff.permissions.includes('identity.reveal');
  const [revealed, setRevealed] = useState<Record<string, string>>({});
  const [revealField, setRevealField] = useState<string | null>(null);
  const action = useAction();

  async function reveal(purpose: string): Promise<void> {
    if (!revealField) return;
    await action.run(async () => {
      const result = await postJson<ApiResponse<'/api/console/subscribers/{id}/reveal', 'post'>>(
        `/api/console/subscribers/${subscriberId}/reveal`,
        { field: revealField, purpose },
      );
      setRevealed((current) => ({ ...current, [result.field]: result.value }));
      setRevealField(null);
    });
  }

  return (
    <div className="stack">
      <p className="muted small">{t('subscribersConsole.masked')}</p>
      <dl className="identity-list">
        {Object.entries(identity).map(([field, masked]) => (
          <div key={field} className="identity-row">
            <dt>{t(`subscribersConsole.fields.${field as 'fullName'}`)}</dt>
            <dd>
              <span data-testid={`identity-${field}`}>
                {field === 'idType' ? t(`apply.idTypes.${masked as 'passport'}`, { defaultValue: masked }) : (revealed[field] ?? masked)}
              </span>{' '}
              {mayReveal && revealed[field] === undefined && field !== 'idType' && (
                <button
                  type="button"
                  className="button button-small button-quiet"
                  onClick={() => setRevealField(field)}
                  data-testid={`reveal-${field}`}
                >
                  {t('subscribersConsole.reveal')}
                </button>
              )}
            </dd>
          </div>
        ))}
      </dl>
      {revealField && (
        <PurposeForm
          id="reveal-purpose"
          label={`${t('subscribersConsole.purpose')} — ${t(`subscribersConsole.fields.${revealField as 'fullName'}`)}`}
          onSubmit={reveal}
        />
      )}
      {action.error !== null && <ProblemAlert error={action.error} testId="identity-error" />}
    </div>
  );
}

/** Asks why before anything is shown in clear: the purpose is recorded with the reveal (clause 1). */
export function PurposeForm({ id, label, onSubmit }: { id: string; label: string; onSubmit: (purpose: string) => Promise<void> }) {
  const { t } = useTranslation();
  const [purpose, setPurpose] = useState('');
  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    void onSubmit(purpose);
  }
  return (
    <form className="form" onSubmit={submit}>
      <TextField
        id={id}
        label={label}
        hint={t('subscribersConsole.purposeHint')}
        required
        minLength={10}
        value={purpose}
        onValueChange={setPurpose}
      />
      <div>
        <button type="submit" className="button button-primary" data-testid={`${id}-submit`}>
          {t('subscribersConsole.revealSubmit')}
        </button>
      </div>
    </form>
  );
}
