/**
 * The single table's entities (ElectroDB). Index names say which access pattern they serve;
 * docs/data-model.md lists every pattern. ElectroDB builds every key: no code outside this
 * folder writes a key string.
 */
import { Entity, Service, type EntityItem } from 'electrodb';
import { ACCOUNT_TYPES, ROLES } from '../../domain/identity';
import { CURRENCIES } from '../../domain/carparks';
import { getDocumentClient, getTableName } from './client';
import { tableSchema } from './table-schema';

const SERVICE = 'carpark';
const { partitionKey: pk, sortKey: sk, timeToLiveAttribute } = tableSchema;
const [gsi1, gsi2] = tableSchema.globalSecondaryIndexes;

/** Attributes shared by the per-vehicle-type maps (prices, capacity, occupied). */
const perVehicleType = {
  type: 'map',
  properties: {
    car: { type: 'number' },
    motorcycle: { type: 'number' },
    van: { type: 'number' },
    ev: { type: 'number' },
  },
} as const;

export const UserEntity = new Entity({
  model: { entity: 'user', version: '1', service: SERVICE },
  attributes: {
    userId: { type: 'string', required: true, readOnly: true },
    email: { type: 'string', required: true },
    name: { type: 'string', required: true },
    phone: { type: 'string' },
    role: { type: ROLES, required: true },
    accountType: { type: ACCOUNT_TYPES, required: true },
    operatorId: { type: 'string' },
    passwordHash: { type: 'string', required: true },
    passwordChangedAt: { type: 'string', required: true },
    createdAt: { type: 'string', required: true, readOnly: true },
    updatedAt: { type: 'string', required: true },
  },
  indexes: {
    byUserId: { pk: { field: pk, composite: ['userId'] }, sk: { field: sk, composite: [] } },
  },
});

/** Claims an email for one user: created and deleted in the same transaction as the user. */
export const EmailClaimEntity = new Entity({
  model: { entity: 'emailClaim', version: '1', service: SERVICE },
  attributes: {
    email: { type: 'string', required: true, readOnly: true },
    userId: { type: 'string', required: true },
  },
  indexes: {
    byEmail: { pk: { field: pk, composite: ['email'] }, sk: { field: sk, composite: [] } },
  },
});

/** Failed logins per email, whether or not an account exists for it. Expires by TTL. */
export const LoginThrottleEntity = new Entity({
  model: { entity: 'loginThrottle', version: '1', service: SERVICE },
  attributes: {
    email: { type: 'string', required: true, readOnly: true },
    failures: { type: 'number', required: true },
    windowStartedAt: { type: 'number', required: true },
    lockedUntil: { type: 'number', required: true },
    expiresAt: { type: 'number', required: true, field: timeToLiveAttribute },
  },
  indexes: {
    byEmail: { pk: { field: pk, composite: ['email'] }, sk: { field: sk, composite: [] } },
  },
});

/** A reset link, by the hash of its token. Expires by TTL; expiry is also checked on use. */
export const PasswordResetEntity = new Entity({
  model: { entity: 'passwordReset', version: '1', service: SERVICE },
  attributes: {
    tokenHash: { type: 'string', required: true, readOnly: true },
    userId: { type: 'string', required: true },
    issuedAt: { type: 'string', required: true },
    expiresAtIso: { type: 'string', required: true },
    expiresAt: { type: 'number', required: true, field: timeToLiveAttribute },
  },
  indexes: {
    byTokenHash: { pk: { field: pk, composite: ['tokenHash'] }, sk: { field: sk, composite: [] } },
  },
});

export const OperatorEntity = new Entity({
  model: { entity: 'operator', version: '1', service: SERVICE },
  attributes: {
    operatorId: { type: 'string', required: true, readOnly: true },
    name: { type: 'string', required: true },
    contactEmail: { type: 'string', required: true },
    createdAt: { type: 'string', required: true, readOnly: true },
  },
  indexes: {
    byOperatorId: { pk: { field: pk, composite: ['operatorId'] }, sk: { field: sk, composite: [] } },
    operatorItems: {
      index: gsi2.indexName,
      collection: 'operatorWithCarparks',
      pk: { field: gsi2.partitionKey, composite: ['operatorId'] },
      sk: { field: gsi2.sortKey, composite: [] },
    },
  },
});

export const CarparkEntity = new Entity({
  model: { entity: 'carpark', version: '1', service: SERVICE },
  attributes: {
    carparkId: { type: 'string', required: true, readOnly: true },
    operatorId: { type: 'string', required: true, readOnly: true },
    name: { type: 'string', required: true },
    address: {
      type: 'map',
      required: true,
      properties: {
        line1: { type: 'string', required: true },
        line2: { type: 'string' },
        city: { type: 'string', required: true },
        postcode: { type: 'string', required: true },
        country: { type: 'string', required: true },
      },
    },
    currency: { type: CURRENCIES, required: true },
    prices: { ...perVehicleType, required: true },
    capacity: { ...perVehicleType, required: true },
    occupied: { ...perVehicleType, required: true },
    smartParkingSiteId: { type: 'string', required: true },
    supportEmail: { type: 'string', required: true },
    createdAt: { type: 'string', required: true, readOnly: true },
    updatedAt: { type: 'string', required: true },
  },
  indexes: {
    byCarparkId: { pk: { field: pk, composite: ['carparkId'] }, sk: { field: sk, composite: [] } },
    /** Every car park, for the public listing: one partition, ordered by id (creation time). */
    allCarparks: {
      index: gsi1.indexName,
      pk: { field: gsi1.partitionKey, composite: [] },
      sk: { field: gsi1.sortKey, composite: ['carparkId'] },
    },
    operatorItems: {
      index: gsi2.indexName,
      collection: 'operatorWithCarparks',
      pk: { field: gsi2.partitionKey, composite: ['operatorId'] },
      sk: { field: gsi2.sortKey, composite: ['carparkId'] },
    },
  },
});

export type UserRecord = EntityItem<typeof UserEntity>;
export type CarparkRecord = EntityItem<typeof CarparkEntity>;
export type OperatorRecord = EntityItem<typeof OperatorEntity>;

const entities = {
  user: UserEntity,
  emailClaim: EmailClaimEntity,
  loginThrottle: LoginThrottleEntity,
  passwordReset: PasswordResetEntity,
  operator: OperatorEntity,
  carpark: CarparkEntity,
};

/** Entities bound to the live client and table; built on first use (see client.ts). */
let service: ReturnType<typeof bindService> | undefined;

const bindService = () => new Service(entities, { client: getDocumentClient(), table: getTableName() });

export function getService() {
  service ??= bindService();
  return service;
}
