import path from 'node:path';

/** Repository root, resolved from this file so it works from any working directory. */
export const repoRoot = path.resolve(import.meta.dirname, '..');

/** Lambda handler modules live here; manifest `handler` paths are relative to it. */
export const functionsDir = path.join(repoRoot, 'functions');

/** The lock file pins what esbuild bundles, and is part of each asset's hash. */
export const depsLockFilePath = path.join(repoRoot, 'package-lock.json');

/** Step Functions definitions (ASL); manifest `definitionFile` paths are relative to it. */
export const stateMachinesDir = path.join(repoRoot, 'state-machines');

/** The tenant portal's source (a Vite app). */
export const webDir = path.join(repoRoot, 'web');

/** The portal as built by `npm run build:web`: what the twin serves and CloudFront deploys. */
export const webBuildDir = path.join(webDir, 'dist');
