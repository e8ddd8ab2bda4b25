import { useEffect, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallView } from './phone-engine';

function useStream(stream: MediaStream | null) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (video && video.srcObject !== stream) video.srcObject = stream;
  }, [stream]);
  return ref;
}

export function VideoStage({
  local,
  remote,
  speakerId,
  showRemote,
  call,
  phoneReady,
  poorConnection,
}: {
  local: MediaStream | null;
  remote: MediaStream | null;
  speakerId: string | null;
  showRemote: boolean;
  call: CallView | null;
  /** Registered: "ready to call" is true only then. */
  phoneReady: boolean;
  poorConnection: boolean;
}) {
  const { t } = useTranslation();
  const localRef = useStream(local);
  const remoteRef = useStream(showRemote ? remote : null);
  const stageRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Speaker choice (Audio Output Devices API); browsers without setSinkId keep the default output.
    const video = remoteRef.current as (HTMLVideoElement & { setSinkId?: (id: string) => Promise<void> }) | null;
    if (video?.setSinkId && speakerId) video.setSinkId(speakerId).catch(() => undefined);
  }, [speakerId, remoteRef]);
  const active = showRemote && call?.phase === 'active';
  // While either side holds, no media flows by design: that is not a camera off or a bad network.
  const onHold = Boolean(call?.held || call?.heldByPeer);
  const signs = call && active ? peerSigns(call, onHold, poorConnection) : [];
  return (
    <div className="video-stage" data-testid="video-stage" ref={stageRef}>
      <video
        ref={remoteRef}
        className="remote-video"
        data-testid="remote-video"
        autoPlay
        playsInline
        aria-label={call ? t('softphone.remoteVideo', { number: call.peerNumber }) : t('softphone.noCall')}
      />
      {active && call?.peer.cameraOff && !onHold && (
        <div className="stage-camera-off" data-testid="peer-camera-off-placeholder" aria-hidden="true">
          <span>{call.peerName ?? call.peerNumber}</span>
        </div>
      )}
      {signs.length > 0 && (
        <ul className="stage-signs" data-testid="peer-state" aria-live="polite">
          {signs.map((sign) => (
            <li key={sign} className={`stage-sign stage-sign-${sign}`} data-testid={`peer-${sign}`}>
              {t(`phoneUx.peer.${sign}`)}
            </li>
          ))}
        </ul>
      )}
      {active && <StageButtons stage={stageRef} video={remoteRef} />}
      {!showRemote && (
        <p className="stage-idle" data-testid="stage-idle">
          {call ? '' : phoneReady ? t('softphone.ready') : t('phoneUx.stage.connectingPhone')}
        </p>
      )}
      <video
        ref={localRef}
        className={`local-video${call?.cameraOff ? ' camera-off' : ''}`}
        data-testid="local-video"
        autoPlay
        playsInline
        muted
        aria-label={t('softphone.localPreview')}
      />
    </div>
  );
}

type PeerSign = 'muted' | 'cameraOff' | 'held' | 'poorConnection';

function peerSigns(call: CallView, onHold: boolean, poorConnection: boolean): PeerSign[] {
  if (call.heldByPeer) return ['held'];
  if (onHold) return [];
  const signs: PeerSign[] = [];
  if (call.peer.muted) signs.push('muted');
  if (call.peer.cameraOff) signs.push('cameraOff');
  if (poorConnection) signs.push('poorConnection');
  return signs;
}

/** Fullscreen (the whole stage, so the self-view and signs stay) and picture-in-picture (the remote video). */
function StageButtons({ stage, video }: { stage: RefObject<HTMLDivElement | null>; video: RefObject<HTMLVideoElement | null> }) {
  const { t } = useTranslation();
  const [fullscreen, setFullscreen] = useState(false);
  const [pip, setPip] = useState(false);
  useEffect(() => {
    const element = video.current;
    const onFullscreen = () => setFullscreen(document.fullscreenElement !== null && document.fullscreenElement === stage.current);
    const enterPip = () => setPip(true);
    const leavePip = () => setPip(false);
    document.addEventListener('fullscreenchange', onFullscreen);
    element?.addEventListener('enterpictureinpicture', enterPip);
    element?.addEventListener('leavepictureinpicture', leavePip);
    return () => {
      document.removeEventListener('fullscreenchange', onFullscreen);
      element?.removeEventListener('enterpictureinpicture', enterPip);
      element?.removeEventListener('leavepictureinpicture', leavePip);
      // The call ended in picture-in-picture: close the floating window with it.
      if (document.pictureInPictureElement === element) void document.exitPictureInPicture().catch(() => undefined);
    };
  }, [stage, video]);
  const canFullscreen = document.fullscreenEnabled;
  const canPip = document.pictureInPictureEnabled;
  async function toggleFullscreen() {
    if (document.fullscreenElement) await document.exitFullscreen();
    else await stage.current?.requestFullscreen();
  }
  async function togglePip() {
    if (document.pictureInPictureElement) await document.exitPictureInPicture();
    else await video.current?.requestPictureInPicture();
  }
  return (
    <div className="stage-buttons">
      {canFullscreen && (
        <button
          type="button"
          className="button button-small"
          data-testid="fullscreen-button"
          aria-pressed={fullscreen}
          onClick={() => void toggleFullscreen().catch((error: unknown) => console.warn('fullscreen refused', error))}
        >
          {fullscreen ? t('phoneUx.stage.exitFullscreen') : t('phoneUx.stage.fullscreen')}
        </button>
      )}
      {canPip && (
        <button
          type="button"
          className="button button-small"
          data-testid="pip-button"
          aria-pressed={pip}
          onClick={() => void togglePip().catch((error: unknown) => console.warn('picture-in-picture refused', error))}
        >
          {pip ? t('phoneUx.stage.exitPictureInPicture') : t('phoneUx.stage.pictureInPicture')}
        </button>
      )}
    </div>
  );
}
