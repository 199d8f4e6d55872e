// H264 "profile-level-id" negotiation (RFC 6184 §8.1), the part of the h264-profile-level-id
// library mediasoup-client needs: two H264 codecs match only with the same profile, and the
// answer carries a level both sides can handle (browser-sdp.md §1.2, pitfall 9).

const PROFILES = [
  // [profile_idc, profile_iop mask, profile_iop value, profile]; the first match wins.
  [0x42, 0b01001111, 0b01000000, 'ConstrainedBaseline'],
  [0x4d, 0b10001111, 0b10000000, 'ConstrainedBaseline'],
  [0x58, 0b11001111, 0b11000000, 'ConstrainedBaseline'],
  [0x42, 0b01001111, 0b00000000, 'Baseline'],
  [0x58, 0b11001111, 0b10000000, 'Baseline'],
  [0x4d, 0b10101111, 0b00000000, 'Main'],
  [0x64, 0b11111111, 0b00000000, 'High'],
  [0x64, 0b11111111, 0b00001100, 'ConstrainedHigh'],
  [0xf4, 0b11111111, 0b00000000, 'PredictiveHigh444'],
];
const PROFILE_PREFIX = {
  ConstrainedBaseline: '42e0', Baseline: '4200', Main: '4d00', ConstrainedHigh: '640c', High: '6400', PredictiveHigh444: 'f400',
};
// Level 1b is level_idc 11 with constraint_set3 (baseline family); it sits between 1.0 and 1.1.
const LEVEL_1B = 10.5;
const DEFAULT = '42e01f'; // RFC 6184: a missing profile-level-id means Constrained Baseline 3.1

function parse(text = DEFAULT) {
  if (!/^[0-9a-fA-F]{6}$/.test(String(text))) return null;
  const value = parseInt(text, 16);
  const idc = value >> 16;
  const iop = (value >> 8) & 0xff;
  let level = value & 0xff;
  const match = PROFILES.find(([profileIdc, mask, bits]) => profileIdc === idc && (iop & mask) === bits);
  if (!match) return null;
  const profile = match[3];
  if (level === 11 && iop & 0x10 && ['ConstrainedBaseline', 'Baseline', 'Main'].includes(profile)) level = LEVEL_1B;
  return { profile, level };
}

function format({ profile, level }) {
  if (level === LEVEL_1B) {
    const prefix = { ConstrainedBaseline: '42f0', Baseline: '4210', Main: '4d10' }[profile];
    return prefix ? `${prefix}0b` : null;
  }
  return PROFILE_PREFIX[profile] + level.toString(16).padStart(2, '0');
}

export function sameH264Profile(localParameters, remoteParameters) {
  const local = parse(localParameters['profile-level-id']);
  const remote = parse(remoteParameters['profile-level-id']);
  return Boolean(local && remote && local.profile === remote.profile);
}

// The profile-level-id to write into both sides, or undefined when neither side gave one.
export function answerProfileLevelId(localParameters, remoteParameters) {
  if (!localParameters['profile-level-id'] && !remoteParameters['profile-level-id']) return undefined;
  const local = parse(localParameters['profile-level-id']);
  const remote = parse(remoteParameters['profile-level-id']);
  if (!local || !remote || local.profile !== remote.profile) throw new Error('H264 profiles differ');
  const asymmetry = localParameters['level-asymmetry-allowed'] === 1 && remoteParameters['level-asymmetry-allowed'] === 1;
  const level = asymmetry ? local.level : Math.min(local.level, remote.level);
  return format({ profile: local.profile, level });
}
