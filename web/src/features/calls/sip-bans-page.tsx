import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { ProblemAlert } from '../../components/problem-alert';
import { QueryView } from '../../components/query-view';
import { deleteResource } from '../../lib/api-client';
import { useAction } from '../../lib/use-action';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { ApiResponse, Staff } from '../../types/api';

/** Addresses and usernames this node banned after failed SIP authentications; staff may lift a ban early. */
export function SipBansPage({ staff }: { staff: Staff }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const { state, reload } = useApiQuery<ApiResponse<'/api/console/sip/bans'>>('/api/console/sip/bans');
  const lift = useAction();
  const mayLift = staff.permissions.includes('sip.bans.manage');

  const liftBan = async (kind: string, value: string) => {
    await lift.run(() => deleteResource(`/api/console/sip/bans/${kind}/${encodeURIComponent(value)}`));
    reload();
  };

  return (
    <div className="page">
      <h1>{t('sipBans.title')}</h1>
      <p>{t('sipBans.intro')}</p>
      {lift.error !== null && <ProblemAlert error={lift.error} />}
      <QueryView state={state} onRetry={reload}>
        {({ items }) => (
          <DataTable
            testId="sip-bans-table"
            headings={[t('sipBans.kind'), t('sipBans.value'), t('sipBans.reason'), t('sipBans.since'), t('sipBans.until'), '']}
            emptyMessage={t('sipBans.empty')}
            isEmpty={items.length === 0}
          >
            {items.map((ban) => (
              <tr key={`${ban.kind}:${ban.value}`}>
                <td>{ban.kind === 'source' ? t('sipBans.kindSource') : t('sipBans.kindUsername')}</td>
                <th scope="row">
                  <code>{ban.value}</code>
                </th>
                <td>
                  {t('sipBans.failures', { count: ban.failures, reason: t(`sipBans.reasons.${ban.reason}`, { defaultValue: ban.reason }) })}
                </td>
                <td>{formatDateTime(ban.since)}</td>
                <td>{formatDateTime(ban.until)}</td>
                <td>
                  {mayLift && (
                    <button type="button" disabled={lift.busy} onClick={() => void liftBan(ban.kind, ban.value)}>
                      {t('sipBans.lift')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryView>
    </div>
  );
}
