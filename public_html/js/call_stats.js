// One call's quality: sampled from its peer connection every few seconds while it is active
// (for the indicator), and summed up once when it ends (for the log).
import { QualityRecorder, intervalLossPct, qualityLevel, summarizeStats } from './quality.js';

const kStatsIntervalMs = 2000;

export class CallStats {
  // getStats() → the connection's stats reports; onQuality(level, summary) for the indicator.
  constructor({ getStats, onQuality }) {
    this.getStats_ = getStats;
    this.onQuality_ = onQuality;
    this.recorder_ = new QualityRecorder();
    this.last_ = null;
    this.timer_ = null;
    this.stopped_ = false;
  }

  start() {
    if (this.timer_ === null && !this.stopped_) this.timer_ = setInterval(() => this.sample_(), kStatsIntervalMs);
  }

  async sample_() {
    let summary;
    try {
      summary = summarizeStats(await this.getStats_());
    } catch {
      return;
    }
    if (this.stopped_) return;
    const lossPct = intervalLossPct(this.last_, summary);
    this.last_ = summary;
    this.recorder_.add(summary);
    this.onQuality_(qualityLevel({ rttMs: summary.rttMs, lossPct }), { ...summary, lossPct });
  }

  // The call is over: one last sample, then the summary for a call of `seconds`.
  async finish(seconds) {
    this.stop();
    try {
      this.recorder_.add(summarizeStats(await this.getStats_()));
    } catch {
      // The connection may already be gone; report what was sampled.
    }
    return this.recorder_.report(seconds);
  }

  stop() {
    this.stopped_ = true;
    clearInterval(this.timer_);
    this.timer_ = null;
  }
}
