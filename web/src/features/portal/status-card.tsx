import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryView } from '../../components/query-view';
import { formatFen } from '../../lib/money';
import { Link } from '../../lib/router';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { ApiResponse } from '../../types/api';
import { JudicialNotice } from './judicial-notice';
import type { Me } from './portal-api';

type Standing = ApiResponse<'/api/portal/status'>;
type Item = Standing['items'][number];
type Action = Item['actions'][number];

/**
 * Where the service stands, as the server computes it from every module: each open suspension with
 * its cause, a termination in progress and what it waits on, what is owed now, and for each the
 * action that resolves it. The badge never says "active" while any of these applies.
 */
export function StatusCard({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { state, reload } = useApiQuery<Standing>('/api/portal/status');
  // The portal reloads `me` after anything the subscriber changes (a credit limit, a payment, a
  // signature): the standing is asked again then, so a lifted suspension does not linger here.
  const seen = useRef(me);
  useEffect(() => {
    if (seen.current === me) return;
    seen.current = me;
    reload();
  }, [me, reload]);
  return (
    <section className="card stack" aria-labelledby="portal-status" data-testid="portal-status-card">
      <h2 id="portal-status">{t('portal.status')}</h2>
      <QueryView state={state} onRetry={reload}>
        {(standing) => (
          <>
            <p>
              <span className={`badge${badgeTone(standing.headline)}`} data-testid="portal-status">
                {t(`standing.headlines.${standing.headline}`)}
              </span>
            </p>
            {standing.items.map((item, index) => (
              <StandingNotice key={index} item={item} supportContact={standing.supportContact} />
            ))}
            {standing.items.length === 0 && me.status !== 'applied' && me.status !== 'documents_requested' && (
              <p className="small muted" data-testid="portal-owed">
                {t('standing.nothingOwed')}
              </p>
            )}
          </>
        )}
      </QueryView>
      <p>
        {t('portal.number')}:{' '}
        {me.numbers.length > 0 ? (
          <strong className="numeric" data-testid="portal-number">
            {me.numbers.join(', ')}
          </strong>
        ) : (
          <span className="muted">{t('portal.noNumber')}</span>
        )}
      </p>
    </section>
  );
}

function badgeTone(headline: Standing['headline']): string {
  if (headline === 'active') return ' badge-success';
  if (headline === 'suspended' || headline === 'terminating' || headline === 'rejected') return ' badge-danger';
  return '';
}

function StandingNotice({ item, supportContact }: { item: Item; supportContact: string }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  return (
    <div
      className="notice stack"
      data-testid={`portal-standing-${item.kind}`}
      data-cause={item.kind === 'suspension' ? item.cause : undefined}
    >
      {item.kind === 'suspension' && (
        <>
          <p>
            <strong>{t(`standing.suspension.${item.cause}`)}</strong>
          </p>
          <p className="small">
            {t(`standing.blocks.${item.blocks}`)} · {t('standing.since', { time: formatDateTime(item.since) })}
          </p>
          {/* Clause 10: neutral, with a contact; the order itself only if the legal officer allowed it. */}
          {item.cause === 'judicial' && <JudicialNotice />}
        </>
      )}
      {item.kind === 'termination' && (
        <p>
          {item.waitsOn === 'final-settlement'
            ? t('standing.terminationWaits', { time: formatDateTime(item.requestedAt), amount: formatFen(item.amountFen) })
            : t('standing.terminationCompleting', { time: formatDateTime(item.requestedAt) })}
        </p>
      )}
      {item.kind === 'owed' && (
        <p data-testid="portal-owed">{t(item.overdue ? 'standing.owedOverdue' : 'standing.owed', { amount: formatFen(item.amountFen) })}</p>
      )}
      <div className="row-actions">
        {item.actions.map((action, index) => (
          <ActionLink key={index} action={action} supportContact={supportContact} primary={index === 0} />
        ))}
      </div>
    </div>
  );
}

/** The online payment page (`/portal/pay`) takes what to pay for; the amount is computed there again. */
function payPath(action: Extract<Action, { kind: 'pay' }>): string {
  const query = new URLSearchParams({ purpose: action.purpose });
  if (action.billId) query.set('billId', action.billId);
  return `/portal/pay?${query.toString()}`;
}

function ActionLink({ action, supportContact, primary }: { action: Action; supportContact: string; primary: boolean }) {
  const { t } = useTranslation();
  const className = primary ? 'button button-primary' : 'button';
  switch (action.kind) {
    case 'pay': {
      const amount = formatFen(action.amountFen);
      const label = {
        bill: t('standing.actions.payBill', { amount }),
        balance: t('standing.actions.pay', { amount }),
        'month-fees': t('standing.actions.payMonthFees', { amount }),
        'final-settlement': t('standing.actions.payFinal', { amount }),
      }[action.purpose];
      return (
        <Link to={payPath(action)} className={className} data-testid={`portal-pay-${action.purpose}`}>
          {label}
        </Link>
      );
    }
    case 'contact-support':
      return (
        <span className="small" data-testid="portal-contact-support">
          {t('standing.actions.contactSupport', { contact: supportContact })}
        </span>
      );
    case 'read-notices':
      return (
        <Link to="/portal/notices" className={className} data-testid="portal-read-notices">
          {t('standing.actions.readNotices')}
        </Link>
      );
    case 'send-documents':
      return (
        <a href="#portal-documents" className={className} data-testid="portal-send-documents">
          {t('standing.actions.sendDocuments')}
        </a>
      );
    case 'raise-credit-limit':
      return (
        <a href="#portal-credit" className={className} data-testid="portal-raise-credit-limit">
          {t('standing.actions.raiseCreditLimit')}
        </a>
      );
  }
}
