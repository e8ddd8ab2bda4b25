import { FormProblem } from '../../components/form-errors';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../components/problem-alert';
import { QueryView } from '../../components/query-view';
import { postJson } from '../../lib/api-client';
import { useAction } from '../../lib/use-action';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { Shipment, TerminalUnit } from './terminals-api';

const states: TerminalUnit['state'][] = ['in_stock', 'reserved', 'shipped', 'delivered', 'returned', 'in_repair', 'scrapped'];

/** The technician's inventory and shipments (`devices.manage`): receive, reserve, ship, record delivery. */
export function InventoryConsolePage() {
  const { t } = useTranslation();
  const [stateFilter, setStateFilter] = useState('');
  const [search, setSearch] = useState('');
  const query = new URLSearchParams({ ...(stateFilter ? { state: stateFilter } : {}), ...(search ? { search } : {}) });
  const units = useApiQuery<{ units: TerminalUnit[] }>(`/api/console/devices/units?${query.toString()}`);
  const shipments = useApiQuery<{ shipments: Shipment[] }>('/api/console/devices/shipments');
  const reload = () => {
    units.reload();
    shipments.reload();
  };

  return (
    <div className="stack" data-testid="inventory-page">
      <h1>{t('terminals.inventoryTitle')}</h1>
      <p className="muted">{t('terminals.inventoryIntro')}</p>
      <ReceiveForm onDone={reload} />
      <div className="toolbar">
        <label>
          {t('terminals.filterState')}
          <select value={stateFilter} onChange={(e) => setStateFilter(e.target.value)} data-testid="inventory-state-filter">
            <option value="">{t('terminals.all')}</option>
            {states.map((s) => (
              <option key={s} value={s}>
                {t(`terminals.states.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('terminals.search')}
          <input value={search} onChange={(e) => setSearch(e.target.value)} data-testid="inventory-search" />
        </label>
      </div>
      <QueryView state={units.state} onRetry={units.reload}>
        {({ units: list }) => (
          <table className="table" data-testid="inventory-table">
            <thead>
              <tr>
                <th>{t('terminals.model')}</th>
                <th>{t('terminals.serial')}</th>
                <th>{t('terminals.mac')}</th>
                <th>{t('terminals.state')}</th>
                <th>{t('terminals.warrantyEndsOn')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((unit) => (
                <UnitRow key={unit.id} unit={unit} onDone={reload} />
              ))}
            </tbody>
          </table>
        )}
      </QueryView>
      <h2>{t('terminals.shipmentsTitle')}</h2>
      <QueryView state={shipments.state} onRetry={shipments.reload}>
        {({ shipments: list }) => <ShipmentsTable shipments={list} />}
      </QueryView>
    </div>
  );
}

function ReceiveForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [modelCode, setModelCode] = useState('vp-t100');
  const [serialNumber, setSerial] = useState('');
  const [mac, setMac] = useState('');
  async function submit(event: FormEvent) {
    event.preventDefault();
    const done = await action.run(() => postJson('/api/console/devices/units', { modelCode, serialNumber, mac }));
    if (done) {
      setSerial('');
      setMac('');
      onDone();
    }
  }
  return (
    <FormProblem error={action.error}>
      <form className="card toolbar" onSubmit={(e) => void submit(e)} data-testid="receive-form">
        <label>
          {t('terminals.modelCode')}
          <input value={modelCode} onChange={(e) => setModelCode(e.target.value)} required data-testid="receive-model" />
        </label>
        <label>
          {t('terminals.serial')}
          <input value={serialNumber} onChange={(e) => setSerial(e.target.value)} required data-testid="receive-serial" />
        </label>
        <label>
          {t('terminals.mac')}
          <input value={mac} onChange={(e) => setMac(e.target.value)} required data-testid="receive-mac" />
        </label>
        <button type="submit" className="button" disabled={action.busy} data-testid="receive-submit">
          {t('terminals.receive')}
        </button>
        {action.error !== null && <ProblemAlert error={action.error} />}
      </form>
    </FormProblem>
  );
}

function UnitRow({ unit, onDone }: { unit: TerminalUnit; onDone: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [subscriberId, setSubscriberId] = useState('');
  const [carrier, setCarrier] = useState('');
  const [tracking, setTracking] = useState('');
  const [note, setNote] = useState('');
  const run = async (path: string, body: unknown) => {
    const done = await action.run(() => postJson(`/api/console/devices/units/${unit.id}/${path}`, body));
    if (done) onDone();
  };
  return (
    <tr data-testid="inventory-unit" data-serial={unit.serialNumber}>
      <td>{unit.modelCode}</td>
      <td>{unit.serialNumber}</td>
      <td>
        <code>{unit.mac}</code>
      </td>
      <td data-testid="unit-state">{t(`terminals.states.${unit.state}`)}</td>
      <td>{unit.tamperedOn ? t('terminals.warrantyVoided', { date: unit.tamperedOn }) : (unit.warrantyEndsOn ?? '—')}</td>
      <td className="stack">
        {unit.state === 'in_stock' && (
          <div className="toolbar">
            <input
              placeholder={t('terminals.subscriberId')}
              value={subscriberId}
              onChange={(e) => setSubscriberId(e.target.value)}
              data-testid="unit-subscriber"
            />
            <button type="button" className="button" onClick={() => void run('reservation', { subscriberId })} data-testid="unit-reserve">
              {t('terminals.reserve')}
            </button>
          </div>
        )}
        {unit.state === 'reserved' && (
          <div className="toolbar">
            <input
              placeholder={t('terminals.carrier')}
              value={carrier}
              onChange={(e) => setCarrier(e.target.value)}
              data-testid="unit-carrier"
            />
            <input
              placeholder={t('terminals.tracking')}
              value={tracking}
              onChange={(e) => setTracking(e.target.value)}
              data-testid="unit-tracking"
            />
            <button type="button" className="button" onClick={() => void run('shipment', { carrier, tracking })} data-testid="unit-ship">
              {t('terminals.ship')}
            </button>
          </div>
        )}
        {unit.state === 'shipped' && (
          <button type="button" className="button" onClick={() => void run('delivery', { by: 'carrier' })} data-testid="unit-deliver">
            {t('terminals.recordDelivery')}
          </button>
        )}
        {unit.state === 'delivered' && !unit.tamperedOn && (
          <div className="toolbar">
            <input
              placeholder={t('terminals.tamperNote')}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              data-testid="unit-tamper-note"
            />
            <button
              type="button"
              className="button button-quiet"
              onClick={() => void run('tamper', { note })}
              disabled={note.trim() === ''}
            >
              {t('terminals.recordTamper')}
            </button>
          </div>
        )}
        {action.error !== null && <ProblemAlert error={action.error} />}
      </td>
    </tr>
  );
}

function ShipmentsTable({ shipments }: { shipments: Shipment[] }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  return (
    <table className="table" data-testid="shipments-table">
      <thead>
        <tr>
          <th>{t('terminals.carrier')}</th>
          <th>{t('terminals.tracking')}</th>
          <th>{t('terminals.shippedAt')}</th>
          <th>{t('terminals.deliveredAt')}</th>
          <th>{t('terminals.damage')}</th>
        </tr>
      </thead>
      <tbody>
        {shipments.map((s) => (
          <tr key={s.id} data-testid="shipment">
            <td>{s.carrier}</td>
            <td>{s.tracking}</td>
            <td>{formatDateTime(s.shippedAt)}</td>
            <td>{s.deliveredAt ? formatDateTime(s.deliveredAt) : t('terminals.notDelivered')}</td>
            <td>{s.damageReported ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
