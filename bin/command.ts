/**
 * How the commands in bin/ run: `main` only when the file is the one Node was started with (so
 * tests can import a command's functions), its answer as the exit code, an error's message
 * (never a stack) on stderr with `errorCode`.
 */
import { pathToFileURL } from 'node:url';

export function runWhenMain(moduleUrl: string, main: (args: string[]) => Promise<number>, errorCode = 2): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(errorCode);
    },
  );
}
