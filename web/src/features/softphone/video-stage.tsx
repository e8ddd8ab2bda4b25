import { useEffect, useRef } from 'react';
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
}: {
  local: MediaStream | null;
  remote: MediaStream | null;
  speakerId: string | null;
  showRemote: boolean;
  call: CallView | null;
}) {
  const { t } = useTranslation();
  const localRef = useStream(local);
  const remoteRef = useStream(showRemote ? remote : null);
  useEffect(() => {
    // Speaker choice (Audio Output Devices API); browsers without setSinkId keep the default output.
    const video = remoteRef.current as (HTMLVideoElement & { setSinkId?: (id: string) => Promise<void> }) | null;
    if (video?.setSinkId && speakerId) video.setSinkId(speakerId).catch(() => undefined);
  }, [speakerId, remoteRef]);
  return (
    <div className="video-stage" data-testid="video-stage">
      <video
        ref={remoteRef}
        className="remote-video"
        data-testid="remote-video"
        autoPlay
        playsInline
        aria-label={call ? t('softphone.remoteVideo', { number: call.peerNumber }) : t('softphone.noCall')}
      />
      {!showRemote && <p className="stage-idle">{call ? '' : t('softphone.ready')}</p>}
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
