import type { PlateWarning } from '../api';

/** The API's look-alike warnings for a plate (O or 0? I or 1?), to check before driving up to the barrier. */
export function PlateWarnings({
  plate,
  warnings,
  remedy = 'If it is wrong, change the plate below.',
}: {
  plate: string;
  warnings: readonly PlateWarning[];
  /** What to do about a wrong plate on this page. */
  remedy?: string;
}) {
  if (warnings.length === 0) return null;
  return (
    <div className="alert alert-warn" role="status" data-testid="plate-warnings">
      <p>
        <strong>Check your plate {plate}:</strong> the barrier camera reads it exactly as registered.
      </p>
      <ul>
        {warnings.map((warning) => (
          <li key={`${warning.position}-${warning.character}`}>{warning.message}</li>
        ))}
      </ul>
      <p>{remedy}</p>
    </div>
  );
}
