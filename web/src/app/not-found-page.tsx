import { useTranslation } from 'react-i18next';
import { PublicLayout } from '../components/public-layout';
import { Link } from '../lib/router';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <PublicLayout>
      <section className="card">
        <h1>{t('app.notFound')}</h1>
        <p>{t('app.notFoundBody')}</p>
        <Link to="/" className="button">
          {t('app.backHome')}
        </Link>
      </section>
    </PublicLayout>
  );
}
