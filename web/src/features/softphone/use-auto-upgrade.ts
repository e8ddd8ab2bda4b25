import { useEffect } from 'react';
import { fetchWebRelease } from './softphone-api';

/** The build this page runs: the entry script's content-hashed file name, the same name the server reads from index.html. */
export function runningBuildId(): string | null {
  const script = document.querySelector<HTMLScriptElement>('script[type="module"][src*="/assets/"]');
  return script ? (new URL(script.src).pathname.split('/').pop() ?? null) : null;
}

const checkEveryMs = 60_000;

/**
 * Agreement clause 8: a new client version installs itself. The page asks the server which build is
 * released (every minute, and when the window regains focus or the network comes back) and reloads to
 * it as soon as no call is being set up or in progress; a call is never cut for an upgrade.
 */
export function useAutoUpgrade(isBusy: () => boolean, onPending: (pending: boolean) => void): void {
  useEffect(() => {
    const running = runningBuildId();
    if (!running) return; // the development server: nothing to upgrade to
    let pending = false;
    let stopped = false;
    async function check(): Promise<void> {
      if (!pending) {
        try {
          const { buildId } = await fetchWebRelease();
          pending = buildId !== running;
        } catch {
          return; // offline or server restarting: ask again later
        }
      }
      if (stopped || !pending) return;
      onPending(true);
      if (!isBusy()) window.location.reload();
    }
    const timer = window.setInterval(() => void check(), checkEveryMs);
    // While an upgrade waits for a call to end, look again often so it happens right after hang-up.
    const busyTimer = window.setInterval(() => {
      if (pending) void check();
    }, 2_000);
    const onWake = () => void check();
    window.addEventListener('focus', onWake);
    window.addEventListener('online', onWake);
    void check();
    return () => {
      stopped = true;
      window.clearInterval(timer);
      window.clearInterval(busyTimer);
      window.removeEventListener('focus', onWake);
      window.removeEventListener('online', onWake);
    };
  }, [isBusy, onPending]);
}
