/**
 * A path parameter as typed. A plate has no `%`: one still percent-encoded (a space as `%20`) is
 * decoded; a malformed one is left as it is, for the use case to refuse.
 */
export function decodedPathParam(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
