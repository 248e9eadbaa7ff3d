import { TextField } from '../../../components/form';

/**
 * A number plate as the tenant types it: required, and kept as typed (no autocomplete,
 * autocorrect or spellcheck; capitals on phones). The API normalises it and names what is wrong.
 */
export function PlateField({ label, hint, error }: { label: string; hint?: string; error?: unknown }) {
  return (
    <TextField
      label={label}
      name="plate"
      required
      autoComplete="off"
      autoCapitalize="characters"
      spellCheck={false}
      className="plate-input"
      {...(hint ? { hint } : {})}
      error={error}
    />
  );
}
