import { useTranslation } from 'react-i18next';
import { PublicLayout } from '../../components/public-layout';
import { QueryView } from '../../components/query-view';
import { isLanguage, type Language } from '../../i18n/i18n';
import { useApiQuery } from '../../lib/use-api-query';
import { priceListPath, type PriceList } from '../../lib/price-list-api';
import { PriceListContent } from './price-list-view';
import './price-list.css';

/**
 * The published price list (agreement clause 2). Every amount and the billing words come from the
 * server as printed there, by the same functions billing uses; this page only lays them out.
 */
export function PriceListPage() {
  const { t, i18n } = useTranslation();
  const current = i18n.resolvedLanguage ?? i18n.language;
  const language: Language = isLanguage(current) ? current : 'zh-CN';
  const { state, reload } = useApiQuery<PriceList>(priceListPath(language));

  return (
    <PublicLayout>
      <div className="price-list" data-testid="price-list">
        <h1>{t('priceList.title')}</h1>
        <QueryView state={state} onRetry={reload}>
          {(list) => <PriceListContent list={list} language={language} />}
        </QueryView>
      </div>
    </PublicLayout>
  );
}
