import { randomBytes } from 'node:crypto';

/**
 * Readable, prefixed, random identifiers (`usr_9f2c…`). The prefix tells a reader (and a support
 * engineer) what kind of object an id names; 80 random bits make them unguessable.
 */
export type IdPrefix = 'usr' | 'op' | 'cp' | 'tn' | 'of';

export const newId = (prefix: IdPrefix): string => `${prefix}_${randomBytes(10).toString('hex')}`;

/** A short random token, for ids that only need to differ from the previous one (a tenancy's cancellations). */
export const newToken = (): string => randomBytes(6).toString('hex');

export const ID_PATTERN = /^(usr|op|cp|tn)_[0-9a-f]{20}$/;
