import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { FormProblem } from '../../components/form-errors';
import { ProblemAlert } from '../../components/problem-alert';
import { QueryView } from '../../components/query-view';
import { TextField } from '../../components/text-field';
import { isLanguage, type Language } from '../../i18n/i18n';
import { ApiProblemError, deleteResource, postJson } from '../../lib/api-client';
import { fenToYuanText, formatFen, parseYuanToFen, parseYuanToPrecise, preciseToYuanText } from '../../lib/money';
import type { PriceList } from '../../lib/price-list-api';
import { useAction, type Action } from '../../lib/use-action';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { ApiResponse, Staff } from '../../types/api';
import { PriceListContent } from './price-list-view';

type Catalogue = ApiResponse<'/api/console/catalog'>;
type PlanVersion = Catalogue['plans'][number];
type Status = PlanVersion['status'];

const cataloguePath = '/api/console/catalog';
const previewPath = (date: string, language: Language) =>
  `/api/console/catalog/price-list?lang=${encodeURIComponent(language)}&date=${encodeURIComponent(date)}`;

/** `2026-03-31` plus days, on the calendar alone (no time zone: the server applies the operator's). */
function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

function firstOfNextMonth(date: string): string {
  const [year, month] = date.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
}

/** Amounts are checked here before sending, and blamed next to their field like the server's errors. */
function fieldProblem(fields: string[]): ApiProblemError {
  return new ApiProblemError({
    type: '/api/problems/invalid-request',
    title: 'The request is not valid',
    status: 400,
    code: 'invalid-request',
    errors: fields.map((field) => ({ pointer: `/body/${field}`, field, code: 'pattern', message: 'not an amount in yuan' })),
  });
}

/**
 * Catalogue editing for administrators (`catalog.manage`, issue #14). Every change is dated: it takes
 * effect at 00:00 of the date chosen in the operator's zone. The server refuses a past date, a change
 * to a version that has begun (409) and amounts out of range; this page converts yuan to fen exactly
 * and previews the public price list for any date before anything is published.
 */
export function CataloguePage(_props: { staff: Staff }) {
  const { t } = useTranslation();
  const { state, reload } = useApiQuery<Catalogue>(cataloguePath);
  const withdrawal = useAction();
  const withdraw = async (path: string) => {
    await withdrawal.run(() => deleteResource(path));
    reload();
  };

  return (
    <div className="page" data-testid="catalogue-page">
      <h1>{t('catalogue.title')}</h1>
      <QueryView state={state} onRetry={reload}>
        {(catalogue) => (
          <>
            <p>{t('catalogue.intro', { timeZone: catalogue.timeZone })}</p>
            <p className="muted">{t('catalogue.today', { date: catalogue.today })}</p>
            {withdrawal.error !== null && <ProblemAlert error={withdrawal.error} testId="catalogue-withdraw-error" />}
            <PlansSection catalogue={catalogue} withdrawal={withdrawal} onWithdraw={withdraw} onSaved={reload} />
            <CreditLimitsSection catalogue={catalogue} withdrawal={withdrawal} onWithdraw={withdraw} onSaved={reload} />
            <TerminalsSection catalogue={catalogue} withdrawal={withdrawal} onWithdraw={withdraw} onSaved={reload} />
            <PreviewSection catalogue={catalogue} />
          </>
        )}
      </QueryView>
    </div>
  );
}

interface SectionProps {
  catalogue: Catalogue;
  withdrawal: Action;
  onWithdraw: (path: string) => Promise<void>;
  onSaved: () => void;
}

function StatusBadge({ status }: { status: Status }) {
  const { t } = useTranslation();
  const tone = status === 'scheduled' ? 'badge-warning' : status === 'in-effect' ? 'badge-success' : '';
  return (
    <span className={`badge ${tone}`} data-testid="catalogue-status">
      {t(`catalogue.status.${status}`)}
    </span>
  );
}

function WithdrawCell({ status, busy, onClick, testId }: { status: Status; busy: boolean; onClick: () => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <td data-csv-skip>
      {status === 'scheduled' && (
        <button type="button" className="button button-small" disabled={busy} onClick={onClick} data-testid={testId}>
          {t('catalogue.withdraw')}
        </button>
      )}
    </td>
  );
}

function PlansSection({ catalogue, withdrawal, onWithdraw, onSaved }: SectionProps) {
  const { t, i18n } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const zh = i18n.language === 'zh-CN';
  return (
    <section className="stack">
      <h2>{t('catalogue.plans.heading')}</h2>
      <DataTable
        testId="catalogue-plans"
        headings={[
          t('catalogue.plans.code'),
          t('catalogue.plans.name'),
          t('catalogue.plans.rent'),
          t('catalogue.plans.rate'),
          t('catalogue.plans.increment'),
          t('catalogue.plans.included'),
          t('catalogue.validFrom'),
          t('catalogue.validTo'),
          '',
          t('catalogue.actions'),
        ]}
        emptyMessage={t('catalogue.plans.empty')}
        isEmpty={catalogue.plans.length === 0}
      >
        {catalogue.plans.map((plan) => (
          <tr key={plan.id} data-testid={`plan-version-${plan.code}`}>
            <td>{plan.code}</td>
            <th scope="row">{zh ? plan.nameZh : plan.nameEn}</th>
            <td className="numeric">{formatFen(plan.monthlyRentFen)}</td>
            <td className="numeric">¥{preciseToYuanText(plan.perMinuteRatePrecise)}</td>
            <td className="numeric">{plan.billingIncrementSeconds}</td>
            <td className="numeric">{plan.includedMinutes}</td>
            <td>{formatDateTime(plan.validFrom)}</td>
            <td>{plan.validTo ? formatDateTime(plan.validTo) : t('catalogue.noEnd')}</td>
            <td>
              <StatusBadge status={plan.status} />
            </td>
            <WithdrawCell
              status={plan.status}
              busy={withdrawal.busy}
              testId={`withdraw-plan-${plan.code}`}
              onClick={() => void onWithdraw(`/api/console/catalog/plan-versions/${plan.id}`)}
            />
          </tr>
        ))}
      </DataTable>
      <PlanVersionForm catalogue={catalogue} onSaved={onSaved} />
    </section>
  );
}

const newPlan = '';

function PlanVersionForm({ catalogue, onSaved }: { catalogue: Catalogue; onSaved: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const codes = [...new Set(catalogue.plans.map((plan) => plan.code))];
  const latest = (code: string) => catalogue.plans.filter((plan) => plan.code === code).at(-1);
  const [code, setCode] = useState(codes[0] ?? newPlan);
  const [newCode, setNewCode] = useState('');
  const [nameZh, setNameZh] = useState('');
  const [nameEn, setNameEn] = useState('');
  const [rent, setRent] = useState(() => (codes[0] ? fenToYuanText(latest(codes[0])!.monthlyRentFen) : ''));
  const [rate, setRate] = useState(() => (codes[0] ? preciseToYuanText(latest(codes[0])!.perMinuteRatePrecise) : ''));
  const [increment, setIncrement] = useState(() => String(codes[0] ? latest(codes[0])!.billingIncrementSeconds : 6));
  const [included, setIncluded] = useState(() => String(codes[0] ? latest(codes[0])!.includedMinutes : 0));
  const [date, setDate] = useState(firstOfNextMonth(catalogue.today));
  const [saved, setSaved] = useState(false);

  const choose = (next: string) => {
    setCode(next);
    const version = latest(next);
    if (version) {
      setRent(fenToYuanText(version.monthlyRentFen));
      setRate(preciseToYuanText(version.perMinuteRatePrecise));
      setIncrement(String(version.billingIncrementSeconds));
      setIncluded(String(version.includedMinutes));
    }
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const monthlyRentFen = parseYuanToFen(rent, { allowZero: true });
    const perMinuteRatePrecise = parseYuanToPrecise(rate);
    const bad = [
      ...(monthlyRentFen === null ? ['monthlyRentFen'] : []),
      ...(perMinuteRatePrecise === null ? ['perMinuteRatePrecise'] : []),
    ];
    if (bad.length > 0) return action.setError(fieldProblem(bad));
    const prices = {
      monthlyRentFen: monthlyRentFen!,
      perMinuteRatePrecise: perMinuteRatePrecise!,
      billingIncrementSeconds: Number(increment),
      includedMinutes: Number(included),
    };
    const done = await action.run(() =>
      code === newPlan
        ? postJson('/api/console/catalog/plans', { code: newCode.trim(), nameZh, nameEn, ...prices, validFrom: date })
        : postJson(`/api/console/catalog/plans/${encodeURIComponent(code)}/versions`, { ...prices, effectiveFrom: date }),
    );
    if (done) {
      setSaved(true);
      onSaved();
    }
  }

  return (
    <FormProblem error={action.error}>
      <form className="form card" onSubmit={(event) => void submit(event)} data-testid="plan-version-form">
        <h3>{t('catalogue.plans.formHeading')}</h3>
        <label>
          {t('catalogue.plans.plan')}
          <select value={code} onChange={(event) => choose(event.target.value)} data-testid="plan-version-code">
            {codes.map((existing) => (
              <option key={existing} value={existing}>
                {existing}
              </option>
            ))}
            <option value={newPlan}>{t('catalogue.plans.newPlan')}</option>
          </select>
        </label>
        {code === newPlan && (
          <>
            <TextField
              id="plan-new-code"
              name="code"
              label={t('catalogue.plans.code')}
              value={newCode}
              onValueChange={setNewCode}
              required
              maxLength={32}
            />
            <TextField
              id="plan-new-name-zh"
              name="nameZh"
              label={t('catalogue.plans.nameZh')}
              value={nameZh}
              onValueChange={setNameZh}
              required
              maxLength={100}
            />
            <TextField
              id="plan-new-name-en"
              name="nameEn"
              label={t('catalogue.plans.nameEn')}
              value={nameEn}
              onValueChange={setNameEn}
              required
              maxLength={100}
            />
          </>
        )}
        <TextField
          id="plan-version-rent"
          name="monthlyRentFen"
          label={t('catalogue.plans.rent')}
          hint={t('catalogue.plans.rentHint')}
          value={rent}
          onValueChange={setRent}
          inputMode="decimal"
          required
          maxLength={12}
        />
        <TextField
          id="plan-version-rate"
          name="perMinuteRatePrecise"
          label={t('catalogue.plans.rate')}
          hint={t('catalogue.plans.rateHint')}
          value={rate}
          onValueChange={setRate}
          inputMode="decimal"
          required
          maxLength={13}
        />
        <TextField
          id="plan-version-increment"
          name="billingIncrementSeconds"
          label={t('catalogue.plans.increment')}
          value={increment}
          onValueChange={setIncrement}
          type="number"
          min={1}
          max={3600}
          required
        />
        <TextField
          id="plan-version-included"
          name="includedMinutes"
          label={t('catalogue.plans.included')}
          value={included}
          onValueChange={setIncluded}
          type="number"
          min={0}
          max={1_000_000}
          required
        />
        <EffectiveDateField
          id="plan-version-date"
          name={code === newPlan ? 'validFrom' : 'effectiveFrom'}
          today={catalogue.today}
          value={date}
          onValueChange={setDate}
        />
        {action.error !== null && <ProblemAlert error={action.error} testId="plan-version-error" />}
        {saved && <p data-testid="plan-version-saved">{t('catalogue.saved')}</p>}
        <button type="submit" className="button button-primary" disabled={action.busy} data-testid="plan-version-submit">
          {t('catalogue.plans.submit')}
        </button>
      </form>
    </FormProblem>
  );
}

function CreditLimitsSection({ catalogue, withdrawal, onWithdraw, onSaved }: SectionProps) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const action = useAction();
  const [amount, setAmount] = useState('');
  const [date, setDate] = useState(firstOfNextMonth(catalogue.today));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const amountFen = parseYuanToFen(amount);
    if (amountFen === null) return action.setError(fieldProblem(['amountFen']));
    const done = await action.run(() => postJson('/api/console/catalog/credit-limits', { amountFen, validFrom: date }));
    if (done) {
      setAmount('');
      onSaved();
    }
  }

  return (
    <section className="stack">
      <h2>{t('catalogue.creditLimits.heading')}</h2>
      <DataTable
        testId="catalogue-credit-limits"
        headings={[t('catalogue.creditLimits.amount'), t('catalogue.validFrom'), t('catalogue.validTo'), '', t('catalogue.actions')]}
        emptyMessage={t('catalogue.creditLimits.empty')}
        isEmpty={catalogue.creditLimits.length === 0}
      >
        {catalogue.creditLimits.map((option) => (
          <tr key={option.amountFen}>
            <th scope="row" className="numeric">
              {formatFen(option.amountFen)} {option.isDefault && <span className="badge">{t('catalogue.creditLimits.isDefault')}</span>}
            </th>
            <td>{formatDateTime(option.validFrom)}</td>
            <td>{option.validTo ? formatDateTime(option.validTo) : t('catalogue.noEnd')}</td>
            <td>
              <StatusBadge status={option.status} />
            </td>
            <WithdrawCell
              status={option.status}
              busy={withdrawal.busy}
              testId={`withdraw-credit-limit-${option.amountFen}`}
              onClick={() => void onWithdraw(`/api/console/catalog/credit-limits/${option.amountFen}`)}
            />
          </tr>
        ))}
      </DataTable>
      <FormProblem error={action.error}>
        <form className="form card" onSubmit={(event) => void submit(event)} data-testid="credit-limit-form">
          <h3>{t('catalogue.creditLimits.formHeading')}</h3>
          <TextField
            id="credit-limit-amount"
            name="amountFen"
            label={t('catalogue.creditLimits.amount')}
            value={amount}
            onValueChange={setAmount}
            inputMode="decimal"
            required
            maxLength={12}
          />
          <EffectiveDateField id="credit-limit-date" name="validFrom" today={catalogue.today} value={date} onValueChange={setDate} />
          {action.error !== null && <ProblemAlert error={action.error} />}
          <button type="submit" className="button" disabled={action.busy} data-testid="credit-limit-submit">
            {t('catalogue.creditLimits.submit')}
          </button>
        </form>
      </FormProblem>
    </section>
  );
}

function TerminalsSection({ catalogue, withdrawal, onWithdraw, onSaved }: SectionProps) {
  const { t, i18n } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const zh = i18n.language === 'zh-CN';
  const action = useAction();
  const [code, setCode] = useState(catalogue.terminals[0]?.code ?? '');
  const [price, setPrice] = useState('');
  const [date, setDate] = useState(firstOfNextMonth(catalogue.today));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const priceFen = parseYuanToFen(price, { allowZero: true });
    if (priceFen === null) return action.setError(fieldProblem(['priceFen']));
    const done = await action.run(() =>
      postJson(`/api/console/catalog/terminals/${encodeURIComponent(code)}/prices`, { priceFen, validFrom: date }),
    );
    if (done) {
      setPrice('');
      onSaved();
    }
  }

  return (
    <section className="stack">
      <h2>{t('catalogue.terminals.heading')}</h2>
      <DataTable
        testId="catalogue-terminals"
        headings={[
          t('catalogue.terminals.model'),
          t('catalogue.terminals.price'),
          t('catalogue.validFrom'),
          t('catalogue.validTo'),
          '',
          '',
        ]}
        emptyMessage={t('catalogue.terminals.empty')}
        isEmpty={catalogue.terminals.length === 0}
      >
        {catalogue.terminals.flatMap((model) =>
          model.prices.map((entry) => (
            <tr key={entry.id}>
              <th scope="row">
                {zh ? model.nameZh : model.nameEn} ({model.code}) {!model.listed && t('catalogue.terminals.notListed')}
              </th>
              <td className="numeric">{formatFen(entry.priceFen)}</td>
              <td>{formatDateTime(entry.validFrom)}</td>
              <td>{entry.validTo ? formatDateTime(entry.validTo) : t('catalogue.noEnd')}</td>
              <td>
                <StatusBadge status={entry.status} />
              </td>
              <WithdrawCell
                status={entry.status}
                busy={withdrawal.busy}
                testId={`withdraw-terminal-price-${model.code}`}
                onClick={() => void onWithdraw(`/api/console/catalog/terminal-prices/${entry.id}`)}
              />
            </tr>
          )),
        )}
      </DataTable>
      {catalogue.terminals.length > 0 && (
        <FormProblem error={action.error}>
          <form className="form card" onSubmit={(event) => void submit(event)} data-testid="terminal-price-form">
            <h3>{t('catalogue.terminals.formHeading')}</h3>
            <label>
              {t('catalogue.terminals.model')}
              <select value={code} onChange={(event) => setCode(event.target.value)} data-testid="terminal-price-code">
                {catalogue.terminals.map((model) => (
                  <option key={model.code} value={model.code}>
                    {zh ? model.nameZh : model.nameEn}
                  </option>
                ))}
              </select>
            </label>
            <TextField
              id="terminal-price-amount"
              name="priceFen"
              label={t('catalogue.terminals.price')}
              value={price}
              onValueChange={setPrice}
              inputMode="decimal"
              required
              maxLength={12}
            />
            <EffectiveDateField id="terminal-price-date" name="validFrom" today={catalogue.today} value={date} onValueChange={setDate} />
            {action.error !== null && <ProblemAlert error={action.error} />}
            <button type="submit" className="button" disabled={action.busy} data-testid="terminal-price-submit">
              {t('catalogue.terminals.submit')}
            </button>
          </form>
        </FormProblem>
      )}
    </section>
  );
}

function PreviewSection({ catalogue }: { catalogue: Catalogue }) {
  const { t, i18n } = useTranslation();
  const current = i18n.resolvedLanguage ?? i18n.language;
  const language: Language = isLanguage(current) ? current : 'zh-CN';
  const [date, setDate] = useState(firstOfNextMonth(catalogue.today));
  const { state, reload } = useApiQuery<PriceList>(previewPath(date, language));
  // Whatever was just published or withdrawn shows in the preview at once. Only a catalogue newer than
  // the one the preview was first drawn with reloads it: reloading on mount would send the request twice
  // and abort the first.
  const drawnWith = useRef(catalogue);
  useEffect(() => {
    if (drawnWith.current === catalogue) return;
    drawnWith.current = catalogue;
    reload();
  }, [catalogue, reload]);
  return (
    <section className="stack" aria-labelledby="catalogue-preview-heading">
      <h2 id="catalogue-preview-heading">{t('catalogue.preview.heading')}</h2>
      <p className="muted">{t('catalogue.preview.intro')}</p>
      <TextField
        id="catalogue-preview-date"
        label={t('catalogue.preview.date')}
        value={date}
        onValueChange={(value) => value && setDate(value)}
        type="date"
        required
      />
      <div className="price-list card" data-testid="catalogue-preview">
        <QueryView state={state} onRetry={reload}>
          {(list) => <PriceListContent list={list} language={language} preview />}
        </QueryView>
      </div>
    </section>
  );
}

/**
 * The date a change takes effect, at 00:00 in the operator's zone: from tomorrow on, since what is in
 * effect today is frozen. One field for plan versions, credit-limit choices and terminal prices.
 */
function EffectiveDateField(props: { id: string; name: string; today: string; value: string; onValueChange: (value: string) => void }) {
  const { t } = useTranslation();
  return (
    <TextField
      id={props.id}
      name={props.name}
      label={t('catalogue.validFrom')}
      value={props.value}
      onValueChange={props.onValueChange}
      type="date"
      min={addDays(props.today, 1)}
      required
    />
  );
}
