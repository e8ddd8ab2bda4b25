import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryView } from '../../components/query-view';
import { useApiQuery } from '../../lib/use-api-query';
import type { ApiResponse } from '../../types/api';

type Changes = ApiResponse<'/api/portal/agreement-versions/{version}/changes'>;

/**
 * The full text of a proposed agreement version and what it changes against the version in force
 * (clause 15), so the subscriber reads before objecting or accepting. The diff comes from the server
 * (one word segmenter for every reader); insertions and deletions are `<ins>`/`<del>`, which screen
 * readers announce and which stay marked when printed without colour.
 */
export function TermsChangeReader({ version }: { version: number }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <div className="stack">
      <div>
        <button type="button" className="button" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="portal-terms-read">
          {open ? t('termsReader.hide') : t('termsReader.read')}
        </button>
      </div>
      {open && <ChangesView version={version} />}
    </div>
  );
}

function ChangesView({ version }: { version: number }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'zh-CN';
  const { state, reload } = useApiQuery<Changes>(`/api/portal/agreement-versions/${version}/changes?lang=${language}`);
  return (
    <QueryView state={state} onRetry={reload}>
      {(changes) => (
        <div className="stack" data-testid="portal-terms-changes-view">
          {changes.inForce && (
            <>
              <h3>{t('termsReader.diffTitle', { version: changes.inForce.version })}</h3>
              <p className="small muted">
                {t('termsReader.legend')} <ins className="terms-ins">{t('termsReader.inserted')}</ins>{' '}
                <del className="terms-del">{t('termsReader.deleted')}</del>
              </p>
              {changes.diff.every((segment) => segment.change === 'same') ? (
                <p className="muted">{t('termsReader.noChanges')}</p>
              ) : (
                <pre className="agreement-text terms-diff" data-testid="portal-terms-diff" tabIndex={0}>
                  {changes.diff.map((segment, index) =>
                    segment.change === 'inserted' ? (
                      <ins key={index} className="terms-ins">
                        {segment.text}
                      </ins>
                    ) : segment.change === 'deleted' ? (
                      <del key={index} className="terms-del">
                        {segment.text}
                      </del>
                    ) : (
                      <span key={index}>{segment.text}</span>
                    ),
                  )}
                </pre>
              )}
            </>
          )}
          <details>
            <summary>{t('termsReader.fullTitle', { version: changes.version })}</summary>
            <pre className="agreement-text" data-testid="portal-terms-full-text" tabIndex={0}>
              {changes.text}
            </pre>
          </details>
        </div>
      )}
    </QueryView>
  );
}
