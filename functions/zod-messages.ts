/**
 * English messages for zod/mini, which (unlike classic zod) sets no locale of its own: without
 * this every issue would read "Invalid input". Imported by each module that validates with
 * zod/mini, so no entry point can miss it.
 */
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en());
