// Call quality from RTCPeerConnection.getStats(): a live summary for the indicator and the
// averages posted to /api/client-log at hangup. Pure: takes arrays of stats objects.

// The pair ICE is using: the transport's selectedCandidatePairId, else the nominated succeeded pair.
function selectedPair(reports, byId) {
  for (const r of reports) {
    if (r.type === 'transport' && r.selectedCandidatePairId && byId.has(r.selectedCandidatePairId)) {
      return byId.get(r.selectedCandidatePairId);
    }
  }
  return reports.find((r) => r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded') ||
         null;
}

// One snapshot: {rttMs, packetsLost, packetsReceived, lossPct, fps, framesDecoded, candidateType}
// with null for whatever the stats do not say (yet).
export function summarizeStats(reports) {
  const list = Array.from(reports || []);
  const byId = new Map(list.map((r) => [r.id, r]));
  const pair = selectedPair(list, byId);
  const summary = {
    rttMs: null,
    packetsLost: 0,
    packetsReceived: 0,
    lossPct: null,
    fps: null,
    framesDecoded: null,
    candidateType: null,
  };
  if (pair) {
    if (typeof pair.currentRoundTripTime === 'number') summary.rttMs = pair.currentRoundTripTime * 1000;
    const local = byId.get(pair.localCandidateId);
    const remote = byId.get(pair.remoteCandidateId);
    if (local && local.candidateType) {
      summary.candidateType = remote && remote.candidateType
        ? `${local.candidateType}/${remote.candidateType}` : local.candidateType;
    }
  }
  for (const r of list) {
    if (r.type !== 'inbound-rtp') continue;
    summary.packetsLost += Math.max(0, r.packetsLost || 0);
    summary.packetsReceived += r.packetsReceived || 0;
    if (r.kind === 'video') {
      if (typeof r.framesPerSecond === 'number') summary.fps = r.framesPerSecond;
      if (typeof r.framesDecoded === 'number') summary.framesDecoded = r.framesDecoded;
    }
  }
  const total = summary.packetsLost + summary.packetsReceived;
  if (total > 0) summary.lossPct = (summary.packetsLost / total) * 100;
  return summary;
}

// Loss between two snapshots: the recent picture, not the whole call's.
export function intervalLossPct(previous, current) {
  if (!previous) return current.lossPct;
  const lost = current.packetsLost - previous.packetsLost;
  const received = current.packetsReceived - previous.packetsReceived;
  if (lost < 0 || received < 0 || lost + received === 0) return null;
  return (lost / (lost + received)) * 100;
}

// good / fair / poor / unknown from round-trip time and recent loss; thresholds follow the
// usual guidance for interactive calls (150 ms / 400 ms mouth-to-ear, 2 % / 8 % loss).
export function qualityLevel({ rttMs, lossPct }) {
  if (rttMs === null && lossPct === null) return 'unknown';
  if ((rttMs ?? 0) > 400 || (lossPct ?? 0) > 8) return 'poor';
  if ((rttMs ?? 0) > 150 || (lossPct ?? 0) > 2) return 'fair';
  return 'good';
}

// Accumulates snapshots over a call and produces the summary posted at hangup.
export class QualityRecorder {
  constructor() {
    this.rttSum_ = 0;
    this.rttCount_ = 0;
    this.last_ = null;
  }

  add(summary) {
    if (typeof summary.rttMs === 'number') {
      this.rttSum_ += summary.rttMs;
      this.rttCount_ += 1;
    }
    // Counters only grow during a call; a sample taken as the peer hangs up can lack the
    // inbound streams, and must not erase what was already counted.
    const last = this.last_;
    if (!last || summary.packetsReceived + summary.packetsLost >= last.packetsReceived + last.packetsLost) {
      this.last_ = {
        ...summary,
        framesDecoded: summary.framesDecoded ?? last?.framesDecoded ?? null,
        candidateType: summary.candidateType ?? last?.candidateType ?? null,
      };
    } else if (summary.candidateType && !last.candidateType) {
      this.last_ = { ...last, candidateType: summary.candidateType };
    }
  }

  get last() {
    return this.last_;
  }

  // Only numbers and strings, as /api/client-log wants in `stats`.
  report(durationS) {
    const last = this.last_ || {};
    const round = (x, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
    const out = { duration_s: Math.max(0, Math.round(durationS || 0)), samples: this.rttCount_ };
    if (this.rttCount_ > 0) out.avg_rtt_ms = round(this.rttSum_ / this.rttCount_);
    if (typeof last.packetsLost === 'number') out.packets_lost = last.packetsLost;
    if (typeof last.packetsReceived === 'number') out.packets_received = last.packetsReceived;
    if (typeof last.lossPct === 'number') out.loss_pct = round(last.lossPct, 2);
    if (typeof last.framesDecoded === 'number') out.frames_decoded = last.framesDecoded;
    if (last.candidateType) out.candidate_pair = last.candidateType;
    return out;
  }
}
