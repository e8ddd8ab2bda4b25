import { useEffect, useState, useSyncExternalStore, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isKeypadTone, KEYPAD_TONES } from './dtmf';
import type { CallView, PhoneEngine } from './phone-engine';

/**
 * The keypad during a call (menus of banks, IVRs, door entry): each key sends a DTMF digit, so do
 * the keys 0–9, * and # of the keyboard while the keypad is open; what was sent is shown.
 */
export function Keypad({ call, engine }: { call: CallView; engine: PhoneEngine }) {
  const { t } = useTranslation();
  const assist = useSyncExternalStore(engine.assist.subscribe, engine.assist.getState);
  const [open, setOpen] = useState(false);
  const dtmf = assist.dtmf?.callKey === call.key ? assist.dtmf : null;

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      // Typing in a field (the transfer number) is not a keypad press.
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable)) return;
      if (event.ctrlKey || event.metaKey || event.altKey || !isKeypadTone(event.key)) return;
      event.preventDefault();
      engine.sendDtmf(event.key);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, engine]);

  return (
    <section className="keypad-panel" data-testid="keypad-panel">
      <button type="button" className="button" data-testid="keypad-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? t('keypad.close') : t('keypad.open')}
      </button>
      {open && (
        <div className="keypad" role="group" aria-label={t('keypad.label')} data-testid="keypad">
          {KEYPAD_TONES.map((tone) => (
            <button
              key={tone}
              type="button"
              className="button keypad-key numeric"
              data-testid={`keypad-${tone === '*' ? 'star' : tone === '#' ? 'hash' : tone}`}
              onClick={() => engine.sendDtmf(tone)}
            >
              {tone}
            </button>
          ))}
        </div>
      )}
      {dtmf && (
        <p className="muted keypad-sent" role="status" data-testid="dtmf-sent" data-digits={dtmf.sent} data-transport={dtmf.transport}>
          {t('keypad.sent', { digits: dtmf.sent })} · {t(`keypad.transport.${dtmf.transport}`)}
        </p>
      )}
    </section>
  );
}

/** Blind transfer: the other party is asked to call `number` and this phone leaves the call. */
export function TransferPanel({ call, engine }: { call: CallView; engine: PhoneEngine }) {
  const { t } = useTranslation();
  const assist = useSyncExternalStore(engine.assist.subscribe, engine.assist.getState);
  const [open, setOpen] = useState(false);
  const [number, setNumber] = useState('');
  const transfer = assist.outgoingTransfer?.callKey === call.key ? assist.outgoingTransfer : null;
  const underWay = transfer !== null && transfer.status !== 'failed';

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const digits = number.replace(/[\s-]/g, '');
    if (!digits) return;
    engine.transfer(digits);
    setOpen(false);
  }

  return (
    <section className="transfer-panel" data-testid="transfer-panel">
      {!open && (
        <button type="button" className="button" data-testid="transfer-toggle" disabled={underWay} onClick={() => setOpen(true)}>
          {t('transfer.open')}
        </button>
      )}
      {open && (
        <form className="dialer" onSubmit={submit}>
          <label htmlFor="transfer-number" className="visually-hidden">
            {t('transfer.number')}
          </label>
          <input
            id="transfer-number"
            className="dialer-input"
            data-testid="transfer-number"
            inputMode="tel"
            autoComplete="off"
            placeholder={t('transfer.number')}
            value={number}
            onChange={(event) => setNumber(event.target.value)}
          />
          <button type="submit" className="button button-primary" data-testid="transfer-submit" disabled={number.trim() === ''}>
            {t('transfer.submit')}
          </button>
          <button type="button" className="button" onClick={() => setOpen(false)}>
            {t('transfer.cancel')}
          </button>
        </form>
      )}
      {transfer && (
        <p
          className={transfer.status === 'failed' ? 'alert alert-error' : 'notice'}
          role="status"
          data-testid="transfer-status"
          data-status={transfer.status}
        >
          {t(`transfer.status.${transfer.status}`, { target: transfer.target, detail: transfer.detail ?? '' })}
        </p>
      )}
    </section>
  );
}

/** The transferee's side: "转接中…" while this phone calls the number it was transferred to. */
export function IncomingTransferBanner({ engine }: { engine: PhoneEngine }) {
  const { t } = useTranslation();
  const transfer = useSyncExternalStore(engine.assist.subscribe, engine.assist.getState).incomingTransfer;
  if (!transfer) return null;
  const by = transfer.referredBy ? /sips?:([^@>;]+)/.exec(transfer.referredBy)?.[1] : undefined;
  if (transfer.status === 'failed') {
    return (
      <p className="alert alert-error" role="alert" data-testid="transfer-incoming" data-status="failed">
        {t('transfer.incomingFailed', { target: transfer.target, detail: transfer.detail ?? '' })}
      </p>
    );
  }
  return (
    <p className="notice" role="status" data-testid="transfer-incoming" data-status="calling">
      {t('transfer.incoming', { target: transfer.target })}
      {by ? ` ${t('transfer.incomingBy', { by })}` : ''}
    </p>
  );
}
