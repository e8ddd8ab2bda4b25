import { FormProblem } from '../../components/form-errors';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../components/problem-alert';
import { PublicLayout } from '../../components/public-layout';
import { QueryView } from '../../components/query-view';
import { TextField } from '../../components/text-field';
import type { Language } from '../../i18n/i18n';
import { postJson } from '../../lib/api-client';
import { Link } from '../../lib/router';
import { useApiQuery } from '../../lib/use-api-query';
import { priceListPath, type PriceList } from '../../lib/price-list-api';
import { useAction } from '../../lib/use-action';

const idTypes = ['prc_resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'hmt_residence_permit'] as const;

type Kind = 'individual' | 'organisation';

/**
 * The public application (agreement clause 1) with the order (clause 2): the catalogue of the day
 * offers the plans, credit limits and terminals, so the form can never offer what is not sold.
 */
export function ApplyPage() {
  const { t, i18n } = useTranslation();
  const { state, reload } = useApiQuery<PriceList>(priceListPath(i18n.language as Language));
  const [submitted, setSubmitted] = useState(false);

  return (
    <PublicLayout>
      <section className="card apply-card" aria-labelledby="apply-title">
        <h1 id="apply-title">{t('apply.title')}</h1>
        {submitted ? (
          <div className="stack" data-testid="apply-done">
            <h2>{t('apply.done')}</h2>
            <p>{t('apply.doneBody')}</p>
            <p>
              <Link to="/portal/login" className="button button-primary">
                {t('apply.toPortal')}
              </Link>
            </p>
          </div>
        ) : (
          <>
            <p className="muted">{t('apply.intro')}</p>
            <QueryView state={state} onRetry={reload}>
              {(priceList) => <ApplicationForm priceList={priceList} onDone={() => setSubmitted(true)} />}
            </QueryView>
          </>
        )}
      </section>
    </PublicLayout>
  );
}

function ApplicationForm({ priceList, onDone }: { priceList: PriceList; onDone: () => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<Kind>('individual');
  const [fields, setFields] = useState<Record<string, string>>({ idType: 'prc_resident_id' });
  const defaultLimit = priceList.creditLimits.find((option) => option.isDefault) ?? priceList.creditLimits[0];
  // "Apply for this plan" on the price list arrives with ?plan=<code>; a plan no longer sold is not chosen.
  const [planCode, setPlanCode] = useState(() => {
    const asked = new URLSearchParams(window.location.search).get('plan');
    return priceList.plans.find((plan) => plan.code === asked)?.code ?? priceList.plans[0]?.code ?? '';
  });
  const [creditLimitFen, setCreditLimitFen] = useState(defaultLimit?.amount.fen ?? 0);
  const [terminalCode, setTerminalCode] = useState('');
  const submit = useAction();

  useEffect(() => {
    if (!planCode && priceList.plans[0]) setPlanCode(priceList.plans[0].code);
  }, [planCode, priceList.plans]);

  const field = (name: string, options: { type?: string; hint?: string; required?: boolean; autoComplete?: string } = {}) => (
    <TextField
      id={`apply-${name}`}
      label={t(`apply.${name}` as 'apply.fullName')}
      name={name}
      type={options.type ?? 'text'}
      required={options.required ?? true}
      autoComplete={options.autoComplete ?? 'off'}
      hint={options.hint}
      value={fields[name] ?? ''}
      onValueChange={(value) => setFields((current) => ({ ...current, [name]: value }))}
    />
  );

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const identity =
      kind === 'individual'
        ? {
            fullName: fields.fullName ?? '',
            birthDate: fields.birthDate ?? '',
            address: fields.address ?? '',
            idType: fields.idType ?? 'prc_resident_id',
            idNumber: fields.idNumber ?? '',
            ...(fields.employer ? { employer: fields.employer } : {}),
          }
        : {
            legalName: fields.legalName ?? '',
            creditCode: fields.creditCode ?? '',
            address: fields.address ?? '',
            contactName: fields.contactName ?? '',
          };
    await submit.run(async () => {
      await postJson('/api/subscribers/applications', {
        kind,
        ...identity,
        contactPhone: fields.contactPhone ?? '',
        planCode,
        creditLimitFen,
        ...(terminalCode ? { terminalCode, deliveryAddress: fields.deliveryAddress ?? '' } : {}),
        password: fields.password ?? '',
      });
      onDone();
    });
  }

  return (
    <FormProblem error={submit.error}>
      <form className="form" onSubmit={handleSubmit} data-testid="apply-form">
        <fieldset className="checkbox-group">
          <legend>{t('apply.kind')}</legend>
          {(['individual', 'organisation'] as const).map((option) => (
            <label key={option} className="checkbox">
              <input
                type="radio"
                name="kind"
                value={option}
                checked={kind === option}
                onChange={() => setKind(option)}
                data-testid={`apply-kind-${option}`}
              />
              {t(`apply.${option}`)}
            </label>
          ))}
        </fieldset>
        {kind === 'individual' ? (
          <>
            {field('fullName', { autoComplete: 'name' })}
            {field('birthDate', { hint: t('apply.birthDateHint'), autoComplete: 'bday' })}
            <div className="field">
              <label htmlFor="apply-idType">{t('apply.idType')}</label>
              <select
                id="apply-idType"
                data-testid="apply-idType"
                value={fields.idType}
                onChange={(event) => setFields((current) => ({ ...current, idType: event.target.value }))}
              >
                {idTypes.map((type) => (
                  <option key={type} value={type}>
                    {t(`apply.idTypes.${type}`)}
                  </option>
                ))}
              </select>
            </div>
            {field('idNumber')}
            {field('address', { autoComplete: 'street-address' })}
            {field('employer', { required: false, autoComplete: 'organization' })}
          </>
        ) : (
          <>
            {field('legalName', { autoComplete: 'organization' })}
            {field('creditCode')}
            {field('address', { autoComplete: 'street-address' })}
            {field('contactName', { autoComplete: 'name' })}
          </>
        )}
        {field('contactPhone', { type: 'tel', hint: t('apply.contactPhoneHint'), autoComplete: 'tel' })}
        <div className="field">
          <label htmlFor="apply-plan">{t('apply.plan')}</label>
          <select id="apply-plan" data-testid="apply-plan" value={planCode} onChange={(event) => setPlanCode(event.target.value)}>
            {priceList.plans.map((plan) => (
              <option key={plan.code} value={plan.code}>
                {plan.name} — {plan.monthlyRent.formatted}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="apply-creditLimit">{t('apply.creditLimit')}</label>
          <select
            id="apply-creditLimit"
            data-testid="apply-creditLimit"
            value={creditLimitFen}
            onChange={(event) => setCreditLimitFen(Number(event.target.value))}
          >
            {priceList.creditLimits.map((option) => (
              <option key={option.amount.fen} value={option.amount.fen}>
                {option.amount.formatted}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="apply-terminal">{t('apply.terminal')}</label>
          <select
            id="apply-terminal"
            data-testid="apply-terminal"
            value={terminalCode}
            onChange={(event) => setTerminalCode(event.target.value)}
          >
            <option value="">{t('apply.noTerminal')}</option>
            {priceList.terminals.map((terminal) => (
              <option key={terminal.code} value={terminal.code}>
                {terminal.name} — {terminal.price.formatted}
              </option>
            ))}
          </select>
        </div>
        {terminalCode && field('deliveryAddress', { autoComplete: 'shipping street-address' })}
        {field('password', { type: 'password', hint: t('apply.passwordHint'), autoComplete: 'new-password' })}
        {submit.error !== null && <ProblemAlert error={submit.error} testId="apply-error" />}
        <button type="submit" className="button button-primary" data-testid="apply-submit" disabled={submit.busy}>
          {submit.busy ? t('apply.submitting') : t('apply.submit')}
        </button>
      </form>
    </FormProblem>
  );
}
