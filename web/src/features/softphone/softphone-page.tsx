import { FormProblem } from '../../components/form-errors';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../components/problem-alert';
import { PublicLayout } from '../../components/public-layout';
import { TextField } from '../../components/text-field';
import { ApiProblemError } from '../../lib/api-client';
import { CallHistory } from './call-history';
import { DeviceSettings } from './device-settings';
import { ContactsPanel, type ContactDraft } from './contacts-panel';
import { nextCamera } from './cameras';
import { listDevices, loadDeviceChoice, openCamera, openMedia, saveDeviceChoice, type DeviceChoice } from './media';
import { LicenceGate } from './licence-gate';
import { MaintenanceBanner } from './maintenance-banner';
import { NoticeBanner } from './notice-banner';
import { OperatorNoticeBanner } from './operator-notice-banner';
import { PhoneEngine, type DeviceCredentials, type IceSettings, type PhoneState } from './phone-engine';
import { TurnCredentialCache } from './turn-credential-cache';
import { QualityPanel, useConnectionGrade } from './quality-panel';
import { ringer, toneFor, unlockOnFirstGesture } from './ringer';
import { useCallAttention, useNotificationSetting, type Caller } from './attention';
import { NotificationOffer, SoundSettings } from './sound-settings';
import { CallControls, Dialer, IncomingCall, WaitingCall } from './call-panels';
import { IncomingTransferBanner, Keypad, TransferPanel } from './keypad';
import {
  fetchContacts,
  fetchMe,
  fetchTurnCredentials,
  registerDevice,
  reportFrom,
  reportProblem,
  sendQualityReport,
  signIn,
  type Contact,
  type PortalMe,
} from './softphone-api';
import { useAutoUpgrade } from './use-auto-upgrade';
import { VideoStage } from './video-stage';
import './softphone.css';
import './phone-ux.css';
import { useAction } from '../../lib/use-action';

type Session = { state: 'loading' } | { state: 'signed-out' } | { state: 'signed-in'; me: PortalMe } | { state: 'error'; error: unknown };

/** The subscriber's video phone: sign in, then this browser becomes one of the number's devices. */
export function SoftphonePage() {
  const [session, setSession] = useState<Session>({ state: 'loading' });
  const load = useCallback(() => {
    fetchMe()
      .then((me) => setSession({ state: 'signed-in', me }))
      .catch((error: unknown) =>
        setSession(error instanceof ApiProblemError && error.problem.status === 401 ? { state: 'signed-out' } : { state: 'error', error }),
      );
  }, []);
  useEffect(load, [load]);
  // The ringtone needs a running AudioContext, which the browser allows from a click or key press (ringer.ts).
  useEffect(() => unlockOnFirstGesture(), []);

  return (
    <PublicLayout>
      {session.state === 'loading' && <LoadingLine />}
      {session.state === 'error' && <ProblemAlert error={session.error} testId="phone-load-error" />}
      {session.state === 'signed-out' && <PhoneSignIn onSignedIn={load} />}
      {session.state === 'signed-in' && (
        <LicenceGate>
          {(licenceDeviceId, recheck) => <PhoneDevice me={session.me} licenceDeviceId={licenceDeviceId} onLicenceRequired={recheck} />}
        </LicenceGate>
      )}
    </PublicLayout>
  );
}

function LoadingLine() {
  const { t } = useTranslation();
  return <p className="muted">{t('app.loading')}</p>;
}

function PhoneSignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const { t } = useTranslation();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    ringer.unlock();
    await action.run(async () => {
      await signIn(login.trim(), password);
      onSignedIn();
    });
  }
  return (
    <section className="card login-card" aria-labelledby="phone-sign-in-title">
      <h1 id="phone-sign-in-title">{t('softphone.signInTitle')}</h1>
      <p className="muted">{t('softphone.signInIntro')}</p>
      <FormProblem error={action.error}>
        <form className="form" onSubmit={submit}>
          <TextField
            id="phone-login"
            label={t('softphone.login')}
            autoComplete="username"
            required
            value={login}
            onValueChange={setLogin}
          />
          <TextField
            id="phone-password"
            label={t('login.password')}
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onValueChange={setPassword}
          />
          {action.error !== null && <ProblemAlert error={action.error} testId="phone-sign-in-error" />}
          <button type="submit" className="button button-primary" data-testid="phone-sign-in-submit" disabled={action.busy}>
            {t('login.submit')}
          </button>
        </form>
      </FormProblem>
    </section>
  );
}

/** Gets this browser's SIP credentials, then runs the phone with them. */
function PhoneDevice({ me, licenceDeviceId, onLicenceRequired }: { me: PortalMe; licenceDeviceId: string; onLicenceRequired: () => void }) {
  const [credentials, setCredentials] = useState<DeviceCredentials | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    registerDevice(browserDeviceName(), licenceDeviceId).then(setCredentials, (failure: unknown) => {
      // A licence version that took effect since the check: back to the licence screen.
      if (failure instanceof ApiProblemError && failure.problem.code === 'licence-not-accepted') onLicenceRequired();
      else setError(failure);
    });
  }, [licenceDeviceId, onLicenceRequired]);
  if (error !== null) return <ProblemAlert error={error} testId="phone-device-error" />;
  if (!credentials) return <LoadingLine />;
  return <Phone me={me} credentials={credentials} />;
}

function browserDeviceName(): string {
  const agent = navigator.userAgent;
  const browser = /Edg\//.test(agent) ? 'Edge' : /Chrom(e|ium)\//.test(agent) ? 'Chrome' : /Firefox\//.test(agent) ? 'Firefox' : 'Browser';
  return `${browser} (${navigator.platform || 'web'})`;
}

function Phone({ me, credentials }: { me: PortalMe; credentials: DeviceCredentials }) {
  const { t } = useTranslation();
  const [choice, setChoice] = useState<DeviceChoice>(loadDeviceChoice);
  const [turnError, setTurnError] = useState<string | null>(null);
  const [historyVersion, setHistoryVersion] = useState(0);
  const [upgradePending, setUpgradePending] = useState(false);
  const [contacts, setContacts] = useState<Contact[] | null>(null);
  const [contactDraft, setContactDraft] = useState<ContactDraft | null>(null);
  const [cameraCount, setCameraCount] = useState(0);

  const reloadContacts = useCallback(() => {
    fetchContacts().then(setContacts, (error: unknown) => console.warn('contacts unavailable', error));
  }, []);
  useEffect(reloadContacts, [reloadContacts]);
  const contactNames = useMemo(() => new Map((contacts ?? []).map((contact) => [contact.number, contact.name])), [contacts]);

  const engine = useMemo(() => {
    const turnCredentials = new TurnCredentialCache(fetchTurnCredentials);
    turnCredentials.prefetch();
    // The choice is read when a call starts, so a change applies to the next call without a new engine.
    const ice = async (): Promise<IceSettings> => {
      const current = loadDeviceChoice();
      try {
        const turn = await turnCredentials.get();
        setTurnError(null);
        return {
          iceServers: [{ urls: turn.urls, username: turn.username, credential: turn.credential }],
          iceTransportPolicy: current.relayOnly ? 'relay' : 'all',
        };
      } catch (error) {
        // Direct calls still work without TURN; a relay-only call will fail visibly on its own.
        const detail = error instanceof ApiProblemError ? (error.problem.detail ?? error.problem.title) : String(error);
        console.warn('TURN credentials unavailable', detail);
        setTurnError(detail);
        return { iceServers: [], iceTransportPolicy: current.relayOnly ? 'relay' : 'all' };
      }
    };
    return new PhoneEngine({
      credentials,
      ice,
      getMedia: () => openMedia(loadDeviceChoice()),
      onCallEnded: (summary) => {
        sendQualityReport(reportFrom(summary, summary.quality))
          .catch((error: unknown) => console.warn('quality report not accepted', error))
          .finally(() => setHistoryVersion((version) => version + 1));
      },
      onProblem: (what, detail) => {
        console.warn(`softphone: ${what}`, detail);
        // The relay refused the credential (expired, or the secret changed): the next call asks for a new one.
        if (what === 'turn-failed') turnCredentials.invalidate();
        if (what === 'turn-failed' || what === 'ice-failed' || what === 'ice-restart') {
          const callId = typeof detail.callId === 'string' ? detail.callId : undefined;
          void reportProblem({ kind: what, ...(callId ? { callId } : {}), detail: JSON.stringify(detail).slice(0, 1000) });
        }
      },
    });
  }, [credentials]);

  useEffect(() => {
    engine.start();
    // Local preview from the start: the person sees the camera works before calling.
    openMedia(loadDeviceChoice()).then(
      (stream) => engine.setLocalStream(stream),
      () => undefined, // a denied camera is reported when a call needs it
    );
    return () => {
      engine.stop();
      for (const track of engine.getState().localStream?.getTracks() ?? []) track.stop();
    };
  }, [engine]);

  const state = useSyncExternalStore(engine.subscribe, engine.getState);
  const tone = toneFor(state.call);
  useEffect(() => {
    if (tone) ringer.play(tone);
    else ringer.stop();
  }, [tone]);
  useEffect(() => () => ringer.stop(), []);
  const playing = useSyncExternalStore(ringer.subscribe, () => ringer.tone);
  const sound = useSyncExternalStore(ringer.subscribe, () => ringer.soundState);
  const grade = useConnectionGrade(state.call?.phase === 'active' ? state.quality : null);
  const [hadCall, setHadCall] = useState(false);
  useEffect(() => {
    if (state.call !== null) setHadCall(true);
  }, [state.call]);
  useAttention(state, contactNames);
  const isBusy = useCallback(() => engine.busy, [engine]);
  useAutoUpgrade(isBusy, setUpgradePending);

  useEffect(() => {
    // Counted again when a camera is plugged in or out, and once the camera is open: before the
    // permission, browsers list devices without ids, which cannot be switched to.
    const count = () =>
      void listDevices().then(
        (devices) => setCameraCount(devices.filter((device) => device.kind === 'videoinput' && device.deviceId).length),
        () => setCameraCount(0),
      );
    count();
    navigator.mediaDevices?.addEventListener('devicechange', count);
    return () => navigator.mediaDevices?.removeEventListener('devicechange', count);
  }, [state.localStream]);

  useEffect(() => {
    // Refresh the history when a call attempt ends (missed, declined, completed).
    if (state.call === null) setHistoryVersion((version) => version + 1);
  }, [state.call]);

  async function changeDevices(next: DeviceChoice) {
    saveDeviceChoice(next);
    setChoice(next);
    const cameraOrMicChanged = next.cameraId !== choice.cameraId || next.microphoneId !== choice.microphoneId;
    if (cameraOrMicChanged) {
      try {
        await engine.replaceLocalStream(await openMedia(next));
      } catch (error) {
        console.warn('device change failed', error);
      }
    }
  }

  async function switchCamera() {
    try {
      const next = nextCamera(await listDevices(), engine.cameraId);
      if (!next) return;
      await engine.replaceVideoTrack(await openCamera(next));
      // Remembered like a choice under Devices, so the next call starts on this camera too.
      const updated = { ...loadDeviceChoice(), cameraId: next };
      saveDeviceChoice(updated);
      setChoice(updated);
    } catch (error) {
      console.warn('camera switch failed', error);
    }
  }

  const peerContactName = (number: string | undefined) => (number === undefined ? undefined : contactNames.get(number));
  const registrationLabel = t(`softphone.registration.${state.registration}`);
  return (
    <div
      className="softphone"
      data-testid="softphone"
      data-registration={state.registration}
      data-ringer={playing ?? 'off'}
      data-sound={sound}
    >
      <header className="softphone-header">
        <div>
          <h1 className="softphone-title">{t('softphone.title')}</h1>
          <p className="muted">
            {me.displayName} · <span data-testid="phone-number">{credentials.number}</span>
          </p>
        </div>
        <div className="softphone-status">
          <span
            className={`badge ${state.registration === 'registered' ? 'badge-success' : 'badge-danger'}`}
            data-testid="registration-status"
          >
            {registrationLabel}
          </span>
          <label className="checkbox">
            <input
              type="checkbox"
              data-testid="dnd-toggle"
              checked={state.doNotDisturb}
              onChange={(event) => engine.setDoNotDisturb(event.target.checked)}
            />
            {t('softphone.doNotDisturb')}
          </label>
        </div>
      </header>
      {upgradePending && (
        <p className="notice" role="status" data-testid="upgrade-pending">
          {t('softphone.upgradePending')}
        </p>
      )}
      {!state.connected && state.registration !== 'stopped' && state.registration !== 'failed' && (
        <p className="alert alert-error" role="alert" data-testid="network-lost">
          {t('softphone.notices.network-lost')}
        </p>
      )}
      {state.operatorNotices.map((notice) => (
        <OperatorNoticeBanner key={notice.id} notice={notice} onDismiss={() => engine.dismissOperatorNotice(notice.id)} />
      ))}
      <MaintenanceBanner />
      {state.registrationNotice && <NoticeBanner notice={state.registrationNotice} testId="registration-error" />}
      {turnError && choice.relayOnly && (
        <p className="alert alert-error" role="alert" data-testid="turn-error">
          {t('softphone.turnUnavailable', { detail: turnError })}
        </p>
      )}
      {state.notice && (
        <NoticeBanner
          notice={state.notice}
          testId="call-notice"
          onDismiss={() => engine.dismissNotice()}
          contactName={state.notice.kind === 'missed' ? peerContactName(state.notice.detail) : undefined}
        />
      )}
      <NotificationOffer afterFirstCall={hadCall && state.call === null} />
      <div className="softphone-main">
        <div className="softphone-stage-column">
          <VideoStage
            local={state.localStream}
            remote={state.remoteStream}
            speakerId={choice.speakerId}
            showRemote={state.call !== null && state.call.phase !== 'incoming'}
            call={state.call}
            phoneReady={state.registration === 'registered' && state.connected}
            poorConnection={grade?.poor ?? false}
          />
          {state.waiting && <WaitingCall call={state.waiting} engine={engine} contactName={peerContactName(state.waiting.peerNumber)} />}
          {state.call === null && <Dialer engine={engine} disabled={state.registration !== 'registered'} />}
          {state.call?.phase === 'incoming' && (
            <IncomingCall call={state.call} engine={engine} contactName={peerContactName(state.call.peerNumber)} />
          )}
          {state.call && state.call.phase !== 'incoming' && (
            <CallControls
              call={state.call}
              engine={engine}
              contactName={peerContactName(state.call.peerNumber)}
              canSwitchCamera={cameraCount > 1}
              onSwitchCamera={() => void switchCamera()}
            />
          )}
          {state.call?.phase === 'active' && <QualityPanel sample={state.quality} grade={grade} />}
          <IncomingTransferBanner engine={engine} />
          {state.call?.phase === 'active' && <Keypad call={state.call} engine={engine} />}
          {state.call?.phase === 'active' && <TransferPanel call={state.call} engine={engine} />}
        </div>
        <aside className="softphone-side">
          <ContactsPanel
            contacts={contacts}
            engine={engine}
            canCall={state.registration === 'registered' && state.call === null}
            draft={contactDraft}
            onChanged={reloadContacts}
          />
          <CallHistory
            version={historyVersion}
            engine={engine}
            contactNames={contactNames}
            onAddContact={(number) => setContactDraft((previous) => ({ number, nonce: (previous?.nonce ?? 0) + 1 }))}
          />
          <DeviceSettings choice={choice} onChange={(next) => void changeDevices(next)} />
          <SoundSettings />
        </aside>
      </div>
    </div>
  );
}

/** The title badge and the background notification for a ringing call, and the missed-call count (attention.ts). */
function useAttention(state: PhoneState, contactNames: ReadonlyMap<string, string>) {
  const { t } = useTranslation();
  const notifications = useNotificationSetting();
  const ringing = state.call?.phase === 'incoming' ? state.call : state.waiting?.phase === 'incoming' ? state.waiting : null;
  const label = (number: string, name: string | null | undefined) => {
    const known = contactNames.get(number) ?? name;
    return known ? `${known} (${number})` : number;
  };
  const incomingLabel = ringing ? label(ringing.peerNumber, ringing.peerName) : null;
  const incoming = useMemo<Caller | null>(
    () => (ringing && incomingLabel ? { key: ringing.key, label: incomingLabel } : null),
    [ringing?.key, incomingLabel],
  );
  // Each missed-call notice is a new object: count it once.
  const missedSeen = useRef<{ notice: unknown; caller: Caller | null }>({ notice: null, caller: null });
  if (state.notice !== missedSeen.current.notice) {
    const notice = state.notice;
    missedSeen.current = {
      notice,
      caller:
        notice?.kind === 'missed' && notice.detail
          ? { key: `${notice.detail}:${Date.now()}`, label: label(notice.detail, notice.peerName) }
          : null,
    };
  }
  const text = useMemo(
    () => ({
      incomingTitle: (count: number) => t('phoneUx.attention.incomingTitle', { count }),
      missedTitle: (count: number) => t('phoneUx.attention.missedTitle', { count }),
      notificationTitle: t('phoneUx.attention.notificationTitle'),
    }),
    [t],
  );
  useCallAttention({ incoming, missedCaller: missedSeen.current.caller, notificationsEnabled: notifications.enabled, text });
}
