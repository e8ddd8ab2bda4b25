import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../components/problem-alert';
import { QueryView } from '../../components/query-view';
import { postJson } from '../../lib/api-client';
import { formatFen, parseYuanToFen } from '../../lib/money';
import { useAction } from '../../lib/use-action';
import { Link } from '../../lib/router';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import { exclusionReasons, parseParts, type ExclusionReason, type WarrantyClaim } from './terminals-api';

/** The technician's claims queue and assessment (`warranty.assess`, clause 4). */
export function ClaimsConsolePage() {
  const { t } = useTranslation();
  const queue = useApiQuery<{ claims: WarrantyClaim[] }>('/api/console/warranty/claims');
  const [openId, setOpenId] = useState<string | null>(null);
  return (
    <div className="stack" data-testid="claims-page">
      <h1>{t('terminals.claimsQueueTitle')}</h1>
      <p className="muted">{t('terminals.claimsQueueIntro')}</p>
      <QueryView state={queue.state} onRetry={queue.reload}>
        {({ claims }) => {
          if (openId)
            return (
              <ClaimDetail
                id={openId}
                onBack={() => {
                  setOpenId(null);
                  queue.reload();
                }}
              />
            );
          return (
            <table className="table" data-testid="claims-table">
              <thead>
                <tr>
                  <th>{t('terminals.serial')}</th>
                  <th>{t('terminals.filedOn')}</th>
                  <th>{t('terminals.state')}</th>
                  <th>{t('terminals.warrantyEndsOn')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {claims.map((claim) => (
                  <tr key={claim.id} data-testid="claims-entry">
                    <td>
                      {claim.unitSerial} · {t(`terminals.cause.${claim.cause}`)}
                    </td>
                    <td>{claim.filedOn}</td>
                    <td>{t(`terminals.claimStatus.${claim.status}`)}</td>
                    <td>
                      {claim.warrantyEndsOn ?? '—'} · {t(`terminals.coverage.${claim.coverageWhenFiled}`)}
                    </td>
                    <td>
                      <button type="button" className="button" onClick={() => setOpenId(claim.id)} data-testid="claims-open">
                        {t('terminals.open')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          );
        }}
      </QueryView>
    </div>
  );
}

/** One claim, read on its own: it stays open when it leaves the queue (completed, declined). */
function ClaimDetail({ id, onBack }: { id: string; onBack: () => void }) {
  const claim = useApiQuery<WarrantyClaim>(`/api/console/warranty/claims/${encodeURIComponent(id)}`);
  return (
    <QueryView state={claim.state} onRetry={claim.reload}>
      {(loaded) => <ClaimAssessment claim={loaded} onBack={onBack} onDone={claim.reload} />}
    </QueryView>
  );
}

function ClaimAssessment({ claim, onBack, onDone }: { claim: WarrantyClaim; onBack: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const action = useAction();
  const [exclusions, setExclusions] = useState<ExclusionReason[]>([]);
  const [tamperFound, setTamperFound] = useState(false);
  const [decision, setDecision] = useState<'repair' | 'replace'>('repair');
  const [quote, setQuote] = useState('');
  const [note, setNote] = useState('');
  const [partsUsed, setPartsUsed] = useState('');
  const [partsReturned, setPartsReturned] = useState('');
  const [replacementId, setReplacementId] = useState('');
  const post = async (path: string, body: unknown) => {
    const done = await action.run(() => postJson(`/api/console/warranty/claims/${claim.id}/${path}`, body));
    if (done) onDone();
  };
  async function assess(event: FormEvent) {
    event.preventDefault();
    const quoteFen = quote.trim() ? parseYuanToFen(quote) : null;
    await post('assessment', { exclusions, tamperFound, decision, ...(note.trim() ? { note } : {}), ...(quoteFen ? { quoteFen } : {}) });
  }
  return (
    <section className="card stack" data-testid="claim-assessment" data-status={claim.status}>
      <div className="toolbar">
        <h2>
          {claim.unitModel.toUpperCase()} · {claim.unitSerial}
        </h2>
        <Link to={`/console/customers/${claim.subscriberId}`} className="button button-small" data-testid="claim-customer">
          {t('customer.open')}
        </Link>
        <button type="button" className="button button-quiet" onClick={onBack}>
          {t('terminals.back')}
        </button>
      </div>
      <p>
        {t(`terminals.cause.${claim.cause}`)} · {t('terminals.filedOn')} {claim.filedOn} ·{' '}
        {t(`terminals.coverage.${claim.coverageWhenFiled}`)}
        {claim.warrantyEndsOn && (
          <>
            {' '}
            · {t('terminals.warrantyEndsOn')} {claim.warrantyEndsOn}
          </>
        )}
      </p>
      <p style={{ whiteSpace: 'pre-line' }} data-testid="claim-description-view">
        {claim.description}
      </p>
      {claim.photos.length > 0 && (
        <div className="toolbar">
          {claim.photos.map((photo) => (
            <a key={photo.id} href={`/api/console/warranty/claims/${claim.id}/photos/${photo.id}`} target="_blank" rel="noreferrer">
              <img src={`/api/console/warranty/claims/${claim.id}/photos/${photo.id}`} alt={photo.name} style={{ maxHeight: 120 }} />
            </a>
          ))}
        </div>
      )}
      <p data-testid="claim-status-view">{t(`terminals.claimStatus.${claim.status}`)}</p>
      {claim.quoteFen !== null && <p>{t('terminals.quote', { amount: formatFen(claim.quoteFen) })}</p>}
      {claim.status === 'filed' && (
        <form className="stack" onSubmit={(e) => void assess(e)} data-testid="assessment-form">
          <fieldset>
            <legend>{t('terminals.exclusionsLabel')}</legend>
            {exclusionReasons.map((reason) => (
              <label key={reason} className="checkbox">
                <input
                  type="checkbox"
                  checked={exclusions.includes(reason)}
                  onChange={(e) => setExclusions(e.target.checked ? [...exclusions, reason] : exclusions.filter((r) => r !== reason))}
                  data-testid={`exclusion-${reason}`}
                />
                {t(`terminals.exclusions.${reason}`)}
              </label>
            ))}
          </fieldset>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={tamperFound}
              onChange={(e) => setTamperFound(e.target.checked)}
              data-testid="assessment-tamper"
            />
            {t('terminals.tamperFound')}
          </label>
          <div className="toolbar">
            {(['repair', 'replace'] as const).map((d) => (
              <label key={d} className="checkbox">
                <input
                  type="radio"
                  name="decision"
                  checked={decision === d}
                  onChange={() => setDecision(d)}
                  data-testid={`decision-${d}`}
                />
                {t(`terminals.decision.${d}`)}
              </label>
            ))}
          </div>
          <label>
            {t('terminals.quoteYuan')}
            <input value={quote} onChange={(e) => setQuote(e.target.value)} inputMode="decimal" data-testid="assessment-quote" />
          </label>
          <label>
            {t('terminals.note')}
            <textarea value={note} onChange={(e) => setNote(e.target.value)} maxLength={4000} data-testid="assessment-note" />
          </label>
          <button type="submit" className="button" disabled={action.busy} data-testid="assessment-submit">
            {t('terminals.assess')}
          </button>
        </form>
      )}
      {claim.status === 'in-service' && (
        <>
          <form
            className="stack"
            onSubmit={(e) => {
              e.preventDefault();
              void post('repair', { partsUsed: parseParts(partsUsed), partsReturned: parseParts(partsReturned) });
            }}
            data-testid="repair-form"
          >
            <label>
              {t('terminals.partsUsed')}
              <textarea value={partsUsed} onChange={(e) => setPartsUsed(e.target.value)} data-testid="repair-used" />
            </label>
            <label>
              {t('terminals.partsReturned')}
              <textarea value={partsReturned} onChange={(e) => setPartsReturned(e.target.value)} data-testid="repair-returned" />
            </label>
            <button type="submit" className="button" disabled={action.busy} data-testid="repair-submit">
              {t('terminals.recordRepair')}
            </button>
          </form>
          <div className="toolbar">
            <input
              placeholder={t('terminals.replacementUnitId')}
              value={replacementId}
              onChange={(e) => setReplacementId(e.target.value)}
              data-testid="replace-unit"
            />
            <button
              type="button"
              className="button"
              disabled={action.busy}
              onClick={() => void post('replacement', { unitId: replacementId })}
              data-testid="replace-submit"
            >
              {t('terminals.replace')}
            </button>
            <button
              type="button"
              className="button button-quiet"
              disabled={action.busy}
              onClick={() => void post('completion', {})}
              data-testid="complete-submit"
            >
              {t('terminals.complete')}
            </button>
          </div>
        </>
      )}
      {claim.parts.length > 0 && (
        <>
          <h3>{t('terminals.parts')}</h3>
          <ul data-testid="claim-parts">
            {claim.parts.map((p, i) => (
              <li key={i}>
                {p.direction === 'used' ? t('terminals.used') : t('terminals.returnedToStock')}: {p.part}
                {p.serialNumber && <> ({p.serialNumber})</>}
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>{t('terminals.steps')}</h3>
      <ol>
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
