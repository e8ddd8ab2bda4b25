import { useEffect, useRef, useState, useSyncExternalStore } from 'react';

/**
 * Getting a person's attention when the phone rings and they are in another tab or window: a badge
 * in the tab title ("(1) 来电…") and a browser notification (W3C Notifications API) that brings the
 * tab to the front when clicked.
 *
 * The permission is never asked on page load (browsers penalise that, and a person does not yet know
 * why): it is asked when the person turns "notify me of calls" on under sound and notifications, or
 * from the hint shown after the first call (`shouldOfferNotifications`). Both are clicks, which the
 * permission request needs.
 */

const settingKey = 'videophone.softphone.notifications';

export type NotificationSetting = 'on' | 'off';
export type NotificationAvailability = 'unsupported' | 'denied' | 'default' | 'granted';

function readSetting(): NotificationSetting | null {
  try {
    const value = window.localStorage.getItem(settingKey);
    return value === 'on' || value === 'off' ? value : null;
  } catch {
    return null;
  }
}

function writeSetting(value: NotificationSetting): void {
  try {
    window.localStorage.setItem(settingKey, value);
  } catch {
    // Without storage the choice lasts for this page only.
  }
}

export function notificationAvailability(): NotificationAvailability {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** The tab is not what the person is looking at: hidden, or its window does not have the focus. */
export function inBackground(): boolean {
  return document.visibilityState !== 'visible' || !document.hasFocus();
}

const settingListeners = new Set<() => void>();
let settingVersion = 0;
function settingChanged(): void {
  settingVersion += 1;
  for (const listener of settingListeners) listener();
}

/** The person's choice and the browser's permission together; `enable` asks for the permission (call it from a click). */
export function useNotificationSetting(): {
  availability: NotificationAvailability;
  enabled: boolean;
  /** Turned neither on nor off yet, and the browser would still ask: the moment to offer it. */
  undecided: boolean;
  enable: () => Promise<void>;
  disable: () => void;
} {
  useSyncExternalStore(
    (listener) => {
      settingListeners.add(listener);
      return () => settingListeners.delete(listener);
    },
    () => settingVersion,
  );
  const availability = notificationAvailability();
  const setting = readSetting();
  return {
    availability,
    // Granted earlier (or by the browser's site settings) counts as on until the person turns it off.
    enabled: availability === 'granted' && setting !== 'off',
    undecided: availability === 'default' && setting === null,
    async enable() {
      writeSetting('on');
      if (notificationAvailability() === 'default') await Notification.requestPermission().catch(() => 'default');
      settingChanged();
    },
    disable() {
      writeSetting('off');
      settingChanged();
    },
  };
}

export interface Caller {
  key: string;
  /** The contact name or the caller's display name, else the number. */
  label: string;
}

/**
 * While `incoming` is set: the title badge, and a notification when the tab is in the background and
 * notifications are on. Both go when the call is answered, declined or cancelled. `missed` counts calls
 * that ended unanswered while the person was away; the title keeps saying so until they come back.
 */
export function useCallAttention({
  incoming,
  missedCaller,
  notificationsEnabled,
  text,
}: {
  incoming: Caller | null;
  /** Set when a call was just missed (the missed-call notice), with who called. */
  missedCaller: Caller | null;
  notificationsEnabled: boolean;
  text: { incomingTitle: (count: number) => string; notificationTitle: string; missedTitle: (count: number) => string };
}): void {
  const baseTitle = useRef<string | null>(null);
  const [missedWhileAway, setMissedWhileAway] = useState(0);
  const countedMissed = useRef<string | null>(null);

  useEffect(() => {
    if (missedCaller && countedMissed.current !== missedCaller.key && inBackground()) {
      countedMissed.current = missedCaller.key;
      setMissedWhileAway((count) => count + 1);
    }
  }, [missedCaller]);

  useEffect(() => {
    const back = () => {
      if (!inBackground()) setMissedWhileAway(0);
    };
    document.addEventListener('visibilitychange', back);
    window.addEventListener('focus', back);
    return () => {
      document.removeEventListener('visibilitychange', back);
      window.removeEventListener('focus', back);
    };
  }, []);

  // The title: "(1) 来电…" while it rings, "(n) 未接来电" after, the page's own title otherwise.
  useEffect(() => {
    if (baseTitle.current === null) baseTitle.current = document.title;
    const base = baseTitle.current;
    if (incoming) document.title = `${text.incomingTitle(1 + missedWhileAway)} ${incoming.label} · ${base}`;
    else if (missedWhileAway > 0) document.title = `${text.missedTitle(missedWhileAway)} · ${base}`;
    else document.title = base;
  }, [incoming, missedWhileAway, text]);

  useEffect(
    () => () => {
      if (baseTitle.current !== null) document.title = baseTitle.current;
    },
    [],
  );

  const incomingKey = incoming?.key ?? null;
  const incomingLabel = incoming?.label ?? null;
  useEffect(() => {
    if (incomingKey === null || incomingLabel === null || !notificationsEnabled || !inBackground()) return;
    if (notificationAvailability() !== 'granted') return;
    let notification: Notification;
    try {
      notification = new Notification(text.notificationTitle, {
        body: incomingLabel,
        // One notification per call, replaced rather than stacked if shown again.
        tag: `videophone-call-${incomingKey}`,
        requireInteraction: true,
      });
    } catch {
      return; // Some browsers allow notifications only from a service worker: the title badge remains.
    }
    notification.onclick = () => {
      window.focus();
      notification.close();
    };
    return () => notification.close();
  }, [incomingKey, incomingLabel, notificationsEnabled, text.notificationTitle]);
}
