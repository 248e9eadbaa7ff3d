/**
 * The last barrier reconciliation as one car park's operator sees it: when it ran, what it
 * repaired at this car park (plates put back on the barrier's list, strays taken off), and
 * whether this car park's barrier could be checked at all.
 */
import { NotFoundError } from './errors';
import { canManageOperator, type Principal } from './identity';
import type { CarparkRepository } from './ports';
import type { ReconciliationFix, ReconciliationRun } from './reconciliation';

export interface BarrierCheckDeps {
  readonly carparks: Pick<CarparkRepository, 'get'>;
  readonly runs: { latest(): Promise<ReconciliationRun | undefined> };
}

export interface BarrierCheck {
  readonly carparkId: string;
  /** Null until the first run. */
  readonly lastRun: {
    readonly startedAt: string;
    readonly finishedAt: string;
    readonly fixes: readonly Omit<ReconciliationFix, 'carparkId'>[];
    /** Why this car park's barrier could not be checked on that run. */
    readonly error: string | null;
  } | null;
}

/** Its operators and admins; anyone else is told the car park does not exist. */
export async function lastBarrierCheck(deps: BarrierCheckDeps, caller: Principal, carparkId: string): Promise<BarrierCheck> {
  if (caller.role === 'tenant') throw new NotFoundError('Car park');
  const [carpark, run] = await Promise.all([deps.carparks.get(carparkId), deps.runs.latest()]);
  if (!carpark || !canManageOperator(caller, carpark.operatorId)) throw new NotFoundError('Car park');
  if (!run) return { carparkId, lastRun: null };
  return {
    carparkId,
    lastRun: {
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      fixes: run.fixes.filter((f) => f.carparkId === carparkId).map(({ carparkId: _here, ...fix }) => fix),
      error: run.errors.find((e) => e.carparkId === carparkId)?.message ?? null,
    },
  };
}
