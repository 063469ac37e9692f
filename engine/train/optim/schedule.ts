// Learning-rate schedules, stepped once per epoch like torch.optim.lr_scheduler.StepLR and
// CosineAnnealingLR (eta_min = 0).
export type ScheduleName = 'none' | 'step' | 'cosine';

export interface Schedule {
  name: ScheduleName;
  /** StepLR: epochs between decays and the factor (defaults 10 and 0.1). */
  stepSize?: number;
  gamma?: number;
}

/** StepLR's period and factor, defaults filled in. */
export const stepDefaults = (s: Schedule): { stepSize: number; gamma: number } => ({ stepSize: s.stepSize ?? 10, gamma: s.gamma ?? 0.1 });

/** The learning rate for a 0-based epoch, given the base rate and the total number of epochs. */
export function lrAt(s: Schedule, base: number, epoch: number, epochs: number): number {
  switch (s.name) {
    case 'step': {
      const { stepSize, gamma } = stepDefaults(s);
      return base * gamma ** Math.floor(epoch / stepSize);
    }
    case 'cosine': return epochs <= 1 ? base : (base * (1 + Math.cos((Math.PI * epoch) / epochs))) / 2;
    default: return base;
  }
}
