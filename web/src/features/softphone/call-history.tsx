import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from '../../lib/router';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import { useDescribeError } from '../../lib/use-describe-error';
import type { PhoneEngine } from './phone-engine';
import { fetchCallHistory, type CallHistoryEntry } from './softphone-api';
import { historyOutcome } from './history-outcome';

/**
 * The dispute form's address for a call (clause 6; the form lives in the disputes feature). Only an
 * outgoing call that lasted can have been charged; the server says so if it was within the included minutes.
 */
function disputePath(call: CallHistoryEntry): string | null {
  if (call.direction !== 'outgoing' || call.status !== 'completed' || !call.durationMs) return null;
  return `/portal/disputes/new?${new URLSearchParams({ subject: 'call', id: call.recordId, peer: call.peer, at: call.startedAt }).toString()}`;
}

function duration(ms: number | null): string {
  if (!ms) return '';
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

const HISTORY_SETTLE_RETRY_MS = 1_500;
const HISTORY_SETTLE_RETRIES = 10;

/** Recent calls of the subscriber's numbers; missed ones stand out, and any row calls back. */
export function CallHistory({
  version,
  engine,
  contactNames,
  onAddContact,
}: {
  version: number;
  engine: PhoneEngine;
  /** Number → the subscriber's name for it: a contact shows by name. */
  contactNames: ReadonlyMap<string, string>;
  onAddContact: (number: string) => void;
}) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const [calls, setCalls] = useState<CallHistoryEntry[] | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const describe = useDescribeError();
  /** RFC 3261 §21: the reason for the commonest final statuses, the code for the rest. */
  const failureReason = (status: number) =>
    status === 402 || status === 403 || status === 404 || status === 488
      ? t(`phoneUx.failureReason.${status}`)
      : status >= 500
        ? `${t('phoneUx.failureReason.server')} (${status})`
        : t('phoneUx.failureReason.other', { status });
  useEffect(() => {
    let current = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    // The server writes a call's end a moment after the phone saw it (the record is written behind the
    // proxy): while an attempt still reads "ringing", look again shortly, a bounded number of times.
    const load = (attemptsLeft: number) =>
      fetchCallHistory().then(
        (entries) => {
          if (!current) return;
          setCalls(entries);
          setFailure(null);
          if (attemptsLeft > 0 && entries.some((entry) => entry.status === 'ringing')) {
            timer = setTimeout(() => void load(attemptsLeft - 1), HISTORY_SETTLE_RETRY_MS);
          }
        },
        (error: unknown) => current && setFailure(error),
      );
    void load(HISTORY_SETTLE_RETRIES);
    return () => {
      current = false;
      if (timer !== null) clearTimeout(timer);
    };
  }, [version]);
  return (
    <section className="card call-history" aria-labelledby="history-title" data-testid="call-history">
      <h2 id="history-title">{t('softphone.history')}</h2>
      {failure !== null && <p className="muted">{describe(failure)}</p>}
      {calls?.length === 0 && <p className="muted">{t('softphone.noCalls')}</p>}
      <ul className="history-list">
        {calls?.map((call) => {
          const name = contactNames.get(call.peer);
          const dispute = disputePath(call);
          const outcome = historyOutcome(call);
          return (
            <li
              key={`${call.callId}:${call.direction}`}
              className={call.missed ? 'history-missed' : undefined}
              data-testid="history-entry"
              data-missed={call.missed}
              data-status={call.status}
              data-outcome={outcome}
            >
              <button
                type="button"
                className="button-quiet history-call"
                onClick={() => void engine.call(call.peer)}
                aria-label={t('softphone.callBack', { number: name ? `${name} (${call.peer})` : call.peer })}
              >
                <span className="history-peer">
                  {call.direction === 'incoming' ? '↙' : '↗'}{' '}
                  {name ? (
                    <>
                      <span data-testid="history-contact-name">{name}</span> <span className="small muted">{call.peer}</span>
                    </>
                  ) : (
                    call.peer
                  )}
                </span>
                <span className="small muted">
                  {formatDateTime(call.startedAt)}{' '}
                  <span className={`history-outcome history-outcome-${outcome}`} data-testid="history-outcome">
                    {outcome === 'failed' && call.finalStatus !== null
                      ? t('phoneUx.outcome.failedWith', { reason: failureReason(call.finalStatus) })
                      : t(`phoneUx.outcome.${outcome}`)}
                  </span>{' '}
                  {outcome === 'answered' ? duration(call.durationMs) : ''}
                </span>
              </button>
              {!name && (
                <button
                  type="button"
                  className="button-quiet small"
                  data-testid="history-add-contact"
                  aria-label={t('softphone.addToContacts', { number: call.peer })}
                  title={t('softphone.addToContacts', { number: call.peer })}
                  onClick={() => onAddContact(call.peer)}
                >
                  +
                </button>
              )}
              {dispute && (
                <Link
                  to={dispute}
                  className="button-quiet small"
                  data-testid="history-dispute"
                  aria-label={t('disputes.disputeCall')}
                  title={t('disputes.disputeCall')}
                >
                  {t('disputes.disputeCallShort')}
                </Link>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
