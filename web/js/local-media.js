// Camera, microphone and screen capture, with failures turned into sentences a person can act on.

const CAMERA = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };
const MICROPHONE = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

export class MediaError extends Error {
  constructor(kind, message) {
    super(message);
    this.kind = kind; // 'permission' | 'missing' | 'busy' | 'insecure' | 'other'
  }
}

function explain(error, what) {
  switch (error?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new MediaError('permission',
        `Access to your ${what} was denied. Others can't see or hear you; allow it in the browser's site settings and reload.`);
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new MediaError('missing', `No ${what} was found.`);
    case 'NotReadableError':
    case 'AbortError':
      return new MediaError('busy', `Your ${what} is in use by another application or could not be started.`);
    default:
      return new MediaError('other', `Could not start your ${what}: ${error?.message ?? error}`);
  }
}

function requireMediaDevices() {
  if (!navigator.mediaDevices?.getUserMedia) {
    // Browsers hide mediaDevices outside secure contexts (https or localhost).
    throw new MediaError('insecure', 'This page must be opened over https to use the camera and microphone.');
  }
}

// Microphone and camera together (one permission prompt); if that fails for a reason other than
// a refusal, each on its own, so a missing camera still leaves the microphone working.
// Resolves to {audio, video, errors}: tracks or null, and a MediaError per device that failed.
export async function openCameraAndMicrophone() {
  requireMediaDevices();
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: MICROPHONE, video: CAMERA });
    return { audio: stream.getAudioTracks()[0] ?? null, video: stream.getVideoTracks()[0] ?? null, errors: [] };
  } catch (error) {
    if (error?.name === 'NotAllowedError' || error?.name === 'SecurityError') {
      return { audio: null, video: null, errors: [explain(error, 'camera and microphone')] };
    }
  }
  const [audio, video] = await Promise.allSettled([openMicrophone(), openCamera()]);
  return {
    audio: audio.status === 'fulfilled' ? audio.value : null,
    video: video.status === 'fulfilled' ? video.value : null,
    errors: [audio, video].filter((result) => result.status === 'rejected').map((result) => result.reason),
  };
}

export async function openCamera() {
  requireMediaDevices();
  try {
    return (await navigator.mediaDevices.getUserMedia({ video: CAMERA })).getVideoTracks()[0];
  } catch (error) {
    throw explain(error, 'camera');
  }
}

export async function openMicrophone() {
  requireMediaDevices();
  try {
    return (await navigator.mediaDevices.getUserMedia({ audio: MICROPHONE })).getAudioTracks()[0];
  } catch (error) {
    throw explain(error, 'microphone');
  }
}

export async function openScreen() {
  if (!navigator.mediaDevices?.getDisplayMedia) {
    throw new MediaError('missing', 'This browser cannot share the screen.');
  }
  try {
    return (await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15 } }, audio: false })).getVideoTracks()[0];
  } catch (error) {
    // Cancelling the picker is a refusal too, but not one worth an error banner.
    if (error?.name === 'NotAllowedError') return null;
    throw explain(error, 'screen share');
  }
}
