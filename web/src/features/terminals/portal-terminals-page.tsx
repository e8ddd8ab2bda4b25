import { FormProblem } from '../../components/form-errors';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../components/problem-alert';
import { PublicLayout } from '../../components/public-layout';
import { QueryView } from '../../components/query-view';
import { ApiProblemError, postJson } from '../../lib/api-client';
import { formatFen } from '../../lib/money';
import { Link, navigate } from '../../lib/router';
import { useAction } from '../../lib/use-action';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import { fileToBase64, type PortalTerminals, type TerminalUnit, type WarrantyClaim } from './terminals-api';

/** The subscriber's terminals with their warranty, delivery confirmation, written claims and their progress (clause 4). */
export function PortalTerminalsPage() {
  const { t } = useTranslation();
  const { state, reload } = useApiQuery<PortalTerminals>('/api/portal/terminals');

  useEffect(() => {
    if (state.status === 'error' && state.error instanceof ApiProblemError && state.error.problem.status === 401) {
      navigate(`/portal/login?next=${encodeURIComponent(window.location.pathname)}`, { replace: true });
    }
  }, [state]);

  return (
    <PublicLayout>
      <div className="portal stack" data-testid="portal-terminals-page">
        <div className="toolbar">
          <h1>{t('terminals.title')}</h1>
          <Link to="/portal" className="button button-quiet">
            {t('terminals.backToPortal')}
          </Link>
        </div>
        <p className="muted">{t('terminals.intro')}</p>
        <QueryView state={state} onRetry={reload}>
          {({ terminals, claims }) => (
            <>
              {terminals.length === 0 ? (
                <p className="muted">{t('terminals.empty')}</p>
              ) : (
                terminals.map((unit) => <TerminalCard key={unit.id} unit={unit} onChange={reload} />)
              )}
              <h2>{t('terminals.claimsTitle')}</h2>
              {claims.length === 0 ? (
                <p className="muted">{t('terminals.noClaims')}</p>
              ) : (
                claims.map((claim) => <ClaimCard key={claim.id} claim={claim} onChange={reload} />)
              )}
            </>
          )}
        </QueryView>
      </div>
    </PublicLayout>
  );
}

function TerminalCard({ unit, onChange }: { unit: TerminalUnit; onChange: () => void }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const action = useAction();
  const [damage, setDamage] = useState('');
  const [description, setDescription] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [endedOn, setEndedOn] = useState<string | null>(null);

  async function confirmDelivery(event: FormEvent) {
    event.preventDefault();
    const done = await action.run(() =>
      postJson(`/api/portal/terminals/${unit.id}/delivery`, damage.trim() ? { damageReported: damage.trim() } : {}),
    );
    if (done) onChange();
  }

  async function fileClaim(event: FormEvent) {
    event.preventDefault();
    setEndedOn(null);
    const done = await action.run(async () => {
      const photos = await Promise.all(files.map(async (f) => ({ name: f.name, type: f.type, contentBase64: await fileToBase64(f) })));
      try {
        return await postJson(`/api/portal/terminals/${unit.id}/claims`, { description, ...(photos.length > 0 ? { photos } : {}) });
      } catch (error) {
        if (error instanceof ApiProblemError && error.problem.code === 'warranty-ended') setEndedOn(String(error.problem.endedOn));
        throw error;
      }
    });
    if (done) {
      setDescription('');
      setFiles([]);
      onChange();
    }
  }

  return (
    <section className="card stack" data-testid="portal-terminal" data-serial={unit.serialNumber}>
      <h2>
        {unit.modelCode.toUpperCase()} · {unit.serialNumber}
      </h2>
      <dl className="facts">
        <dt>{t('terminals.mac')}</dt>
        <dd>{unit.mac}</dd>
        <dt>{t('terminals.state')}</dt>
        <dd data-testid="terminal-state">{t(`terminals.states.${unit.state}`)}</dd>
        {unit.deliveredAt && (
          <>
            <dt>{t('terminals.deliveredAt')}</dt>
            <dd>{formatDateTime(unit.deliveredAt)}</dd>
          </>
        )}
        {unit.warrantyEndsOn && (
          <>
            <dt>{t('terminals.warrantyEndsOn')}</dt>
            <dd data-testid="terminal-warranty">
              {unit.tamperedOn ? t('terminals.warrantyVoided', { date: unit.tamperedOn }) : unit.warrantyEndsOn}
            </dd>
          </>
        )}
      </dl>
      {unit.replacesUnitId && <p className="muted">{t('terminals.replaces')}</p>}
      {unit.state === 'shipped' && (
        <form className="stack" onSubmit={(e) => void confirmDelivery(e)}>
          <label>
            {t('terminals.damage')}
            <textarea value={damage} onChange={(e) => setDamage(e.target.value)} maxLength={2000} data-testid="terminal-damage" />
          </label>
          <p className="muted">{t('terminals.damageHint')}</p>
          <button type="submit" className="button" disabled={action.busy} data-testid="terminal-confirm-delivery">
            {t('terminals.confirmDelivery')}
          </button>
        </form>
      )}
      {unit.state === 'delivered' && (
        <FormProblem error={action.error}>
          <form className="stack" onSubmit={(e) => void fileClaim(e)} data-testid="claim-form">
            <h3>{t('terminals.newClaim')}</h3>
            <label>
              {t('terminals.description')}
              <textarea
                value={description}
                onChange={(e) => setDescription(e.target.value)}
                required
                maxLength={4000}
                data-testid="claim-description"
              />
            </label>
            <p className="muted">{t('terminals.descriptionHint')}</p>
            <label>
              {t('terminals.photos')}
              <input
                type="file"
                accept="image/png,image/jpeg"
                multiple
                onChange={(e) => setFiles([...(e.target.files ?? [])].slice(0, 4))}
                data-testid="claim-photos"
              />
            </label>
            <button type="submit" className="button" disabled={action.busy || description.trim() === ''} data-testid="claim-submit">
              {t('terminals.submitClaim')}
            </button>
          </form>
        </FormProblem>
      )}
      {endedOn && (
        <p className="alert alert-error" data-testid="claim-warranty-ended">
          {t('terminals.warrantyEndedOn', { date: endedOn })}
        </p>
      )}
      {action.error !== null && <ProblemAlert error={action.error} testId="terminal-problem" />}
    </section>
  );
}

function ClaimCard({ claim, onChange }: { claim: WarrantyClaim; onChange: () => void }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const action = useAction();

  async function answer(accept: boolean) {
    const done = await action.run(() => postJson(`/api/portal/claims/${claim.id}/quote`, { accept }));
    if (done) onChange();
  }

  return (
    <section className="card stack" id={`claim-${claim.id}`} data-testid="portal-claim" data-status={claim.status}>
      <div className="toolbar">
        <h3>
          {claim.unitSerial} · {t(`terminals.cause.${claim.cause}`)}
        </h3>
        <span className="badge" data-testid="claim-status">
          {t(`terminals.claimStatus.${claim.status}`)}
        </span>
        <span className="badge" data-testid="claim-coverage">
          {t(`terminals.coverage.${claim.covered === null ? claim.coverageWhenFiled : claim.covered ? 'covered' : 'not-covered'}`)}
        </span>
      </div>
      <p>
        {t('terminals.filedOn')}: {claim.filedOn}
        {claim.warrantyEndsOn && (
          <>
            {' '}
            · {t('terminals.warrantyEndsOn')}: {claim.warrantyEndsOn}
          </>
        )}
      </p>
      <p style={{ whiteSpace: 'pre-line' }}>{claim.description}</p>
      {claim.decision && <p>{t(`terminals.decision.${claim.decision}`)}</p>}
      {claim.quoteFen !== null && <p data-testid="claim-quote">{t('terminals.quote', { amount: formatFen(claim.quoteFen) })}</p>}
      {claim.status === 'quoted' && (
        <div className="toolbar">
          <button
            type="button"
            className="button"
            disabled={action.busy}
            onClick={() => void answer(true)}
            data-testid="claim-accept-quote"
          >
            {t('terminals.acceptQuote')}
          </button>
          <button
            type="button"
            className="button button-quiet"
            disabled={action.busy}
            onClick={() => void answer(false)}
            data-testid="claim-decline-quote"
          >
            {t('terminals.declineQuote')}
          </button>
        </div>
      )}
      <h4>{t('terminals.steps')}</h4>
      <ol data-testid="claim-steps">
        {claim.steps.map((step, index) => (
          <li key={index}>
            {formatDateTime(step.at)} · {t(`terminals.stepNames.${step.step}`, { defaultValue: step.step })}
            {step.note && <> — {step.note}</>}
          </li>
        ))}
      </ol>
      {action.error !== null && <ProblemAlert error={action.error} />}
    </section>
  );
}
