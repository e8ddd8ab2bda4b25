import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { ProblemAlert } from '../../components/problem-alert';
import { QueryView } from '../../components/query-view';
import { postJson, putJson } from '../../lib/api-client';
import { useAction } from '../../lib/use-action';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { ApiBody, ApiResponse, Staff } from '../../types/api';

type Kind = ApiBody<'/api/console/releases', 'post'>['kind'];
const kinds: readonly Kind[] = ['terminal', 'web', 'linphone', 'baresip'];

/** Release channels per client kind with staged rollout, and the minimum versions the registrar enforces (clause 8). */
export function ReleasesPage(_props: { staff: Staff }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const { state, reload } = useApiQuery<ApiResponse<'/api/console/releases'>>('/api/console/releases');
  const action = useAction();
  const [kind, setKind] = useState<Kind>('terminal');
  const [version, setVersion] = useState('');
  const [percent, setPercent] = useState('10');
  const [artifactUrl, setArtifactUrl] = useState('');
  const [notes, setNotes] = useState('');
  const [minimums, setMinimums] = useState<Record<string, string>>({});

  const publish = async (event: FormEvent) => {
    event.preventDefault();
    await action.run(() =>
      postJson('/api/console/releases', {
        kind,
        version: version.trim(),
        rolloutPercent: Number(percent),
        artifactUrl: artifactUrl.trim() || null,
        notes,
      }),
    );
    reload();
  };
  const change = async (id: string, body: ApiBody<'/api/console/releases/{id}/change', 'post'>) => {
    await action.run(() => postJson(`/api/console/releases/${id}/change`, body));
    reload();
  };
  const setRollout = async (id: string) => {
    const value = window.prompt(t('releases.rollout'), '50');
    if (value === null) return;
    await change(id, { action: 'set-rollout', rolloutPercent: Number(value) });
  };
  const setMinimum = async (forKind: Kind, value: string | null) => {
    await action.run(() => putJson(`/api/console/releases/minimum-versions/${forKind}`, { version: value }));
    reload();
  };

  return (
    <div className="page">
      <h1>{t('releases.title')}</h1>
      <p>{t('releases.intro')}</p>
      {action.error !== null && <ProblemAlert error={action.error} />}
      <QueryView state={state} onRetry={reload}>
        {({ releases, minimums: current }) => (
          <>
            <h2>{t('releases.minimumsHeading')}</h2>
            <DataTable
              testId="minimum-versions-table"
              headings={[t('releases.kind'), t('releases.minimum'), '']}
              emptyMessage=""
              isEmpty={false}
            >
              {kinds.map((k) => {
                const minimum = current.find((m) => m.kind === k);
                return (
                  <tr key={k}>
                    <th scope="row">{t(`deviceSoftware.kinds.${k}`)}</th>
                    <td>{minimum?.version ?? t('releases.none')}</td>
                    <td>
                      <input
                        aria-label={`${t('releases.minimum')} ${k}`}
                        value={minimums[k] ?? ''}
                        onChange={(event) => setMinimums({ ...minimums, [k]: event.target.value })}
                        placeholder="5.2"
                        size={8}
                      />{' '}
                      <button
                        type="button"
                        disabled={action.busy || !(minimums[k] ?? '').trim()}
                        onClick={() => void setMinimum(k, minimums[k]!.trim())}
                      >
                        {t('releases.setMinimum')}
                      </button>{' '}
                      {minimum && (
                        <button type="button" disabled={action.busy} onClick={() => void setMinimum(k, null)}>
                          {t('releases.liftMinimum')}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </DataTable>

            <h2>{t('releases.releasesHeading')}</h2>
            <form onSubmit={(event) => void publish(event)} aria-label={t('releases.publish')}>
              <label>
                {t('releases.kind')}
                <select value={kind} onChange={(event) => setKind(event.target.value as Kind)}>
                  {kinds.map((k) => (
                    <option key={k} value={k}>
                      {t(`deviceSoftware.kinds.${k}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t('releases.version')}
                <input value={version} onChange={(event) => setVersion(event.target.value)} required placeholder="1.4.2" />
              </label>
              <label>
                {t('releases.rollout')} (%)
                <input type="number" min={0} max={100} value={percent} onChange={(event) => setPercent(event.target.value)} required />
              </label>
              <label>
                {t('releases.artifactUrl')}
                <input value={artifactUrl} onChange={(event) => setArtifactUrl(event.target.value)} type="url" />
              </label>
              <label>
                {t('releases.notes')}
                <input value={notes} onChange={(event) => setNotes(event.target.value)} />
              </label>
              <button type="submit" disabled={action.busy}>
                {t('releases.publish')}
              </button>
            </form>
            <DataTable
              testId="releases-table"
              headings={[
                t('releases.kind'),
                t('releases.version'),
                t('releases.rollout'),
                t('releases.state'),
                t('releases.notes'),
                t('releases.createdAt'),
                '',
              ]}
              emptyMessage={t('releases.noReleases')}
              isEmpty={releases.length === 0}
            >
              {releases.map((release) => (
                <tr key={release.id}>
                  <td>{t(`deviceSoftware.kinds.${release.kind}`)}</td>
                  <th scope="row">{release.version}</th>
                  <td>{release.rolloutPercent} %</td>
                  <td>{t(`releases.states.${release.state}`)}</td>
                  <td>{release.notes}</td>
                  <td>{formatDateTime(release.createdAt)}</td>
                  <td>
                    {release.state !== 'rolled-back' && (
                      <>
                        <button type="button" disabled={action.busy} onClick={() => void setRollout(release.id)}>
                          {t('releases.setRollout')}
                        </button>{' '}
                        {release.state === 'rolling' ? (
                          <button type="button" disabled={action.busy} onClick={() => void change(release.id, { action: 'pause' })}>
                            {t('releases.pause')}
                          </button>
                        ) : (
                          <button type="button" disabled={action.busy} onClick={() => void change(release.id, { action: 'resume' })}>
                            {t('releases.resume')}
                          </button>
                        )}{' '}
                        <button type="button" disabled={action.busy} onClick={() => void change(release.id, { action: 'roll-back' })}>
                          {t('releases.rollBack')}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          </>
        )}
      </QueryView>
    </div>
  );
}
