import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PublicLayout } from '../../components/public-layout';
import { TextField } from '../../components/text-field';
import { ApiProblemError } from '../../lib/api-client';
import { formatFen, parseYuanToFen } from '../../lib/money';
import { Link, navigate } from '../../lib/router';
import { useAction } from '../../lib/use-action';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import { attachmentOf, isAcceptableAttachment, openDispute, type DisputeSubject, type NewDispute } from './disputes-api';
import { DisputeProblem } from './dispute-problem';

/**
 * The address says what is disputed, so any page can link here without importing this feature: the
 * call history (`?subject=call&id=<record>&peer=&at=`) and a bill's detail
 * (`?subject=bill&id=<bill>&period=&total=` or `?subject=bill-line&id=<entry>&period=&kind=&amount=`, amounts in fen).
 */
const subjects: readonly DisputeSubject[] = ['bill', 'bill-line', 'call'];

function readTarget(): { subject: DisputeSubject; id: string; about: URLSearchParams } | null {
  const query = new URLSearchParams(window.location.search);
  const subject = query.get('subject');
  const id = query.get('id');
  if (!subject || !id || !(subjects as readonly string[]).includes(subject)) return null;
  return { subject: subject as DisputeSubject, id, about: query };
}

/** The subscriber disputes a bill, a line of one or a call (clause 6): a reason, for a bill an amount, and a file if they have one. */
export function NewDisputePage() {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const [target] = useState(readTarget);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [checkError, setCheckError] = useState<string | null>(null);
  const action = useAction();

  // Signed out (or the session expired): back to the login, returning here afterwards.
  useEffect(() => {
    if (action.error instanceof ApiProblemError && action.error.problem.status === 401) {
      navigate(`/portal/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`, { replace: true });
    }
  }, [action.error]);

  function describeTarget(): string {
    if (!target) return '';
    const about = target.about;
    const fen = (name: string) => formatFen(Number(about.get(name) ?? 0));
    if (target.subject === 'call') {
      const at = about.get('at');
      return t('disputes.subjectCall', { peer: about.get('peer') ?? '', time: at ? formatDateTime(at) : '' });
    }
    if (target.subject === 'bill') return t('disputes.subjectBill', { period: about.get('period') ?? '', total: fen('total') });
    const kind = about.get('kind') ?? '';
    return t('disputes.subjectLine', {
      period: about.get('period') ?? '',
      line: t(`bills.lineKinds.${kind as 'rent'}`, { defaultValue: kind }),
      amount: fen('amount'),
    });
  }

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (!target) return;
    setCheckError(null);
    let amountFen: number | undefined;
    if (target.subject === 'bill' && amount.trim() !== '') {
      const parsed = parseYuanToFen(amount);
      if (parsed === null) return setCheckError(t('disputes.amountInvalid'));
      amountFen = parsed;
    }
    if (file && !isAcceptableAttachment(file)) return setCheckError(t('disputes.attachmentInvalid'));
    const opened = await action.run(async () => {
      const body: NewDispute = {
        subject: target.subject,
        subjectId: target.id,
        reason: reason.trim(),
        ...(amountFen !== undefined ? { amountFen } : {}),
        ...(file && isAcceptableAttachment(file) ? { attachment: await attachmentOf(file) } : {}),
      };
      return openDispute(body);
    });
    if (opened) navigate(`/portal/disputes?opened=${encodeURIComponent(opened.id)}`);
  }

  return (
    <PublicLayout>
      <div className="portal stack" data-testid="new-dispute-page">
        <div className="toolbar">
          <h1>{t('disputes.newTitle')}</h1>
          <Link to="/portal/disputes" className="button button-quiet">
            {t('disputes.portalLink')}
          </Link>
        </div>
        <section className="card stack">
          <p className="muted">{t('disputes.intro')}</p>
          {!target ? (
            <p className="notice">{t('disputes.problems.notFound')}</p>
          ) : (
            <form className="form" onSubmit={(event) => void submit(event)} data-testid="new-dispute-form">
              <p data-testid="new-dispute-subject">
                <strong>{t('disputes.subjectIs', { subject: t(`disputes.subjects.${target.subject}`) })}</strong>
                <br />
                {describeTarget()}
              </p>
              {target.subject === 'bill' && (
                <TextField
                  id="dispute-amount"
                  label={t('disputes.amount')}
                  value={amount}
                  onValueChange={setAmount}
                  inputMode="decimal"
                  hint={t('disputes.amountHint')}
                />
              )}
              <div className="field">
                <label htmlFor="dispute-reason">{t('disputes.reason')}</label>
                <textarea
                  id="dispute-reason"
                  data-testid="dispute-reason"
                  aria-describedby="dispute-reason-hint"
                  required
                  maxLength={2000}
                  rows={4}
                  value={reason}
                  onChange={(event) => setReason(event.target.value)}
                />
                <p id="dispute-reason-hint" className="hint">
                  {t('disputes.reasonHint')}
                </p>
              </div>
              <div className="field">
                <label htmlFor="dispute-attachment">{t('disputes.attachment')}</label>
                <input
                  id="dispute-attachment"
                  data-testid="dispute-attachment"
                  type="file"
                  accept="image/png,image/jpeg,application/pdf"
                  aria-describedby="dispute-attachment-hint"
                  onChange={(event) => setFile(event.target.files?.[0] ?? null)}
                />
                <p id="dispute-attachment-hint" className="hint">
                  {t('disputes.attachmentHint')}
                </p>
              </div>
              {checkError !== null && (
                <p className="alert alert-error" role="alert" data-testid="dispute-check-error">
                  {checkError}
                </p>
              )}
              {action.error !== null && <DisputeProblem error={action.error} action="open" testId="dispute-problem" />}
              <div className="row-actions">
                <button
                  type="submit"
                  className="button button-primary"
                  disabled={action.busy || !reason.trim()}
                  data-testid="dispute-submit"
                >
                  {action.busy ? t('disputes.submitting') : t('disputes.submit')}
                </button>
              </div>
            </form>
          )}
        </section>
      </div>
    </PublicLayout>
  );
}
