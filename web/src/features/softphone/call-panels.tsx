import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallView, PhoneEngine } from './phone-engine';

export function Dialer({ engine, disabled }: { engine: PhoneEngine; disabled: boolean }) {
  const { t } = useTranslation();
  const [number, setNumber] = useState('');
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const digits = number.replace(/[\s-]/g, '');
    if (digits) void engine.call(digits);
  }
  return (
    <form className="dialer" onSubmit={submit} aria-label={t('softphone.dialer')}>
      <label htmlFor="dial-number" className="visually-hidden">
        {t('softphone.numberToCall')}
      </label>
      <input
        id="dial-number"
        className="dialer-input"
        data-testid="dial-number"
        inputMode="tel"
        autoComplete="off"
        placeholder={t('softphone.numberToCall')}
        value={number}
        onChange={(event) => setNumber(event.target.value)}
      />
      <button type="submit" className="button button-primary" data-testid="call-button" disabled={disabled || number.trim() === ''}>
        {t('softphone.call')}
      </button>
    </form>
  );
}

function Caller({ call, contactName }: { call: CallView; contactName?: string | undefined }) {
  // The subscriber's own name for the number wins over the display name the caller chose to send.
  const name = contactName ?? call.peerName;
  return (
    <div className="caller">
      {name && (
        <strong className="caller-name" data-testid="caller-name" data-contact={contactName !== undefined}>
          {name}
        </strong>
      )}
      <span className="caller-number" data-testid="caller-number">
        {call.peerNumber}
      </span>
    </div>
  );
}

export function IncomingCall({ call, engine, contactName }: { call: CallView; engine: PhoneEngine; contactName?: string | undefined }) {
  const { t } = useTranslation();
  return (
    <section className="incoming-call" role="alertdialog" aria-labelledby="incoming-title" data-testid="incoming-call">
      <h2 id="incoming-title">{t('softphone.incoming')}</h2>
      <Caller call={call} contactName={contactName} />
      <div className="toolbar">
        <button type="button" className="button button-primary" data-testid="answer-button" onClick={() => void engine.answer()}>
          {t('softphone.answer')}
        </button>
        <button type="button" className="button button-danger" data-testid="reject-button" onClick={() => engine.reject()}>
          {t('softphone.reject')}
        </button>
      </div>
    </section>
  );
}

/** Call waiting: a second call while one is in progress. */
export function WaitingCall({ call, engine, contactName }: { call: CallView; engine: PhoneEngine; contactName?: string | undefined }) {
  const { t } = useTranslation();
  if (call.phase !== 'incoming') {
    return (
      <p className="notice" data-testid="held-call">
        {t('softphone.onHoldOther', { number: call.peerNumber })}
      </p>
    );
  }
  return (
    <section className="incoming-call" role="alertdialog" aria-labelledby="waiting-title" data-testid="waiting-call">
      <h2 id="waiting-title">{t('softphone.waiting')}</h2>
      <Caller call={call} contactName={contactName} />
      <div className="toolbar">
        <button
          type="button"
          className="button button-primary"
          data-testid="hold-and-answer"
          onClick={() => void engine.answerWaiting(false)}
        >
          {t('softphone.holdAndAnswer')}
        </button>
        <button type="button" className="button" data-testid="end-and-answer" onClick={() => void engine.answerWaiting(true)}>
          {t('softphone.endAndAnswer')}
        </button>
        <button type="button" className="button button-danger" data-testid="reject-waiting" onClick={() => engine.rejectWaiting()}>
          {t('softphone.reject')}
        </button>
      </div>
    </section>
  );
}

function CallTimer({ since }: { since: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  const seconds = Math.max(0, Math.floor((now - since) / 1000));
  const text = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  return (
    <span className="call-timer numeric" data-testid="call-timer" role="timer">
      {text}
    </span>
  );
}

export function CallControls({
  call,
  engine,
  contactName,
  canSwitchCamera,
  onSwitchCamera,
}: {
  call: CallView;
  engine: PhoneEngine;
  contactName?: string | undefined;
  /** More than one camera: with one, the button stays but is disabled, so it is clear why nothing happens. */
  canSwitchCamera: boolean;
  onSwitchCamera: () => void;
}) {
  const { t } = useTranslation();
  const active = call.phase === 'active';
  const status = call.reconnecting ? 'reconnecting' : call.held ? 'held' : call.heldByPeer ? 'heldByPeer' : call.phase;
  return (
    <section
      className="call-controls"
      aria-label={t('softphone.inCall')}
      data-testid="in-call"
      data-phase={call.phase}
      data-held={call.held}
      data-reconnecting={call.reconnecting}
      data-ice-restarts={call.iceRestarts}
    >
      <div className="call-summary">
        <Caller call={call} contactName={contactName} />
        <span className="muted" data-testid="call-status">
          {t(`softphone.phase.${status}`)}
        </span>
        {call.answeredAt !== null && <CallTimer since={call.answeredAt} />}
      </div>
      <div className="toolbar">
        <button
          type="button"
          className="button"
          data-testid="mute-button"
          aria-pressed={call.muted}
          disabled={!active}
          onClick={() => engine.toggleMute()}
        >
          {call.muted ? t('softphone.unmute') : t('softphone.mute')}
        </button>
        <button
          type="button"
          className="button"
          data-testid="camera-button"
          aria-pressed={call.cameraOff}
          disabled={!active}
          onClick={() => engine.toggleCamera()}
        >
          {call.cameraOff ? t('softphone.cameraOn') : t('softphone.cameraOff')}
        </button>
        <button
          type="button"
          className="button"
          data-testid="switch-camera-button"
          disabled={!active || !canSwitchCamera || call.cameraOff}
          onClick={onSwitchCamera}
        >
          {t('softphone.switchCamera')}
        </button>
        <button
          type="button"
          className="button"
          data-testid="hold-button"
          aria-pressed={call.held}
          disabled={!active}
          onClick={() => engine.toggleHold()}
        >
          {call.held ? t('softphone.resume') : t('softphone.hold')}
        </button>
        <button type="button" className="button button-danger" data-testid="hangup-button" onClick={() => void engine.hangUp()}>
          {t('softphone.hangUp')}
        </button>
      </div>
    </section>
  );
}
