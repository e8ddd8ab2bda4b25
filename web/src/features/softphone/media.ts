/** The person's choice of camera, microphone and speaker, kept per browser. */
export interface DeviceChoice {
  cameraId: string | null;
  microphoneId: string | null;
  speakerId: string | null;
  /** Send every packet through the operator's TURN relay, so the other party never learns this address. */
  relayOnly: boolean;
}

const choiceKey = 'videophone.softphone.devices';

export function loadDeviceChoice(): DeviceChoice {
  const empty: DeviceChoice = { cameraId: null, microphoneId: null, speakerId: null, relayOnly: false };
  try {
    const raw = window.localStorage.getItem(choiceKey);
    return raw ? { ...empty, ...(JSON.parse(raw) as Partial<DeviceChoice>) } : empty;
  } catch {
    return empty;
  }
}

export function saveDeviceChoice(choice: DeviceChoice): void {
  try {
    window.localStorage.setItem(choiceKey, JSON.stringify(choice));
  } catch {
    // The choice still applies until the page is closed.
  }
}

/** 640×480 is what a video phone call negotiates comfortably; the encoder adapts down from there. */
export function openMedia(choice: DeviceChoice): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia({
    audio: choice.microphoneId ? { deviceId: { exact: choice.microphoneId } } : true,
    video: {
      ...(choice.cameraId ? { deviceId: { exact: choice.cameraId } } : {}),
      width: { ideal: 640 },
      height: { ideal: 480 },
    },
  });
}

export async function listDevices(): Promise<MediaDeviceInfo[]> {
  return navigator.mediaDevices.enumerateDevices();
}

/** Only a video track, at the same size as openMedia asks for: switching camera leaves the microphone alone. */
export async function openCamera(deviceId: string): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { deviceId: { exact: deviceId }, width: { ideal: 640 }, height: { ideal: 480 } },
  });
  const [track] = stream.getVideoTracks();
  if (!track) throw new Error('the camera gave no video track');
  return track;
}
