import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QualityRecorder, intervalLossPct, qualityLevel, summarizeStats } from '../../public_html/js/quality.js';

// The shape of Chrome's RTCStatsReport values, reduced to what the summary reads.
function stats({ rtt = 0.05, lost = 2, received = 998, fps = 30, frames = 600, pairViaTransport = true } = {}) {
  return [
    { id: 'T1', type: 'transport', selectedCandidatePairId: pairViaTransport ? 'CP1' : undefined },
    { id: 'CP0', type: 'candidate-pair', state: 'failed', nominated: false, currentRoundTripTime: 9,
      localCandidateId: 'L2', remoteCandidateId: 'R2' },
    { id: 'CP1', type: 'candidate-pair', state: 'succeeded', nominated: true, currentRoundTripTime: rtt,
      localCandidateId: 'L1', remoteCandidateId: 'R1' },
    { id: 'L1', type: 'local-candidate', candidateType: 'host' },
    { id: 'R1', type: 'remote-candidate', candidateType: 'srflx' },
    { id: 'L2', type: 'local-candidate', candidateType: 'relay' },
    { id: 'IA', type: 'inbound-rtp', kind: 'audio', packetsLost: 1, packetsReceived: 499 },
    { id: 'IV', type: 'inbound-rtp', kind: 'video', packetsLost: lost - 1, packetsReceived: received - 499,
      framesPerSecond: fps, framesDecoded: frames },
    { id: 'OV', type: 'outbound-rtp', kind: 'video', packetsSent: 1000 },
  ];
}

test('Quality: the summary reads the selected pair, loss over all inbound streams, and video frames', () => {
  const s = summarizeStats(stats());
  assert.equal(s.rttMs, 50);
  assert.equal(s.packetsLost, 2);
  assert.equal(s.packetsReceived, 998);
  assert.equal(s.lossPct, 0.2);
  assert.equal(s.fps, 30);
  assert.equal(s.framesDecoded, 600);
  assert.equal(s.candidateType, 'host/srflx');
});

test('Quality: without a transport report the nominated succeeded pair is used', () => {
  assert.equal(summarizeStats(stats({ pairViaTransport: false })).rttMs, 50);
});

test('Quality: empty stats give nulls, not zeros that look like a perfect call', () => {
  const s = summarizeStats([]);
  assert.deepEqual([s.rttMs, s.lossPct, s.fps, s.framesDecoded, s.candidateType], [null, null, null, null, null]);
  assert.equal(qualityLevel(s), 'unknown');
  assert.equal(summarizeStats(undefined).rttMs, null);
});

test('Quality: loss is measured between two samples', () => {
  const a = summarizeStats(stats({ lost: 2, received: 998 }));
  const b = summarizeStats(stats({ lost: 12, received: 1088 }));
  assert.equal(intervalLossPct(a, b), 10);
  assert.equal(intervalLossPct(null, a), a.lossPct);
  assert.equal(intervalLossPct(b, b), null, 'no packets in the interval: unknown');
  assert.equal(intervalLossPct(b, a), null, 'counters going backwards (a new stream) are not loss');
});

test('Quality: levels follow round-trip time and loss', () => {
  assert.equal(qualityLevel({ rttMs: 40, lossPct: 0 }), 'good');
  assert.equal(qualityLevel({ rttMs: 200, lossPct: 0 }), 'fair');
  assert.equal(qualityLevel({ rttMs: 40, lossPct: 5 }), 'fair');
  assert.equal(qualityLevel({ rttMs: 500, lossPct: 0 }), 'poor');
  assert.equal(qualityLevel({ rttMs: null, lossPct: 12 }), 'poor');
  assert.equal(qualityLevel({ rttMs: 80, lossPct: null }), 'good');
});

test('Quality: the hangup report averages round-trip time and keeps the latest counters', () => {
  const r = new QualityRecorder();
  r.add(summarizeStats(stats({ rtt: 0.04 })));
  r.add(summarizeStats(stats({ rtt: 0.06, lost: 4, received: 1996, frames: 1200 })));
  assert.deepEqual(r.report(61.4), {
    duration_s: 61,
    samples: 2,
    avg_rtt_ms: 50,
    packets_lost: 4,
    packets_received: 1996,
    loss_pct: 0.2,
    frames_decoded: 1200,
    candidate_pair: 'host/srflx',
  });
  for (const value of Object.values(r.report(1))) assert.ok(['number', 'string'].includes(typeof value));
});

test('Quality: a last sample without streams (taken as the peer hangs up) keeps what was counted', () => {
  const r = new QualityRecorder();
  r.add(summarizeStats(stats({ rtt: 0.02, lost: 0, received: 800, frames: 300 })));
  r.add(summarizeStats([]));
  const report = r.report(5);
  assert.equal(report.samples, 1, 'a sample without a pair does not drag the average down');
  assert.equal(report.avg_rtt_ms, 20);
  assert.equal(report.packets_received, 800);
  assert.equal(report.frames_decoded, 300);
  assert.equal(report.candidate_pair, 'host/srflx');
});

test('Quality: a call that never connected reports its duration and nothing invented', () => {
  assert.deepEqual(new QualityRecorder().report(0), { duration_s: 0, samples: 0 });
});
