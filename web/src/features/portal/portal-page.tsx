import { FormProblem } from '../../components/form-errors';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../components/problem-alert';
import { PublicLayout } from '../../components/public-layout';
import { QueryView } from '../../components/query-view';
import { TextField } from '../../components/text-field';
import { ApiProblemError, deleteResource, putFile } from '../../lib/api-client';
import { Link, navigate } from '../../lib/router';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { ApiResponse } from '../../types/api';
import {
  addDevice,
  loadAgreement,
  portalMePath,
  portalSignOut,
  requestTermination,
  signAgreement,
  type AgreementToSign,
  type Device,
  type DeviceCredentials,
  type Me,
  type Termination,
} from './portal-api';
import { CreditSection } from './credit-section';
import { MaintenanceNotice } from './maintenance-notice';
import { NoticesLink } from './notices-link';
import { OutageNotice } from './outage-notice';
import { TermsChangesSection } from './terms-changes-section';
import { StatusCard } from './status-card';
import { useAction } from '../../lib/use-action';

/**
 * The subscriber's self-service page: where the application stands and what to do next (upload
 * documents, sign), the number and its devices, the signed agreement, own data, ending the service.
 */
export function PortalPage() {
  const { t } = useTranslation();
  const { state, reload } = useApiQuery<Me>(portalMePath);

  useEffect(() => {
    if (state.status === 'error' && state.error instanceof ApiProblemError && state.error.problem.status === 401) {
      navigate(`/portal/login?next=${encodeURIComponent(window.location.pathname)}`, { replace: true });
    }
  }, [state]);

  async function signOut(): Promise<void> {
    await portalSignOut();
    navigate('/portal/login', { replace: true });
  }

  return (
    <PublicLayout>
      <div className="portal stack">
        <div className="toolbar">
          <h1>{t('portal.title')}</h1>
          <button type="button" className="button button-quiet" onClick={() => void signOut()} data-testid="portal-logout">
            {t('portal.logout')}
          </button>
        </div>
        <QueryView state={state} onRetry={reload}>
          {(me) => <PortalSections me={me} reload={reload} />}
        </QueryView>
      </div>
    </PublicLayout>
  );
}

function PortalSections({ me, reload }: { me: Me; reload: () => void }) {
  const { t } = useTranslation();
  const hasService = me.status === 'active' || me.status === 'suspended';
  return (
    <>
      <StatusCard me={me} />
      <NoticesLink />
      {(me.status === 'documents_requested' || me.status === 'applied') && <DocumentsSection status={me.status} />}
      {(me.status === 'approved' || hasService || me.status === 'terminated') && <AgreementSection me={me} onSigned={reload} />}
      {hasService && <OutageNotice />}
      {hasService && <MaintenanceNotice />}
      {hasService && <CreditSection onChanged={reload} />}
      {(hasService || me.status === 'terminated') && (
        // A terminated subscriber may still owe the final bill, so the bills stay reachable.
        <section className="card" aria-labelledby="portal-bills">
          <h2 id="portal-bills">{t('bills.title')}</h2>
          <p className="muted">{t('bills.portalIntro')}</p>
          <Link to="/portal/bills" className="button" data-testid="portal-bills-link">
            {t('bills.portalLink')}
          </Link>{' '}
          <Link to="/portal/pay" className="button button-primary" data-testid="portal-pay-online">
            {t('payments.payOnline')}
          </Link>
        </section>
      )}
      {(hasService || me.status === 'terminated') && (
        <section className="card" aria-labelledby="portal-disputes">
          <h2 id="portal-disputes">{t('disputes.portalLink')}</h2>
          <p className="muted">{t('disputes.portalIntro')}</p>
          <Link to="/portal/disputes" className="button" data-testid="portal-disputes-link">
            {t('disputes.portalLink')}
          </Link>
        </section>
      )}
      {(hasService || me.status === 'terminated') && (
        <section className="card" aria-labelledby="portal-terminals">
          <h2 id="portal-terminals">{t('terminals.portalLink')}</h2>
          <p className="muted">{t('terminals.portalIntro')}</p>
          <Link to="/portal/terminals" className="button" data-testid="portal-terminals-link">
            {t('terminals.portalLink')}
          </Link>
        </section>
      )}
      {hasService && <TermsChangesSection />}
      {hasService && <DevicesSection />}
      <section className="card" aria-labelledby="portal-my-data">
        <h2 id="portal-my-data">{t('portal.myDataTitle')}</h2>
        <p className="muted">{t('portal.myDataIntro')}</p>
        <a className="button" href="/api/portal/my-data?download=true" download data-testid="portal-export">
          {t('portal.exportData')}
        </a>
      </section>
      {(hasService || me.status === 'approved') && <TerminationSection onDone={reload} />}
    </>
  );
}

/**
 * Shown while documents are asked for, and after a first upload too (the application is then back
 * with the reviewer, and the applicant may still add the back of the card).
 */
function DocumentsSection({ status }: { status: 'documents_requested' | 'applied' }) {
  const { t } = useTranslation();
  const verification = useApiQuery<ApiResponse<'/api/portal/verification'>>('/api/portal/verification');
  const [kind, setKind] = useState('id-front');
  const [file, setFile] = useState<File | null>(null);
  const sending = useAction();
  const [uploaded, setUploaded] = useState<{ kind: string; size: number }[]>([]);

  async function upload(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (!file) return;
    await sending.run(async () => {
      await putFile(`/api/portal/documents/${kind}`, file);
      setUploaded((current) => [...current, { kind, size: file.size }]);
    });
  }

  const answer = verification.state.status === 'success' ? verification.state.data : null;
  const reason = answer?.reason ?? null;
  if (status === 'applied' && answer?.decision !== 'request-documents') return null;
  return (
    <section className="card" aria-labelledby="portal-documents">
      <h2 id="portal-documents">{t('portal.documentsTitle')}</h2>
      {reason && (
        <p className="notice" data-testid="portal-documents-reason">
          {t('portal.documentsReason', { reason })}
        </p>
      )}
      <p className="muted">{t('portal.documentsIntro')}</p>
      <FormProblem error={sending.error}>
        <form className="form" onSubmit={upload}>
          <div className="field">
            <label htmlFor="portal-document-kind">{t('portal.documentKind')}</label>
            <select
              id="portal-document-kind"
              data-testid="portal-document-kind"
              value={kind}
              onChange={(event) => setKind(event.target.value)}
            >
              {(['id-front', 'id-back', 'business-licence', 'other'] as const).map((option) => (
                <option key={option} value={option}>
                  {t(`portal.documentKinds.${option}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="portal-document-file">{t('portal.file')}</label>
            <input
              id="portal-document-file"
              data-testid="portal-document-file"
              type="file"
              accept="image/jpeg,image/png,application/pdf"
              onChange={(event) => setFile(event.target.files?.[0] ?? null)}
            />
          </div>
          {sending.error !== null && <ProblemAlert error={sending.error} testId="portal-document-error" />}
          <button type="submit" className="button button-primary" disabled={sending.busy || !file} data-testid="portal-document-upload">
            {sending.busy ? t('portal.uploading') : t('portal.upload')}
          </button>
        </form>
      </FormProblem>
      {uploaded.map((item, index) => (
        <p key={index} className="text-success" data-testid="portal-document-uploaded">
          {t('portal.uploaded', { kind: t(`portal.documentKinds.${item.kind as 'other'}`), size: item.size })}
        </p>
      ))}
    </section>
  );
}

function AgreementSection({ me, onSigned }: { me: Me; onSigned: () => void }) {
  const { t, i18n } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const [agreement, setAgreement] = useState<AgreementToSign | null>(null);
  const [accepted, setAccepted] = useState(false);
  const signing = useAction();
  const { setError: showLoadError } = signing;
  const language = i18n.language === 'en' ? 'en' : 'zh-CN';

  useEffect(() => {
    loadAgreement(language).then(setAgreement, showLoadError);
  }, [language, me.status, showLoadError]);

  async function sign(): Promise<void> {
    if (!agreement) return;
    await signing.run(async () => {
      await signAgreement(agreement);
      onSigned();
    });
  }

  const mustSign = me.status === 'approved' && (agreement?.signatures.length ?? 0) === 0;
  return (
    <section className="card" aria-labelledby="portal-agreement">
      <h2 id="portal-agreement">{t('portal.agreementTitle')}</h2>
      {signing.error !== null && <ProblemAlert error={signing.error} testId="portal-agreement-error" />}
      {agreement && mustSign && (
        <div className="stack">
          <p className="muted">{t('portal.agreementIntro')}</p>
          <pre className="agreement-text" data-testid="portal-agreement-text" tabIndex={0}>
            {agreement.text}
          </pre>
          <p className="small muted">{t('portal.agreementHash', { hash: agreement.textSha256 })}</p>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={accepted}
              onChange={(event) => setAccepted(event.target.checked)}
              data-testid="portal-agreement-accept"
            />
            {t('portal.agreementAccept')}
          </label>
          <div>
            <button
              type="button"
              className="button button-primary"
              disabled={!accepted || signing.busy}
              onClick={() => void sign()}
              data-testid="portal-agreement-sign"
            >
              {signing.busy ? t('portal.signing') : t('portal.sign')}
            </button>
          </div>
        </div>
      )}
      {agreement && agreement.signatures.length > 0 && (
        <div className="stack">
          <h3>{t('portal.signedCopies')}</h3>
          <p className="small muted">{t('agreementDocs.verifyHint')}</p>
          <ul data-testid="portal-signatures">
            {agreement.signatures.map((signature) => (
              <li key={signature.id}>
                {t('portal.signedAt', { version: signature.version, time: formatDateTime(signature.signedAt) })}{' '}
                <a
                  href={`/api/portal/agreement/signatures/${signature.id}/pdf`}
                  download={`videophone-agreement-${signature.id}.pdf`}
                  data-testid="portal-agreement-pdf"
                >
                  {t('agreementDocs.pdf')}
                </a>{' '}
                ·{' '}
                <a href={`/api/portal/agreement/signatures/${signature.id}`} download={`videophone-agreement-${signature.id}.json`}>
                  {t('agreementDocs.json')}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function DevicesSection() {
  const { t } = useTranslation();
  const devices = useApiQuery<Device[]>('/api/portal/devices');
  const [name, setName] = useState('');
  const [issued, setIssued] = useState<DeviceCredentials | null>(null);
  const action = useAction();

  async function add(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    await action.run(async () => {
      setIssued(await addDevice(name));
      setName('');
      devices.reload();
    });
  }

  async function revoke(deviceId: string): Promise<void> {
    await action.run(async () => {
      await deleteResource(`/api/portal/devices/${deviceId}`);
      devices.reload();
    });
  }

  return (
    <section className="card" aria-labelledby="portal-devices">
      <h2 id="portal-devices">{t('portal.devicesTitle')}</h2>
      <p className="muted">{t('portal.devicesIntro')}</p>
      <p>
        <Link to="/phone" className="button button-primary" data-testid="portal-open-phone">
          {t('portal.openPhone')}
        </Link>
      </p>
      <QueryView state={devices.state} onRetry={devices.reload}>
        {(list) =>
          list.length === 0 ? (
            <p className="muted">{t('portal.noDevices')}</p>
          ) : (
            <ul data-testid="portal-device-list">
              {list.map((device) => (
                <li key={device.deviceId}>
                  {device.name} <span className="muted small numeric">{device.number}</span>{' '}
                  <button type="button" className="button button-small" onClick={() => void revoke(device.deviceId)}>
                    {t('portal.revoke')}
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
      <FormProblem error={action.error}>
        <form className="form" onSubmit={add}>
          <TextField id="portal-device-name" label={t('portal.deviceName')} required maxLength={60} value={name} onValueChange={setName} />
          <div>
            <button type="submit" className="button" data-testid="portal-device-add">
              {t('portal.addDevice')}
            </button>
          </div>
        </form>
      </FormProblem>
      {action.error !== null && <ProblemAlert error={action.error} />}
      {issued && (
        <div className="notice" data-testid="portal-device-credentials">
          <p>{t('portal.newDevice')}</p>
          <p>
            {t('portal.sipUser')}: <code>{issued.authorizationUsername}</code>
          </p>
          <p>
            {t('portal.sipPassword')}: <code>{issued.password}</code>
          </p>
          <p>
            {t('portal.sipServer')}: <code>{issued.wsUri}</code>
          </p>
        </div>
      )}
    </section>
  );
}

function TerminationSection({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<Termination | null>(null);
  const action = useAction();

  async function terminate(): Promise<void> {
    if (!window.confirm(t('portal.terminateConfirm'))) return;
    await action.run(async () => {
      const result = await requestTermination();
      setOutcome(result);
      if (result.status === 'terminated') onDone();
    });
  }

  return (
    <section className="card" aria-labelledby="portal-terminate">
      <h2 id="portal-terminate">{t('portal.terminateTitle')}</h2>
      <p className="muted">{t('portal.terminateIntro')}</p>
      <button type="button" className="button button-danger" onClick={() => void terminate()} data-testid="portal-terminate">
        {t('portal.terminate')}
      </button>
      {action.error !== null && <ProblemAlert error={action.error} />}
      {outcome?.status === 'awaiting-settlement' && (
        <p className="notice" data-testid="portal-termination-outcome">
          {t('portal.awaitingSettlement', { amount: formatFen(outcome.outstandingFen) })}
        </p>
      )}
      {outcome?.status === 'terminated' && (
        <p className="notice" data-testid="portal-termination-outcome">
          {t('portal.terminated')}
        </p>
      )}
    </section>
  );
}

/** Fen as yuan with two decimals, by integer arithmetic: amounts never pass through floating point. */
function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}¥${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
