// Matching the browser's codecs and header extensions against the router's, as mediasoup-client's
// ortc.ts does (browser-sdp.md §1.2–§1.4): the "extended" capabilities pair each browser payload
// type/extension id (used on the send side) with the router's (used on the receive side).
import { answerProfileLevelId, sameH264Profile } from './h264-profile.js';
import { isRtx } from './sdp-reader.js';

function codecsMatch(local, remote) {
  const mimeType = local.mimeType.toLowerCase();
  if (mimeType !== remote.mimeType.toLowerCase() || local.clockRate !== remote.clockRate) return false;
  if (local.channels !== remote.channels) return false;
  if (mimeType === 'video/h264') {
    const mode = (parameters) => parameters['packetization-mode'] ?? 0;
    if (mode(local.parameters) !== mode(remote.parameters)) return false;
    if (!sameH264Profile(local.parameters, remote.parameters)) return false;
  }
  if (mimeType === 'video/vp9') {
    const profile = (parameters) => parameters['profile-id'] ?? 0;
    if (profile(local.parameters) !== profile(remote.parameters)) return false;
  }
  return true;
}

// The router's direction is the server's view; the client's is the opposite.
const INVERTED_DIRECTION = { sendrecv: 'sendrecv', recvonly: 'sendonly', sendonly: 'recvonly', inactive: 'inactive' };

export function extendedCapabilities(native, router) {
  const codecs = [];
  for (const remote of router.codecs) {
    if (isRtx(remote)) continue;
    const local = native.codecs.find((candidate) => !isRtx(candidate) && codecsMatch(candidate, remote));
    if (!local) continue;
    const localParameters = { ...local.parameters };
    const remoteParameters = { ...remote.parameters };
    if (local.mimeType.toLowerCase() === 'video/h264') {
      let profileLevelId;
      try {
        profileLevelId = answerProfileLevelId(local.parameters, remote.parameters);
      } catch {
        continue;
      }
      for (const parameters of [localParameters, remoteParameters]) {
        if (profileLevelId) parameters['profile-level-id'] = profileLevelId;
        else delete parameters['profile-level-id'];
      }
    }
    const routerFeedback = remote.rtcpFeedback ?? [];
    const localRtx = native.codecs.find((c) => isRtx(c) && c.parameters.apt === local.preferredPayloadType);
    const remoteRtx = router.codecs.find((c) => isRtx(c) && c.parameters.apt === remote.preferredPayloadType);
    codecs.push({
      kind: local.kind,
      mimeType: local.mimeType,
      clockRate: local.clockRate,
      channels: local.channels,
      localPayloadType: local.preferredPayloadType,
      localRtxPayloadType: localRtx && remoteRtx ? localRtx.preferredPayloadType : undefined,
      remotePayloadType: remote.preferredPayloadType,
      remoteRtxPayloadType: localRtx && remoteRtx ? remoteRtx.preferredPayloadType : undefined,
      localParameters,
      remoteParameters,
      rtcpFeedback: local.rtcpFeedback
        .map((fb) => routerFeedback.find((r) => r.type === fb.type && (r.parameter ?? '') === fb.parameter))
        .filter(Boolean),
    });
  }
  const headerExtensions = [];
  for (const remote of router.headerExtensions) {
    const local = native.headerExtensions.find(
      (candidate) => candidate.uri === remote.uri && (!candidate.kind || !remote.kind || candidate.kind === remote.kind));
    if (!local) continue;
    headerExtensions.push({
      kind: remote.kind,
      uri: remote.uri,
      sendId: local.preferredId,
      recvId: remote.preferredId,
      encrypt: false,
      direction: INVERTED_DIRECTION[remote.direction ?? 'sendrecv'],
    });
  }
  return { codecs, headerExtensions };
}

// What the browser can receive, in router numbers: sent in `join` so the server's consumers use
// payload types and extension ids the receive side's offers can be built from (§1.3).
export function receiveCapabilities(extended) {
  const codecs = [];
  for (const codec of extended.codecs) {
    codecs.push({
      kind: codec.kind, mimeType: codec.mimeType, preferredPayloadType: codec.remotePayloadType,
      clockRate: codec.clockRate, ...(codec.channels ? { channels: codec.channels } : {}),
      parameters: codec.localParameters, rtcpFeedback: codec.rtcpFeedback,
    });
    if (codec.remoteRtxPayloadType !== undefined) {
      codecs.push({
        kind: codec.kind, mimeType: `${codec.kind}/rtx`, preferredPayloadType: codec.remoteRtxPayloadType,
        clockRate: codec.clockRate, parameters: { apt: codec.remotePayloadType }, rtcpFeedback: [],
      });
    }
  }
  const headerExtensions = extended.headerExtensions
    .filter((ext) => ext.direction === 'sendrecv' || ext.direction === 'recvonly')
    .map((ext) => ({ kind: ext.kind, uri: ext.uri, preferredId: ext.recvId, preferredEncrypt: false, direction: ext.direction }));
  return { codecs, headerExtensions };
}

// The header extensions a send section may use: the track's kind, sent by the client (§2.5–2.6).
export function sendHeaderExtensions(extended, kind) {
  return extended.headerExtensions.filter(
    (ext) => ext.kind === kind && (ext.direction === 'sendrecv' || ext.direction === 'sendonly'));
}

// The RtpParameters of a `produce` request: the first matching codec of the track's kind (plus its
// RTX), in the browser's own numbers, with the SSRCs and cname of the browser's offer (§2.6).
export function sendRtpParameters({ extended, kind, mid, encodings, cname, codecMimeType }) {
  const codec = extended.codecs.find((candidate) => candidate.kind === kind
    && (!codecMimeType || candidate.mimeType.toLowerCase() === codecMimeType.toLowerCase()));
  if (!codec) throw new Error(`cannot produce ${kind}${codecMimeType ? ` in ${codecMimeType}` : ''}`);
  const codecs = [{
    mimeType: codec.mimeType, payloadType: codec.localPayloadType, clockRate: codec.clockRate,
    ...(codec.channels ? { channels: codec.channels } : {}),
    parameters: codec.localParameters, rtcpFeedback: codec.rtcpFeedback,
  }];
  if (codec.localRtxPayloadType !== undefined) {
    codecs.push({
      mimeType: `${kind}/rtx`, payloadType: codec.localRtxPayloadType, clockRate: codec.clockRate,
      parameters: { apt: codec.localPayloadType }, rtcpFeedback: [],
    });
  }
  const headerExtensions = sendHeaderExtensions(extended, kind)
    .map((ext) => ({ uri: ext.uri, id: ext.sendId, encrypt: false, parameters: {} }));
  return {
    codec,
    rtpParameters: { mid, codecs, headerExtensions, encodings, rtcp: { cname, reducedSize: true } },
  };
}
