import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { ProblemAlert } from '../../components/problem-alert';
import { QueryView } from '../../components/query-view';
import { postJson } from '../../lib/api-client';
import { useAction } from '../../lib/use-action';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { ApiBody, ApiResponse, Staff } from '../../types/api';

type Issued = ApiResponse<'/api/console/provisioning/terminals', 'post'>;

/**
 * The technician's page (clauses 4 and 8): what version every device runs, and remote provisioning
 * of terminals from the inventory, with the fetch secret shown once.
 */
export function DeviceSoftwarePage(_props: { staff: Staff }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const versions = useApiQuery<ApiResponse<'/api/console/device-versions'>>('/api/console/device-versions');
  const terminals = useApiQuery<ApiResponse<'/api/console/provisioning/terminals'>>('/api/console/provisioning/terminals');
  const action = useAction();
  const [unitId, setUnitId] = useState('');
  const [number, setNumber] = useState('');
  const [issued, setIssued] = useState<Issued | null>(null);

  const show = (result: Issued | undefined) => {
    if (result) setIssued(result);
    terminals.reload();
  };
  const provision = async (event: FormEvent) => {
    event.preventDefault();
    const body: ApiBody<'/api/console/provisioning/terminals', 'post'> = {
      unitId: unitId.trim(),
      ...(number.trim() ? { number: number.trim() } : {}),
    };
    show(await action.run(() => postJson<Issued>('/api/console/provisioning/terminals', body)));
  };
  const rotate = async (id: string) =>
    show(await action.run(() => postJson<Issued>(`/api/console/provisioning/terminals/${encodeURIComponent(id)}/secret`, {})));
  const unassign = async (id: string) => {
    const reason = window.prompt(t('deviceSoftware.unassignReason'));
    if (!reason) return;
    await action.run(() => postJson(`/api/console/provisioning/terminals/${encodeURIComponent(id)}/unassign`, { reason }));
    terminals.reload();
  };
  const origin = window.location.origin;

  return (
    <div className="page">
      <h1>{t('deviceSoftware.title')}</h1>
      <p>{t('deviceSoftware.intro')}</p>

      <h2>{t('deviceSoftware.versionsHeading')}</h2>
      <QueryView state={versions.state} onRetry={versions.reload}>
        {({ devices }) => (
          <DataTable
            testId="device-versions-table"
            headings={[
              t('deviceSoftware.device'),
              t('deviceSoftware.number'),
              t('deviceSoftware.kind'),
              t('deviceSoftware.version'),
              t('deviceSoftware.userAgent'),
              t('deviceSoftware.source'),
              t('deviceSoftware.seenAt'),
            ]}
            emptyMessage={t('deviceSoftware.noVersions')}
            isEmpty={devices.length === 0}
          >
            {devices.map((device) => (
              <tr key={device.deviceKey}>
                <th scope="row">
                  <code>{device.unitId ?? device.deviceKey}</code>
                </th>
                <td>{device.number ?? '—'}</td>
                <td>{device.kind ? t(`deviceSoftware.kinds.${device.kind}`) : t('deviceSoftware.unknownKind')}</td>
                <td>{device.version ?? '—'}</td>
                <td>
                  <code>{device.userAgent ?? '—'}</code>
                </td>
                <td>{t(`deviceSoftware.sources.${device.source}`)}</td>
                <td>{formatDateTime(device.seenAt)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryView>

      <h2>{t('deviceSoftware.provisioningHeading')}</h2>
      {action.error !== null && <ProblemAlert error={action.error} />}
      {issued && (
        <div className="notice" role="status" data-testid="provisioning-secret">
          <p>{t('deviceSoftware.secretOnce')}</p>
          <p>
            <code>{issued.secret}</code>
          </p>
          <p>
            {t('deviceSoftware.linphoneUrl')}: <code>{origin + issued.paths.linphoneXml}</code>
          </p>
          <p>
            {t('deviceSoftware.jsonUrl')}: <code>{origin + issued.paths.json}</code>
          </p>
        </div>
      )}
      <form onSubmit={(event) => void provision(event)} aria-label={t('deviceSoftware.provisionUnit')}>
        <label>
          {t('deviceSoftware.unitId')}
          <input value={unitId} onChange={(event) => setUnitId(event.target.value)} required data-testid="provision-unit-id" />
        </label>
        <label>
          {t('deviceSoftware.numberOptional')}
          <input value={number} onChange={(event) => setNumber(event.target.value)} inputMode="numeric" />
        </label>
        <button type="submit" disabled={action.busy}>
          {t('deviceSoftware.provision')}
        </button>
      </form>
      <QueryView state={terminals.state} onRetry={terminals.reload}>
        {({ terminals: list }) => (
          <DataTable
            testId="provisioned-terminals-table"
            headings={[
              t('deviceSoftware.serial'),
              t('deviceSoftware.mac'),
              t('deviceSoftware.number'),
              t('deviceSoftware.sipUsername'),
              t('deviceSoftware.lastFetch'),
              '',
            ]}
            emptyMessage={t('deviceSoftware.noTerminals')}
            isEmpty={list.length === 0}
          >
            {list.map((terminal) => (
              <tr key={terminal.id}>
                <th scope="row">{terminal.serial ?? terminal.unitId}</th>
                <td>
                  <code>{terminal.mac}</code>
                </td>
                <td>{terminal.number}</td>
                <td>
                  <code>{terminal.sipUsername}</code>
                </td>
                <td>{terminal.lastFetchAt ? formatDateTime(terminal.lastFetchAt) : t('deviceSoftware.never')}</td>
                <td>
                  {terminal.unassignedAt ? (
                    t('deviceSoftware.unassigned')
                  ) : (
                    <>
                      <button type="button" disabled={action.busy} onClick={() => void rotate(terminal.unitId)}>
                        {t('deviceSoftware.rotateSecret')}
                      </button>{' '}
                      <button type="button" disabled={action.busy} onClick={() => void unassign(terminal.unitId)}>
                        {t('deviceSoftware.unassign')}
                      </button>
                    </>
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
