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
          <Link to="/prices" className="button" data-testid="prices-link">
            {t('home.pricesLink')}
          </Link>
          <Link to="/apply" className="button button-primary" data-testid="apply-link">
            {t('publicNav.homeApply')}
          </Link>
          <Link to="/portal/login" className="button" data-testid="portal-link">
            {t('publicNav.homePortal')}
          </Link>
          <Link to="/phone" className="button" data-testid="phone-link">
            {t('publicNav.homePhone')}
          </Link>
          <Link to="/console" className="button button-quiet" data-testid="console-link">
            {t('home.consoleLink')}
          </Link>
        </div>
      </section>
    </PublicLayout>
  );
}
