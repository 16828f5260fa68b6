/** Where a windowed monitor stands: no verdict yet, or its last verdict and whether the k-of-n gate holds. */
export type MonitorStateName = 'collecting' | 'stable' | 'drifting' | 'firing';

export function monitorState(drifted: boolean, firing: boolean): MonitorStateName {
  return firing ? 'firing' : drifted ? 'drifting' : 'stable';
}

/**
 * Whether a firing drift is reported at `nowMs`: once when it starts, then
 * once per window length while it lasts, so a drift held for hours is a few
 * findings rather than one per evaluation. `holder.reportedUntil` carries
 * the mark (-Infinity: never reported); a drift that stops clears it.
 */
export function dueReport(
  holder: { reportedUntil: number },
  firing: boolean,
  nowMs: number,
  windowMs: number,
): boolean {
  if (!firing) {
    holder.reportedUntil = Number.NEGATIVE_INFINITY;
    return false;
  }
  if (nowMs < holder.reportedUntil) return false;
  holder.reportedUntil = nowMs + windowMs;
  return true;
}
