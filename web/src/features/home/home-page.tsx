import { useTranslation } from 'react-i18next';
import { PublicLayout } from '../../components/public-layout';
import { Link } from '../../lib/router';

export function HomePage() {
  const { t } = useTranslation();
  return (
    <PublicLayout>
      <section className="hero">
        <h1>{t('app.name')}</h1>
        <p className="hero-tagline">{t('home.tagline')}</p>
        <p>{t('home.description')}</p>
        <div className="toolbar">
          <Link to="/prices" className="button button-primary" data-testid="prices-link">
            {t('home.pricesLink')}
          </Link>
          <Link to="/console" className="button" data-testid="console-link">
            {t('home.consoleLink')}
          </Link>
        </div>
      </section>
    </PublicLayout>
  );
}
